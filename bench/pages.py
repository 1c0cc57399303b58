"""Benchmark: every page, PDF and download of the demo's sweep, timed against the budgets
(every page under 1 s, every PDF or zip under 2 s, at the demo's size).

    .venv/bin/python bench/pages.py [--repeat 5] [--work DIR] [--database-url URL]
        [--only TEXT] [--strict] [--profile TEXT]

Loads the demo once (`safehold demo load`: the partnership, its casework, the board report's
indicators and Stockport's police.uk burglaries) into a SQLite database and a data folder under
--work (or into the database --database-url names, e.g. a PostgreSQL database of your own),
then signs in as the demo user each page is for, through Django's test client (so the whole
request, middleware, audit and rendering, is measured), and requests each URL once to warm up
and then --repeat times. Prints each URL's median and slowest time, its median CPU time (this
process's, every thread: what the request costs, whatever else the machine is doing) and its
SQL queries, against its budget (on the median wall time). Records (a case, a person, a place, a referral) are found as a user finds them: the
first link of their list. The URLs are those of the axe sweep (tests/browser/
test_accessibility.py) plus the downloads it does not open.

Exits 0 unless --strict is given and something is over its budget: a benchmark measures the
machine it runs on, so it is not a test. `--profile TEXT` prints a profile of the
first URL whose label contains TEXT (pyinstrument if installed in the venv, it is not in the
lock; else cProfile, by CPU time).
"""

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_BUDGET = 1.0
DOCUMENT_BUDGET = 2.0  # a PDF or a zip

EPO = "epo@homes.demo.safehold.test"
SUPERVISOR = "supervisor@homes.demo.safehold.test"
IG_HOMES = "ig@homes.demo.safehold.test"
IG_COUNCIL = "ig@council.demo.safehold.test"
ADMIN = "admin@homes.demo.safehold.test"
PERFORMANCE = "performance@council.demo.safehold.test"

WARD = "E05000791"  # a Stockport ward with the demo's burglaries
PERIOD = (
    "date_from_day=1&date_from_month=1&date_from_year=2025"
    "&date_to_day=31&date_to_month=12&date_to_year=2026"
)


@dataclass
class Url:
    """One URL to time: who asks, what, and whether it is a document (PDF, zip)."""

    user: str
    path: str
    document: bool = False
    method: str = "get"
    label: str = ""

    def __post_init__(self):
        self.label = self.label or self.path

    @property
    def budget(self) -> float:
        return DOCUMENT_BUDGET if self.document else PAGE_BUDGET


