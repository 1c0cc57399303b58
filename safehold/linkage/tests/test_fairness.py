"""The fairness report: match rates and review outcomes by how common the surname is (always)
and by ethnic group where an extract carries one, with every record counted once and the
differences said in words (issue 17, item 6)."""

from django.utils.html import escape

from safehold.linkage import services
from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.fairness import MIN_GROUP, fairness_report, group_totals
from safehold.linkage.models import Pair, Record
from safehold.linkage.tests.partnership import make_partnership


def test_by_surname_always_and_by_ethnic_group_where_an_extract_has_one(db):
    partnership = make_partnership(ethnicity=True)
    run = services.run_linkage(by=None)
    report = fairness_report(run)
    # Every record once in the surname table; the bands in order.
    assert report.by_surname.everyone.records == Record.objects.filter(run=run).count()
    assert sum(r.records for r in report.by_surname.rows) == report.by_surname.everyone.records
    assert report.by_surname.rows[0].group == "Among the 20 most common"
    assert report.by_surname.findings  # words, always
    # The landlord's extract has the column: its rows are grouped, no one else's.
    assert report.extracts_with_ethnicity == ["Stockport Homes"]
    groups = group_totals(report.by_ethnicity)
    landlord = Record.objects.filter(run=run, agency=partnership.landlord)
    assert sum(r.records for r in groups.values()) == landlord.count()
    assert set(groups) == {"Asian or Asian British", "White"}
    assert groups["Asian or Asian British"].records >= MIN_GROUP
    # A linked record is one whose cluster holds another record.
    clusters = list(Record.objects.filter(run=run).values_list("cluster_id", flat=True))
    linked = sum(1 for r in landlord.values_list("cluster_id", flat=True) if clusters.count(r) > 1)
    assert sum(r.linked for r in groups.values()) == linked


def test_a_reviewer_s_decision_counts_in_the_group_of_its_records(db):
    partnership = make_partnership(ethnicity=True)
    run = services.run_linkage(by=None)
    before = fairness_report(run).by_ethnicity.everyone.different
    pair = (
        Pair.objects.filter(run=run, left__agency=partnership.landlord)
        .exclude(outcome=Outcome.LINKED)
        .select_related("left", "right")
        .first()
        or Pair.objects.filter(run=run, left__agency=partnership.landlord)
        .select_related("left", "right")
        .first()
    )
    services.decide(
        pair=pair, decision=Decision.DIFFERENT, reason="Different people",
        by=partnership.users["landlord_ig_officer"],
    )  # fmt: skip
    report = fairness_report(run)
    assert report.by_ethnicity.everyone.different == before + 1
    assert sum(r.different for r in report.by_ethnicity.rows) >= 1


def test_the_page_and_its_csv_give_the_counts_to_reviewers_only(db, client):
    partnership = make_partnership(ethnicity=True)
    client.force_login(partnership.users["police_analyst"])
    assert "No linkage run has finished yet" in client.get("/linkage/fairness/").content.decode()
    run = services.run_linkage(by=None)
    page = client.get("/linkage/fairness/").content.decode()
    report = fairness_report(run)
    assert "By how common the surname is" in page and "By ethnic group" in page
    assert all(escape(finding) in page for finding in report.by_surname.findings)
    csv_text = client.get("/linkage/fairness/?format=csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("table,group,records")
    everyone = [line for line in lines if ",Everyone," in line]
    assert len(everyone) == 2  # one per table
    assert f",Everyone,{report.by_surname.everyone.records}," in everyone[0]
    client.force_login(partnership.users["police_caseworker"])
    assert client.get("/linkage/fairness/").status_code == 403
