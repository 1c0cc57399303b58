"""Submitting and grading through the services, as the pages do."""

import datetime

from safehold.intelligence import services

WHAT = "Qintwhat: cars calling at flat 4 all night"
SANITISED = "Qintsanitised: drug supply suspected at an address"
ACTION = "Qintaction: passed to the neighbourhood team"


def submit(by, **extra):
    return services.submit_intelligence(
        by=by,
        what=WHAT,
        occurred_on=datetime.date(2026, 3, 1),
        source_relationship="witnessed",
        who="Qintwho",
        mentions=[("phone", "07700 900123"), ("vehicle", "ab12 cde")],
        **extra,
    )


def grade(intelligence, by, *, handling_code="P", **extra):
    values = {
        "source_evaluation": "2",
        "assessment": "B",
        "handling_code": handling_code,
        "sanitised_text": SANITISED,
        "action_taken": ACTION,
        "status": "actioned",
    } | extra
    return services.grade_intelligence(intelligence=intelligence, by=by, **values)
