"""This app's URLs for the access test (safehold/core/tests/test_access.py).

Every casework URL must be listed here: RECORD_URLS with the kind of record its `pk` names
(and a factory for that kind), OTHER_URLS for lists and forms, PUBLIC for pages anyone may open.
"""

import datetime

from django.core.files.base import ContentFile

from safehold.cases.models import AsbHandover, EnforcementAction, EnforcementDocument, Task
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory


def _referral(agency):
    return ReferralFactory(programme=ProgrammeFactory(lead_agency=agency), referrer_agency=agency)


def _case(agency):
    return CaseFactory(programme=ProgrammeFactory(lead_agency=agency))


def _enforcement(agency):
    return EnforcementAction.objects.create(
        case=_case(agency), kind="warning", agency=agency, started_on=datetime.date(2023, 2, 1)
    )


def _document(agency):
    return EnforcementDocument.objects.create(
        action=_enforcement(agency),
        name="notice.txt",
        file=ContentFile(b"notice", name="notice.txt"),
    )


def _task(agency):
    return Task.objects.create(
        case=_case(agency), title="Visit", owner_agency=agency, due_on=datetime.date(2023, 3, 1)
    )


def _handover(agency):
    case = _case(agency)
    return AsbHandover.objects.create(case=case, team=case.programme.asb_team)


def _import_run(agency):
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="cases", agency=agency, uploaded_by=UserFactory(agency=agency), file_name="cases.csv"
    )


RECORD_FACTORIES = {
    "case": _case,
    "referral": _referral,
    "enforcement": _enforcement,
    "document": _document,
    "task": _task,
    "handover": _handover,
    "import_run": _import_run,
}
RECORD_URLS: dict[str, str] = {
    # cases
    "cases:detail": "case",
    "cases:add-entry": "case",
    "cases:link-person": "case",
    "cases:add-intervention": "case",
    "cases:add-enforcement": "case",
    "cases:add-task": "case",
    "cases:change-risk": "case",
    "cases:close": "case",
    "cases:reopen": "case",
    "cases:enforcement-update": "enforcement",
    "cases:enforcement-document": "enforcement",
    "cases:document": "document",
    "cases:task-complete": "task",
    "cases:asb-acknowledge": "handover",
    "cases:import-run": "import_run",
    # triage
    "cases:triage-referral": "referral",
    "cases:triage-accept": "referral",
    "cases:triage-decline": "referral",
    "cases:triage-signpost": "referral",
    "cases:triage-add-to-case": "referral",
    # referrals (question pages of a sent referral lead to its detail page)
    "cases:referral-person": "referral",
    "cases:referral-about": "referral",
    "cases:referral-address": "referral",
    "cases:referral-signs": "referral",
    "cases:referral-exploitation": "referral",
    "cases:referral-consent": "referral",
    "cases:referral-urgency": "referral",
    "cases:referral-check": "referral",
    "cases:referral-sent": "referral",
    "cases:referral-detail": "referral",
    # a leaving user's work (administrators of their agency)
    "cases:reassign": "user",
}
OTHER_URLS: set[str] = {
    "cases:list",
    "cases:export",
    "cases:triage",
    "cases:my-tasks",
    "cases:team-tasks",
    "cases:asb-queue",
    "cases:referral-list",
    "cases:referral-start",
    "cases:import",
    "cases:export-csv",
    "cases:set-up",
    "cases:set-up-add-team",
    "cases:set-up-add-programme",
}
PUBLIC: set[str] = {"public:signs", "public:leaflet", "public:report", "public:report-sent"}
POST_ONLY: set[str] = set()
EXPORT_FORMATS = {"cases:export": ("csv", "xlsx")}
# Forms to start a referral or an import, and the public pages: they show no record.
NO_RECORDS = PUBLIC | {
    "cases:import",
    "cases:referral-start",
    # Casework set-up: teams and programmes, no personal record.
    "cases:set-up",
    "cases:set-up-add-team",
    "cases:set-up-add-programme",
}
