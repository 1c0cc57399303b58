"""Optimistic locking holds under concurrency (ADR 0061): of saves based on one version, exactly
one succeeds, whatever their number and order; on PostgreSQL with real threads, each on its own
connection, racing to write the same person."""

import threading

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.core.locking import EditConflict, save_if_unchanged
from safehold.people import services
from safehold.people.models import Person
from safehold.people.tests.factories import PersonFactory


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=6))
def test_a_save_succeeds_exactly_when_it_names_the_version_now(db, based_on):
    """Saves in order, each naming a version: the model says which must succeed (the one
    naming the version current at that moment), and the person ends at 1 + their number."""
    person = PersonFactory(family_name="Start")
    expected_version, outcomes, expected = 1, [], []
    for turn, version in enumerate(based_on):
        expected.append(version == expected_version)
        expected_version += version == expected_version
        try:
            services.update_person(
                person=Person.objects.get(pk=person.pk), by=None, version=version,
                family_name=f"Turn {turn}",
            )  # fmt: skip
            outcomes.append(True)
        except EditConflict as error:
            assert error.version == expected_version  # the refusal says the version now
            outcomes.append(False)
    assert outcomes == expected
    assert Person.objects.get(pk=person.pk).version == expected_version


def _on_own_connection(work):
    """Run `work` in a thread with its own connection, committing as it goes (the test's own
    connection is inside a transaction the racing threads could not see into)."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result[0] if result else None


def test_racing_saves_with_one_version_give_exactly_one_success(db):
    """The write every service makes (`save_if_unchanged`), from 8 threads on 8 connections at
    once. It is called directly, not through `update_person`: the service's audit events would
    be committed by the threads and stay in the append-only table for the tests that follow."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: real concurrency needs PostgreSQL")
    # Committed by another connection so that every thread sees it, and removed at the end. (A
    # transactional test cannot be used: its flush truncates the append-only audit table.)
    person = _on_own_connection(lambda: PersonFactory(family_name="Before"))
    try:
        tries = 8
        barrier = threading.Barrier(tries)
        outcomes: list[tuple[str, int]] = []

        def attempt(writer: int) -> None:
            try:
                mine = Person.objects.get(pk=person.pk)  # each opened version 1
                mine.family_name = f"Writer {writer}"
                barrier.wait(timeout=30)
                with transaction.atomic():
                    save_if_unchanged(
                        mine, version=mine.version, fields=["family_name"], noun="person"
                    )
                outcomes.append(("saved", writer))
            except EditConflict as error:
                outcomes.append(("refused", error.version))
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(tries)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(outcomes) == tries
        saved = [writer for kind, writer in outcomes if kind == "saved"]
        assert len(saved) == 1
        assert [v for kind, v in outcomes if kind == "refused"] == [2] * (tries - 1)
        now = _on_own_connection(
            lambda: Person.objects.values_list("family_name", "version").get(pk=person.pk)
        )
        assert now == (f"Writer {saved[0]}", 2)
    finally:
        _on_own_connection(lambda: (person.delete(), person.owning_agency.delete()))
