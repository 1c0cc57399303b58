"""The indicator catalogue: versioned, changed by administrators only, each change audited, and
each list made with the version it names."""

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.errors import NotPermitted
from safehold.risk.engine import score
from safehold.risk.indicators import INDICATORS
from safehold.risk.models import IndicatorVersion
from safehold.risk.services import IndicatorsRefused, change_indicators, current_version
from safehold.risk.tests.factories import AS_OF, flagged

pytestmark = pytest.mark.django_db


def test_the_first_version_holds_every_indicator_with_its_defaults():
    version = current_version()
    assert version.number == 1
    assert set(version.settings) == {i.code for i in INDICATORS}
    assert version.settings["arrears_rising"] == {
        "enabled": True,
        "weight": 2,
        "params": {"extracts": 3},
        "owner": "Tenancy sustainment",
    }


def test_an_administrator_changes_the_catalogue_as_a_new_audited_version():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    first = current_version()
    version = change_indicators(
        by=admin,
        changes={"learning_disability": {"weight": 5}, "repeat_ae": {"params": {"count": 4}}},
        reason="Board review of the weights",
    )
    assert version.number == first.number + 1
    assert version.settings["learning_disability"]["weight"] == 5
    assert version.settings["repeat_ae"]["params"] == {"count": 4, "days": 90}
    first.refresh_from_db()
    assert first.settings["learning_disability"]["weight"] == 3  # versions are never edited
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "alter" and event.actor == admin
    assert event.object_ids == str(version.pk)
    assert "learning_disability" in event.purpose and "repeat_ae" in event.purpose


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SUPERVISOR, Role.IG_OFFICER])
def test_the_catalogue_is_refused_to_anyone_but_an_administrator(role):
    before = (IndicatorVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(NotPermitted):
        change_indicators(
            by=UserFactory(role=role), changes={"mental_health": {"weight": 9}}, reason="Because"
        )
    assert (IndicatorVersion.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"no_such_indicator": {"weight": 1}},
        {"mental_health": {"weight": -1}},
        {"mental_health": {"weight": "high"}},
        {"repeat_ae": {"params": {"weeks": 3}}},
        {"repeat_ae": {"params": {"count": 0}}},
        {"mental_health": {"colour": "red"}},
        {},
    ],
)
def test_a_change_the_catalogue_cannot_take_is_refused_and_changes_nothing(changes):
    before = IndicatorVersion.objects.count()
    with pytest.raises(IndicatorsRefused):
        change_indicators(
            by=UserFactory(role=Role.ADMINISTRATOR), changes=changes, reason="A reason"
        )
    assert IndicatorVersion.objects.count() == before


def test_a_list_is_made_with_the_version_it_names():
    person = flagged("mental_health")
    admin = UserFactory(role=Role.ADMINISTRATOR)
    first = current_version()
    change_indicators(by=admin, changes={"mental_health": {"weight": 7}}, reason="Re-weighted")
    change_indicators(by=admin, changes={"mental_health": {"enabled": False}}, reason="Off")
    assert score(AS_OF).entries == []
    old = score(AS_OF, version=first)
    assert old.version == 1
    assert [(e.subject_ref, e.score) for e in old.entries] == [(f"safehold/{person.pk}", 2)]
    second = IndicatorVersion.objects.get(number=2)
    assert score(AS_OF, version=second).entries[0].score == 7
