"""The health endpoint (ADR 0062): open to the load balancer without signing in, JSON with no
personal data, 503 only when the server itself cannot work."""

import datetime
import shutil
import time

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safehold.cases.tests.factories import CaseFactory
from safehold.imports.health import WORKER_KEY, beat_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def on_a_worker(settings):
    """Imports on the queue, as in production; no worker has beaten yet."""
    settings.SAFEHOLD_IMPORT_IN_BACKGROUND = True
    caches["imports"].delete(WORKER_KEY)
    yield
    caches["imports"].delete(WORKER_KEY)


def health(client):
    response = client.get(reverse("upkeep:health"))
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_a_healthy_server_answers_200_without_signing_in(client, data_dir):
    status, body = health(client)
    assert status == 200
    assert body["status"] == "ok" and body["maintenance"] is False
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "data_folder",
        "queue",
        "worker",
    }
    assert body["checks"]["worker"]["needed"] is False  # imports run in the request here


def test_the_answer_holds_no_personal_data(client, data_dir):
    case = CaseFactory()
    text = client.get(reverse("upkeep:health")).content.decode()
    for value in (case.reference, case.subject.given_name, case.subject.family_name):
        assert value not in text


def test_a_data_folder_that_cannot_be_written_fails_the_server_with_503(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    assert health(client)[0] == 200  # the same server, its folder writable
    shutil.rmtree(tmp_path / "data")
    (tmp_path / "data").write_text("a file where the folder should be")
    status, body = health(client)
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"]["data_folder"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_without_a_worker_heartbeat_the_server_is_degraded_but_stays_in_the_balancer(
    client, data_dir, on_a_worker
):
    status, body = health(client)
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["heartbeat_age_seconds"] is None
    beat_worker()
    status, body = health(client)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"]["worker"]["heartbeat_age_seconds"] < 5


def test_a_worker_silent_for_four_beats_is_reported(client, data_dir, on_a_worker, settings):
    settings.SAFEHOLD_IMPORT_HEARTBEAT_SECONDS = 15
    caches["imports"].set(WORKER_KEY, time.time() - 61, timeout=None)
    body = health(client)[1]
    assert body["status"] == "degraded"
    assert "no worker heartbeat in the last 60 s" in body["checks"]["worker"]["error"]
    caches["imports"].set(WORKER_KEY, time.time() - 59, timeout=None)
    assert health(client)[1]["status"] == "ok"


def test_the_queue_depth_counts_the_tasks_waiting_and_the_oldest_wait(client, data_dir):
    assert health(client)[1]["checks"]["queue"] == {
        "ok": True,
        "depth": 0,
        "oldest_waiting_seconds": None,
        "ms": pytest.approx(0, abs=1000),
    }
    for status in ("READY", "READY", "RUNNING", "SUCCESSFUL"):
        DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="safehold.imports.tasks.run_import",
            backend_name="default",
            run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        )
    DBTaskResult.objects.filter(status="READY").update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    queue = health(client)[1]["checks"]["queue"]
    assert queue["depth"] == 2
    assert 590 <= queue["oldest_waiting_seconds"] <= 660
