"""Issue 15's journey in a real browser, on the demo partnership: a police inspector plans a
warrants operation with Stockport Homes on three premises and records its results, including a
safeguarding referral that the exploitation officer then finds in triage, and the closure notice
the police served at the premises of a Stockport Homes case shared with them in full, whose court
hearing deadline then shows on the case for the exploitation officer; the inspector writes a letter and prints
reassurance letters for the 50 nearest addresses (one PDF, 50 letters); the exploitation officer
builds the closure bundle from the case page, whose index gives the page each heading is on
(read back page by page with pdftotext). Every page on the way is swept with axe-core and for
its width on a phone."""

import datetime
import re
import zoneinfo

import pytest

from safehold.enforcement.tests.test_bundle import _index, _pages
from tests.browser.conftest import follow, serious_accessibility_violations
from tests.browser.test_sharing_journey import EPO, PC, users  # noqa: F401

pytestmark = pytest.mark.browser

# An open Stockport Homes case shared in full with the police, at a place with a map point:
# not the newest or the oldest open case (other journeys share and stop sharing those).
FIND_CASE = (
    "from safehold.cases.models import Case; "
    "open_cases = Case.objects.filter(status='open', owning_agency__name='Stockport Homes'); "
    "ends = [open_cases.order_by(o).values_list('pk', flat=True).first() "
    "for o in ('referral_date', '-referral_date')]; "
    "c = open_cases.exclude(pk__in=ends).filter(location__latitude__isnull=False, "
    "disclosures__to_agency__name='Greater Manchester Police', disclosures__level='full', "
    "disclosures__revoked_at__isnull=True).order_by('-referral_date').first(); "
    "print(c.reference, c.location.address_line_1, c.pk, sep='|')"
)
# A form's own text, without its button's: the address it adds.
OWN_TEXT = (
    "f => [...f.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()"
)
LETTER = (
    "Dear resident at {{ address }},\n\n"
    "Greater Manchester Police acted at a property near you today ({{ purpose }}).\n\n"
    "Please quote {{ reference }} if you contact us.\n\n{{ officer_name }}\n{{ agency }}"
)


