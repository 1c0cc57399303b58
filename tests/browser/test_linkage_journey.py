"""Issue 17's journey in the browser: the landlord uploads a people and a tenancies extract, the
police a people extract (through the upload page, as their officers would); linkage runs with
progress; a reviewer confirms one pair and rejects another with reasons; a social worker
triaging a referral to adult social care's safeguarding programme sees that the person is known
to the landlord — name and agency only, as the sharing rules say — and requests access; once
the landlord approves, the record shows in full. Every page passes axe-core."""

import csv
import re

import pytest

from safehold.linkage.generate import generate
from safehold.linkage.tests.partnership import EXTRACT_COLUMNS
from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

# The partnership's agreement (all seven agencies): not the Crime Concordat, which the landlord
# and the police alone are party to (a tenant shared under it is not named to social care).
AGREEMENT = "Stockport Community Safety Partnership information sharing agreement"
HOMES_IG = "ig@homes.demo.safehold.test"
GMP_ANALYST = "analyst@gmp.demo.safehold.test"
SOCIAL_WORKER = "socialworker@asc.demo.safehold.test"
TENANCY_COLUMNS = ("tenancy_ref", "record_ids", "uprn", "address", "start_date", "arrears_weeks")

# Adult social care's own safeguarding programme (the demo's one programme is the landlord's),
# and a referral to it naming a tenant of the landlord: made with the services, in the
# server's database.
REFERRAL = """
import datetime
from safehold.accounts.models import Agency, Team, User
from safehold.cases.models import Referral
from safehold.cases.services.cases import create_programme
asc = Agency.objects.get(name="Stockport Adult Social Care")
programme = create_programme(
    name="Adult safeguarding", lead_agency=asc, reference_prefix="ASG",
    triage_team=Team.objects.get(agency=asc, name="Safeguarding Adults"), by=None,
)
Referral.objects.create(
    programme=programme, reference="ASG-REF-0001", status="submitted",
    referrer_agency=Agency.objects.get(name="Victim Services Stockport"),
    subject_known=True, subject_given_name={first!r}, subject_family_name={last!r},
    subject_date_of_birth=datetime.date.fromisoformat({born!r}),
    what_was_seen="Visitors at all hours; she seems frightened of them.",
    suspected_types=["cuckooing"], urgency="urgent", consent="not_known",
    submitted_at=datetime.datetime.now(datetime.UTC),
)
print(Referral.objects.get(reference="ASG-REF-0001").pk)
"""


def _files(tmp_path) -> tuple[dict, dict]:
    """The landlord's people (names only) and tenancies (the homes), the police's people: the
    generator's "landlord" and "police" records. Returns the paths and one landlord tenant
    whom the police do not know (the referral's subject)."""
    records, truth = generate(800, seed=5, household_traps=4)
    rows = records.to_pylist()
    paths = {name: tmp_path / f"{name}.csv" for name in ("homes-people", "homes-tenancies", "gmp")}
    with (
        open(paths["homes-people"], "w", newline="") as people,
        open(paths["homes-tenancies"], "w", newline="") as tenancies,
        open(paths["gmp"], "w", newline="") as police,
    ):
        writers = {
            name: csv.writer(f) for name, f in (("p", people), ("t", tenancies), ("g", police))
        }
        writers["p"].writerow(EXTRACT_COLUMNS)
        writers["g"].writerow(EXTRACT_COLUMNS)
        writers["t"].writerow(TENANCY_COLUMNS)
        for n, row in enumerate(rows):
            cells = ["" if row[c] is None else row[c] for c in EXTRACT_COLUMNS]
            if row["source"] == "landlord":
                writers["p"].writerow([*cells[:6], "", "", ""])  # the home is on the tenancy
                writers["t"].writerow(
                    [f"T-{n:05d}", row["record_id"], row["uprn"] or "", row["address"] or "",
                     "2019-04-01", "2.5" if n % 5 == 0 else "0"]
                )  # fmt: skip
            elif row["source"] == "police":
                writers["g"].writerow(cells)
    police_people = {truth[f"police/{r['record_id']}"] for r in rows if r["source"] == "police"}
    subject = next(
        r
        for r in rows
        if r["source"] == "landlord"
        and r["date_of_birth"]
        and truth[f"landlord/{r['record_id']}"] not in police_people
        and not truth[f"landlord/{r['record_id']}"].endswith(("-parent", "-child"))
    )
    return paths, subject