@dataclass
class Timing:
    url: Url
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process's CPU time, every thread
    queries: int = 0
    status: int = 0
    size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def slowest(self) -> float:
        return max(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def static_urls() -> list[Url]:
    """The sweep's pages that name no record."""
    casework = (
        "/", "/cases/", "/cases/?risk=high&sort=-risk", "/cases/triage/", "/cases/tasks/",
        "/cases/tasks/team/", "/cases/asb/", "/cases/import/", "/cases/referrals/",
        "/people/", "/people/add/", "/people/places/", "/people/places/add/",
    )  # fmt: skip
    governance = (
        "/governance/", "/governance/subject-access/", "/governance/holds/",
        "/governance/retention/", "/governance/retention/policies/", "/governance/erasures/",
        "/monitoring/alerts/", "/sharing/agreements/", "/sharing/record-of-processing/",
        "/sharing/who-else/", "/reports/evaluation/", f"/reports/evaluation/?{PERIOD}",
    )  # fmt: skip
    performance = (
        "/performance/", "/performance/?period=2016%2F17", "/performance/indicators/",
        "/performance/indicators/add/", "/performance/import/",
        "/performance/?period=2016%2F17&format=print",
    )  # fmt: skip
    incidents = (
        "/crime/incidents/", "/crime/incidents/peak-times/", "/crime/incidents/seasons/",
        "/crime/incidents/hot-spots/", "/crime/incidents/print/", "/crime/incidents/upload/",
        "/crime/police/", "/crime/police/upload/",
    )  # fmt: skip
    police = (
        "/crime/", f"/crime/?area={WARD}&measure=count&crime_type=Burglary", "/crime/print/",
        "/crime/analyses/counts/", "/crime/analyses/counts/?group_by=ward&group_by=month&page=2",
        "/crime/analyses/trend/", "/crime/analyses/comparison/",
        "/crime/analyses/top-areas/?level=lsoa", "/crime/analyses/seasonal/",
        "/crime/analyses/repeat-locations/",
        "/crime/analyses/hot-spots/?cell_size=500&radius=2&alpha=0.05&study_area=points",
        f"/crime/wards/{WARD}/report/",
    )  # fmt: skip
    urls = [Url(EPO, p) for p in casework]
    urls += [Url(IG_HOMES, "/audit/"), Url(ADMIN, "/account/users/")]
    urls += [Url(IG_COUNCIL, p) for p in governance]
    urls += [
        Url(SUPERVISOR, f"/reports/evaluation/?{PERIOD}"),
        Url(SUPERVISOR, "/reports/evaluation/settings/"),
    ]
    urls += [Url(PERFORMANCE, p) for p in performance + incidents]
    urls += [Url(IG_COUNCIL, p) for p in police]
    documents = [
        Url(PERFORMANCE, "/performance/?period=2016%2F17&format=pdf", True, label="board report PDF"),
        Url(PERFORMANCE, "/performance/?format=pdf", True, label="board report PDF (latest)"),
        Url(SUPERVISOR, f"/reports/evaluation/?{PERIOD}&format=pdf", True, label="evaluation PDF"),
        Url(IG_COUNCIL, f"/crime/wards/{WARD}/report/?format=pdf", True, label="ward locality PDF"),
        Url(IG_COUNCIL, "/sharing/record-of-processing.pdf", True, label="record of processing PDF"),
        Url(SUPERVISOR, "/cases/export/?format=csv", True, label="cases CSV"),
        Url(SUPERVISOR, "/cases/export/?format=xlsx", True, label="cases XLSX"),
    ]  # fmt: skip
    return urls + documents


def first_link(client, path: str, pattern: str) -> str | None:
    html = client.get(path).content.decode()
    match = re.search(rf'href="({pattern})"', html)
    return match.group(1) if match else None


def record_urls(clients) -> list[Url]:
    """The sweep's pages about one record, found from the lists as a user finds them."""
    urls = []
    epo = clients(EPO)
    uuid = "[0-9a-f-]{36}"
    case = first_link(epo, "/cases/?status=open", f"/cases/{uuid}/")
    if case:
        urls.append(Url(EPO, case, label="a case"))
        for action in ("chronology/add/", "enforcement/add/", "tasks/add/", "close/"):
            urls.append(Url(EPO, case + action, label=f"a case: {action}"))
    referral = first_link(epo, "/cases/triage/", f"/cases/triage/{uuid}/")
    if referral:
        urls.append(Url(EPO, referral, label="a referral in triage"))
    person = first_link(epo, "/people/", f"/people/{uuid}/")
    if person:
        urls += [
            Url(EPO, person, label="a person"),
            Url(EPO, person + "change/", label="a person: change"),
        ]
    place = first_link(epo, "/people/places/", f"/people/places/{uuid}/")
    if place:
        urls.append(Url(EPO, place, label="a place"))
    indicator = first_link(
        clients(PERFORMANCE), "/performance/indicators/", f"/performance/indicators/{uuid}/"
    )
    if indicator:
        urls.append(Url(PERFORMANCE, indicator, label="an indicator"))
    sar = subject_access_request()
    if sar:
        urls.append(
            Url(IG_HOMES, f"/governance/subject-access/{sar}/", label="a subject access request")
        )
        urls.append(
            Url(
                IG_HOMES,
                f"/governance/subject-access/{sar}/download/",
                True,
                "post",
                "subject access zip",
            )
        )
    return urls  # fmt: skip


def subject_access_request():
    """A subject access request for the demo person with the most cases (logged once, as the
    housing provider's information-governance officer would)."""
    from django.db.models import Count

    from safehold.accounts.models import User
    from safehold.governance import services
    from safehold.governance.models import SubjectAccessRequest
    from safehold.people.models import Person

    existing = SubjectAccessRequest.objects.order_by("created_at").first()
    if existing:
        return existing.pk
    ig = User.objects.get(email=IG_HOMES)
    person = (
        Person.objects.filter(owning_agency=ig.agency)
        .annotate(n=Count("cases"))
        .order_by("-n", "pk")
        .first()
    )
    if person is None:
        return None
    from safehold.core import dates

    sar = services.log_subject_access_request(
        person=person, by=ig, received_on=dates.today(), requested_by="Bench requester"
    )
    return sar.pk


def setup(args) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{work}/bench.sqlite3"
    os.environ["SAFEHOLD_TEST_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its font warnings, once a PDF
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # refusals are in the table
    call_command("migrate", verbosity=0)
    from safehold.demo import partnership

    if not partnership.is_loaded():
        print(f"Loading the demo into {work} (once) …", flush=True)
        call_command("demo", "load", verbosity=0)


def _body(response) -> bytes:
    """The whole response, read as a browser would (a streamed download too)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def time_url(client, url: Url, repeat: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timing = Timing(url)
    request = getattr(client, url.method)
    request(url.path)  # warm: the first request loads templates, fonts, WeasyPrint
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = request(url.path)
            body = _body(response)
            timing.seconds.append(time.perf_counter() - started)
            timing.cpu.append(time.process_time() - cpu)
        timing.queries = len(queries.captured_queries)
        timing.status = response.status_code
        timing.size = len(body)
    return timing


def profile(client, url: Url) -> None:
    getattr(client, url.method)(url.path)
    try:
        from pyinstrument import Profiler
    except ImportError:  # not in the lock: the standard library's profiler, by CPU time
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        getattr(client, url.method)(url.path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    profiler = Profiler()
    profiler.start()
    getattr(client, url.method)(url.path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--work", default=str(Path(tempfile.gettempdir()) / "safehold-bench-pages"),
        help="where the demo database and data folder are kept between runs",
    )  # fmt: skip
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="time only URLs whose label contains this")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any is over budget")
    parser.add_argument("--profile", default="", help="profile the first URL matching this")
    args = parser.parse_args()
    setup(args)
    from django.test import Client

    from safehold.accounts.models import User

    signed_in: dict[str, Client] = {}

    def clients(email: str) -> Client:
        if email not in signed_in:
            client = Client()
            client.force_login(User.objects.get(email=email))
            signed_in[email] = client
        return signed_in[email]

    urls = static_urls() + record_urls(clients)
    urls = [u for u in urls if args.only in u.label]
    if args.profile:
        url = next(u for u in urls if args.profile in u.label)
        profile(clients(url.user), url)
        return
    load = os.getloadavg()[0]
    print(f"Load average {load:.1f} on {os.cpu_count()} cores: on a busy machine the wall times")
    print("grow with the queue for the processors; the CPU column is the work itself.\n")
    print(
        f"{'URL':60s} {'user':10s} {'median':>7s} {'max':>7s} {'CPU':>6s} {'budget':>6s} {'SQL':>4s}"
    )
    over = []
    for url in urls:
        t = time_url(clients(url.user), url, args.repeat)
        flag = (
            ""
            if t.status < 300 or (url.method == "post" and t.status == 200)
            else f" HTTP {t.status}"
        )
        if t.median > url.budget:
            over.append(t)
            flag += "  OVER"
        print(
            f"{url.label[:60]:60s} {url.user.split('@')[0][:10]:10s} {t.median:6.2f}s "
            f"{t.slowest:6.2f}s {t.median_cpu:5.2f}s {url.budget:5.1f}s {t.queries:4d}{flag}",
            flush=True,
        )  # fmt: skip
    print(f"\n{len(urls)} URLs, {args.repeat} requests each; {len(over)} over budget (median).")
    if over and args.strict:
        sys.exit(1)


if __name__ == "__main__":
    main()