def test_plan_record_triage_closure_deadline_letters_and_bundle(server, users):  # noqa: F811
    reference, case_address, case_pk = (
        server.safehold("shell", "-c", FIND_CASE).strip().splitlines()[-1].split("|")
    )
    name = f"Operation Journey {datetime.datetime.now():%H%M%S}"
    served = datetime.date.today() - datetime.timedelta(days=1)
    problems = {}

    def sweep(user, what):
        if found := serious_accessibility_violations(user.page):
            problems[what] = found

    # 1. The inspector plans a warrant execution with Stockport Homes.
    police = users(PC)
    police.goto("/operations/plan/")
    police.page.get_by_label("Name of the operation").fill(name)
    police.page.get_by_label("Warrant execution").check()
    day = datetime.date.today()
    police.page.locator("#id_starts_on_day").fill(str(day.day))
    police.page.locator("#id_starts_on_month").fill(str(day.month))
    police.page.locator("#id_starts_on_year").fill(str(day.year))
    police.page.get_by_label("Start time (optional)").fill("06:00")
    police.page.get_by_label("Stockport Homes", exact=True).check()
    police.button("Plan operation")
    police.page.wait_for_url(re.compile(r"/operations/[0-9a-f-]{36}/$"))
    operation_url = police.page.url
    assert police.page.locator("h1").inner_text() == name

    # 2. Three premises: two flats of the police's and the case's address, found by search.
    follow(police.page.get_by_role("link", name="Change premises and people of interest"))
    targets_url = police.page.url.split("?")[0]
    # Searched by street, without the house number: every word searched for is a needle the
    # audit log test looks for, and a bare number is found in texts that are not personal.
    street = " ".join(word for word in case_address.split() if not word[0].isdigit())
    flat = r"Flat \d+, Larkhill House"
    for query, place in (("Larkhill", flat), ("Larkhill", flat), (street, re.escape(case_address))):
        police.goto(f"{targets_url}?q={query}")
        # The first place found that is not a premises yet (those are marked, not offered).
        added = police.page.locator("main form:has(button[name=remove_premises])")
        chosen = [
            form
            for form in police.page.locator("main form:has(button[name=add_location])").all()
            if re.match(place, address := form.evaluate(OWN_TEXT))
            and not any(address in text for text in added.all_inner_texts())
        ]
        chosen[0].get_by_role("button").click()
        police.page.wait_for_url(re.compile(re.escape(targets_url) + r"\?q="))  # the same search
        assert "The premises has been added" in police.page.locator("main").inner_text()
    sweep(police, "targets")
    police.goto(operation_url)
    premises = police.page.locator("main ul.govuk-list--bullet").first.locator("li")
    assert premises.count() == 3
    assert any(case_address in text for text in premises.all_inner_texts())
    sweep(police, "operation")

    # 3. Results at the first flat, and a safeguarding referral made there.
    police.page.get_by_role("link", name="Record results").click()
    where = police.page.get_by_label("Where")
    first_flat = where.locator("option").nth(1).inner_text()
    where.select_option(label=first_flat)
    police.page.get_by_label("Warrants executed").fill("1")
    police.page.get_by_label("Arrests (optional)").fill("Possession with intent to supply class A")
    police.page.get_by_label("Phones seized").fill("2")
    sweep(police, "results form")
    police.button("Save results")
    police.page.wait_for_url(operation_url)
    assert "Possession with intent to supply class A" in police.page.locator("main").inner_text()
    police.page.get_by_role("link", name="Make a safeguarding referral").click()
    police.page.get_by_label("Where").select_option(label=first_flat)
    police.page.get_by_label("What was seen or heard").fill(
        "An older resident seemed frightened of the visitors staying in his flat."
    )
    police.page.get_by_label("Urgent: within 2 working days").check()
    police.page.get_by_label("Not known").check()
    sweep(police, "referral form")
    police.button("Send referral")
    police.page.wait_for_url(operation_url)
    referral = re.search(r"REF-\d{4}-\d{4}", police.page.locator("main").inner_text())[0]

    # 4. The exploitation officer finds the referral in the triage queue.
    housing = users(EPO)
    housing.goto("/cases/triage/")
    assert housing.page.get_by_role("link", name=referral).count() == 1
    sweep(housing, "triage")

    # 5. The inspector records the closure notice the police served at the case's premises (the
    # case is Stockport Homes', shared with the police in full), and the court's deadline, 48
    # hours after service, is on the case for its officer.
    police.goto(operation_url)
    police.page.get_by_role("link", name="Record a closure notice").click()
    at = police.page.get_by_label("Premises")
    at.select_option(label=at.locator("option", has_text=case_address).inner_text())
    police.page.get_by_label("Case reference").fill(reference)
    police.page.locator("#id_served_on_day").fill(str(served.day))
    police.page.locator("#id_served_on_month").fill(str(served.month))
    police.page.locator("#id_served_on_year").fill(str(served.year))
    police.page.get_by_label("Time served").fill("09:15")
    sweep(police, "closure notice form")
    police.button("Save closure notice")
    police.page.wait_for_url(operation_url)
    housing.goto(operation_url)
    housing.page.get_by_role("link", name=f"case {reference}").click()
    housing.page.wait_for_url(re.compile(rf"/cases/{case_pk}/$"))
    # 48 hours after 09:15 London time the day before (an hour off if the clocks change).
    london = zoneinfo.ZoneInfo("Europe/London")
    served_at = datetime.datetime.combine(served, datetime.time(9, 15), tzinfo=london)
    hearing = (served_at.astimezone(datetime.UTC) + datetime.timedelta(hours=48)).astimezone(london)
    enforcement = housing.page.locator("table").filter(
        has=housing.page.locator("caption", has_text="Enforcement actions")
    )
    notice_row = enforcement.locator("tbody tr").filter(has_text="Closure notice")
    assert re.search(
        rf"Court hearing due by: {hearing.day} {hearing:%b %Y %H:%M}",
        " ".join(notice_row.all_inner_texts()),
    ), notice_row.all_inner_texts()
    assert "Greater Manchester Police" in " ".join(notice_row.all_inner_texts())  # who served it
    sweep(housing, "case")

    # 6. The inspector writes a letter, plans around the case's premises and prints letters
    # for the 50 nearest addresses.
    police.goto("/reassurance/letters/add/")
    police.page.get_by_label("Name of the template").fill(f"After {name}")
    police.page.get_by_label("Text of the letter").fill(LETTER)
    sweep(police, "letter template form")
    police.button("Save the letter")
    police.goto(operation_url)
    police.page.get_by_role(
        "link", name=re.compile(rf"letters and leaflets for the neighbours of {case_address}")
    ).click()
    police.page.wait_for_url(re.compile(r"/reassurance/plan/[0-9a-f-]{36}/"))
    sweep(police, "reassurance planner")
    police.page.get_by_label("Reassurance letters").check()
    police.page.get_by_label("What is it for?").fill("reassurance after the warrants")
    police.page.get_by_label("Letter to print (letters only)").select_option(label=f"After {name}")
    police.page.get_by_label("Officer who signs the letters (letters only)").fill("Insp. Example")
    police.page.get_by_label("How many of the nearest addresses get a letter?").fill("50")
    police.button("Make the batch")
    police.page.wait_for_url(re.compile(r"/reassurance/batches/[0-9a-f-]{36}/$"))
    assert "50 addresses" in police.page.locator("main").inner_text()
    sweep(police, "batch")
    href = police.page.get_by_role("link", name="Print the letters (PDF)").get_attribute("href")
    pdf = police.context.request.get(server.base_url + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    letters = _pages(pdf.body())
    assert len(letters) == 50
    references = {re.search(r"Our reference: (\S+)", page)[1] for page in letters}
    assert len(references) == 50  # one letter to each address, each with its own reference
    assert all("Dear resident at" in page for page in letters)

    # 7. The exploitation officer builds the closure notice's bundle from the case page.
    housing.page.get_by_role(
        "link", name="Build the application bundle for the closure notice"
    ).first.click()
    housing.page.wait_for_url(re.compile(r"/enforcement/[0-9a-f-]{36}/bundle/$"))
    sweep(housing, "bundle form")
    housing.page.get_by_label("The court").check()
    with housing.page.expect_download() as download:
        housing.button("Build and download the bundle (PDF)")
    with open(download.value.path(), "rb") as file:
        pages = _pages(file.read())
    index_page, rows = _index(pages)
    headings = [heading for heading, _ in rows]
    assert "Chronology" in headings and "Exhibits" in headings, headings
    for heading, number in rows:
        if heading == "Cover sheet":
            assert number == 1
            continue
        assert re.search(rf"^\s*{re.escape(heading)}\s*$", pages[number - 1], re.M), (
            f"{heading} is not on page {number}"
        )
        for earlier in range(index_page, number - 1):
            assert not re.search(rf"^\s*{re.escape(heading)}\s*$", pages[earlier], re.M), (
                f"{heading} is already on page {earlier + 1}"
            )
    assert problems == {}