def _upload(page, server, path, kind: str) -> None:
    page.goto(server.base_url + "/partners/extracts/upload/")
    page.get_by_role("radio", name=kind).check()
    page.get_by_label("Information sharing agreement").select_option(label=AGREEMENT)
    page.get_by_label("Purpose").fill("Finding people known to more than one agency")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Check and store").click()
    page.wait_for_url(re.compile(r"/partners/extracts/upload/[0-9a-f-]{36}/$"))
    page.wait_for_selector(".govuk-panel--confirmation", timeout=60_000)
    assert serious_accessibility_violations(page) == []


def _decide(page, answer: str, reason: str) -> None:
    page.locator("#queue tbody tr").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/linkage/review/\d+/$"))
    assert page.locator("#waterfall-table").is_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("radio", name=answer).check()
    page.get_by_label("Why").fill(reason)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/linkage/review/$"))


def test_partner_data_linked_reviewed_and_found_at_the_front_door(server, page, browser, tmp_path):
    paths, subject = _files(tmp_path)
    # The landlord uploads its people and its tenancies; the police their people.
    sign_in(page, server, HOMES_IG)
    _upload(page, server, paths["homes-people"], "People")
    _upload(page, server, paths["homes-tenancies"], "Tenancies")
    police = browser.new_page()
    sign_in(police, server, GMP_ANALYST)
    _upload(police, server, paths["gmp"], "People")
    police.close()

    # The landlord's IG officer runs linkage and watches it finish.
    page.goto(server.base_url + "/linkage/")
    page.get_by_role("button", name="Run linkage").click()
    page.wait_for_url(re.compile(r"/linkage/runs/[0-9a-f-]{36}/$"))
    page.wait_for_selector(".govuk-panel--confirmation", timeout=300_000)
    assert serious_accessibility_violations(page) == []

    # Reviews: one pair confirmed, another rejected, with reasons.
    page.goto(server.base_url + "/linkage/review/")
    assert page.locator("#queue tbody tr").count() >= 2
    _decide(page, "Yes, the same person", "Same tenancy and date of birth")
    _decide(page, "No, not the same person", "Different people at one address")
    page.goto(server.base_url + "/linkage/decisions/")
    table = page.locator("#decisions").inner_text()
    assert "Same tenancy and date of birth" in table and "Different people at one address" in table

    # A referral to adult social care names one of the landlord's tenants.
    referral = server.safehold(
        "shell", "-c",
        REFERRAL.format(first=subject["first_name"], last=subject["surname"], born=subject["date_of_birth"]),
    ).strip().splitlines()[-1]  # fmt: skip
    worker = browser.new_page()
    sign_in(worker, server, SOCIAL_WORKER)
    worker.goto(f"{server.base_url}/cases/triage/{referral}/")
    panel = worker.locator("#partnership-matches").locator("..")
    text = panel.inner_text()
    name = f"{subject['first_name']} {subject['surname']}"
    assert "Stockport Homes" in text and name in text and "Name and agency only" in text
    born = subject["date_of_birth"]
    assert born not in text  # no date of birth for name and agency only
    assert serious_accessibility_violations(worker) == []
    panel.get_by_role("link", name=re.compile("Request access")).first.click()
    worker.get_by_label("Why do you need the full record?").fill(
        "Safeguarding referral: possible cuckooing at her home"
    )
    worker.get_by_role("button", name="Send request").click()
    worker.wait_for_url(server.base_url + "/sharing/requests/sent/")
    assert name in worker.locator("main").inner_text()

    # The landlord's exploitation officer (who decides its access requests) approves; the
    # social worker now sees the record in full.
    officer = browser.new_page()
    sign_in(officer, server, "epo@homes.demo.safehold.test")
    officer.goto(server.base_url + "/sharing/requests/")
    assert name in officer.locator("main").inner_text()
    officer.get_by_role("link", name=re.compile("^Approve")).first.click()
    officer.get_by_role("button", name=re.compile("Approve")).click()
    officer.close()
    worker.goto(f"{server.base_url}/cases/triage/{referral}/")
    text = worker.locator("#partnership-matches").locator("..").inner_text()
    assert name in text and "Name and agency only" not in text.split(name)[1].split("\n")[0]
    worker.close()
