"""What the header search finds, kind by kind, each from its app's own read gate (and its own
search, so the keys-first lookup of ADR 0022 serves it on PostgreSQL): what a gate does not
return is never found, counted or hinted at. Each section is one bounded query, so the page's
query count does not grow with the number of matches."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Referral
from safehold.cases.selectors import referrals_visible_to, search_cases
from safehold.people.search import matching
from safehold.people.selectors import search_locations, search_people
from safehold.sharing import rules as sharing_rules
from safehold.sharing import selectors as sharing
from safehold.sharing.choices import DisclosureLevel

# Each section shows this many; "more" links to the kind's own list, which pages.
SHOWN = 10
MAX_QUERY = 100
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass
class Section:
    """The matches of one kind: at most SHOWN of them, and whether there were more."""

    records: list
    more: bool = False


@dataclass
class Results:
    query: str
    words: list[str]
    date_of_birth: datetime.date | None
    cases: Section = field(default_factory=lambda: Section([]))
    people: Section = field(default_factory=lambda: Section([]))
    places: Section = field(default_factory=lambda: Section([]))
    referrals: Section = field(default_factory=lambda: Section([]))
    # Records other agencies shared with the user's agency by name only: the name, the agencies
    # and a contact, never the record (sharing.selectors.who_else).
    who_else: list = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(
            len(s.records) for s in (self.cases, self.people, self.places, self.referrals)
        ) + len(self.who_else)


def clean(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY]


def parse_date(word: str) -> datetime.date | None:
    """A date of birth as people type it (31/10/1990, 1990-10-31), or None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


def _section(queryset) -> Section:
    rows = list(queryset[: SHOWN + 1])
    return Section(rows[:SHOWN], more=len(rows) > SHOWN)


def _referrals(user, words: list[str]):
    """The user's referrals and, for those who triage, the programme's sent referrals, by
    reference, the subject's name or the postcode (as the referral was typed)."""
    referrals = referrals_visible_to(user)
    for word in words:
        typed = (
            Q(reference__icontains=word) | Q(subject_given_name__icontains=word)
            | Q(subject_family_name__icontains=word) | Q(postcode__icontains=word)
        )  # fmt: skip
        referrals = referrals.filter(
            matching(
                Referral.objects.filter(typed).values_list("pk", flat=True),
                field="pk", word=word, otherwise=typed,
            )
        )  # fmt: skip
    return referrals.exclude(status=ReferralStatus.DRAFT).order_by("-submitted_at")


def search(user, *, query: str) -> Results:
    """Every kind the user may see that matches all the words; a word that is a date matches a
    person's date of birth only."""
    query = clean(query)
    words, born = [], None
    for word in query.split():
        date = parse_date(word)
        if date is not None and born is None:
            born = date
        else:
            words.append(word)
    results = Results(query=query, words=words, date_of_birth=born)
    if not words and born is None:
        return results
    text = " ".join(words)
    people = search_people(user, query=text)
    if born is not None:
        people = people.filter(date_of_birth=born)
    results.people = _section(people.order_by("family_name", "given_name", "pk"))
    if not words:
        return results  # a date alone finds people, nothing else
    results.cases = _section(search_cases(user, query=text))
    results.places = _section(search_locations(user, query=text).order_by("postcode", "pk"))
    results.referrals = _section(
        _referrals(user, words).select_related("programme", "referrer_agency")
    )
    if not sharing_rules.can_search_who_else(user):
        return results
    found_in_full = {r.pk for r in results.cases.records} | {r.pk for r in results.people.records}
    results.who_else = [
        w
        for w in sharing.who_else(user, query=text)
        if w.level == DisclosureLevel.NAME_ONLY and w.record_id not in found_in_full
    ]
    return results
