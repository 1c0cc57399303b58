"""Who may do what with referrals and cases (django-rules predicates).

Seeing a referral or case at all is decided by `selectors.referrals_visible_to` and
`cases_visible_to`; these decide what a user who can see one may do with it. The pages, the
API and the services ask the same predicates, so none can go around another.
"""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_browse_people, can_edit_people, has_role
from safehold.cases.models import Programme
from safehold.people.rules import holds, works_for
from safehold.sharing import selectors as sharing


@rules.predicate
def leads_programme(user, programme) -> bool:
    return programme is not None and programme.lead_agency_id == user.agency_id


@rules.predicate
def leads_referrals_programme(user, referral) -> bool:
    return referral is not None and referral.programme.lead_agency_id == user.agency_id


@rules.predicate
def made_referral(user, referral) -> bool:
    """The person who started the referral (a draft is theirs alone until it is sent)."""
    return referral is not None and referral.referrer_id == user.pk


@rules.predicate
def in_handover_team(user, handover) -> bool:
    """A member of the ASB team the case was passed to."""
    return handover is not None and user.teams.filter(pk=handover.team_id).exists()


@rules.predicate
def shared_in_full(user, case) -> bool:
    """The case is shared with the user's agency in full, live now (a name-only share is not)."""
    return (
        case is not None
        and sharing.shared_case_ids(user.agency_id).filter(case_id=case.pk).exists()
    )


@rules.predicate
def assigned_to_users_agency(user, task) -> bool:
    """The task is the user's, or their agency's (a task given to a partner agency)."""
    return task is not None and (task.owner_id == user.pk or task.owner_agency_id == user.agency_id)


@rules.predicate
def holds_tasks_case(user, task) -> bool:
    return task is not None and task.case.owning_agency_id == user.agency_id


@rules.predicate
def tasks_case_shared_in_full(user, task) -> bool:
    return task is not None and shared_in_full(user, task.case)


@rules.predicate
def in_an_asb_team(user) -> bool:
    """A member of a programme's ASB team: the people who work the hand-over queue."""
    return Programme.objects.filter(asb_team__members=user.pk).exists()


# A draft referral is changed and sent only by the person who started it.
can_change_draft = made_referral
# Triage: casework roles see the queue; they decide on the referrals of a programme their
# agency leads.
can_triage = can_edit_people
can_triage_referral = can_triage & leads_referrals_programme
# A programme is set up by an administrator of its lead agency; its cases are opened by
# casework roles of that agency.
can_set_up_programme = has_role(Role.ADMINISTRATOR) & works_for
can_open_case_in = can_edit_people & leads_programme
# Casework roles of the agency that holds a case change it; a shared case is read-only.
can_change_case = can_edit_people & holds
can_acknowledge_handover = in_handover_team
# A partner agency given a case in full works on it too (issue 14, item 20): its casework roles
# add to the chronology and complete the tasks assigned to it; everything else stays with the
# holder. A name-only share gives neither.
can_add_entry = can_edit_people & (holds | shared_in_full)
# ...and records the enforcement it served itself (a police closure notice on a landlord's case,
# ADR 0048); the holder records any agency's, and only the holder changes an action afterwards.
can_add_enforcement = can_add_entry
can_complete_task = can_edit_people & (
    holds_tasks_case | (tasks_case_shared_in_full & assigned_to_users_agency)
)
# The ASB hand-over queue is in the menu of those who work it.
can_work_asb_queue = can_browse_people & in_an_asb_team

rules.add_rule("cases.change_draft", can_change_draft)
rules.add_rule("cases.triage", can_triage)
rules.add_rule("cases.triage_referral", can_triage_referral)
rules.add_rule("cases.set_up_programme", can_set_up_programme)
rules.add_rule("cases.open_case_in", can_open_case_in)
rules.add_rule("cases.change_case", can_change_case)
rules.add_rule("cases.acknowledge_handover", can_acknowledge_handover)
rules.add_rule("cases.add_entry", can_add_entry)
rules.add_rule("cases.add_enforcement", can_add_enforcement)
rules.add_rule("cases.complete_task", can_complete_task)
