"""Generated people records for testing and benchmarking linkage: households at addresses, each
person recorded by one to three sources (Safehold, the landlord, the police), the extra records
with what goes wrong in real extracts (typing slips, first name and surname swapped, day and
month swapped, a nickname, a missing date of birth, a move to another address), and the
household trap: a parent and child of the same name, sex and address, a generation apart.

Names are drawn as real names are spread: a few very common (the most common surname about 1.2 %
of people, as Smith is in Britain; the most common first name about 3 %), then a long tail of
rare ones (about 20,000 surnames and 1,000 first names a sex, Zipf-like). The common names are
the lists below; the tail is made up from syllables, seeded, so every run gets the same names.
Uniform draws from short lists (the first version: 100 first names, 250 surnames) made every
name common and "same first name and surname" a block of 30 million pairs at 1,000,000 people.

The truth (which records are one person) is returned beside the records, never in them."""

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import pyarrow as pa

FIRST_NAMES = {
    "m": "james john robert michael david william richard thomas mark paul steven andrew "
    "kenneth joshua kevin brian george timothy ronald jason edward jeffrey ryan jacob gary "
    "nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory "
    "alexander patrick frank raymond jack dennis jerry tyler aaron jose adam nathan henry "
    "peter zachary douglas harold kyle noah gerald ethan carl terry sean christian austin "
    "arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel logan "
    "alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis "
    "mohammed ahmed ali omar hassan darren callum liam connor kieran",
    "f": "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy "
    "betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah "
    "stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma "
    "anna pamela nicole samantha katherine christine helen debra rachel carolyn janet maria "
    "catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina "
    "joan evelyn judith andrea hannah megan cheryl jacqueline martha madison teresa gloria "
    "sara janice ann kathryn abigail sophia frances jean alice judy isabella julia grace "
    "amber denise danielle marilyn beverly charlotte natalie theresa diana fatima aisha "
    "chloe jade siobhan",
}
SURNAMES = (
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson "
    "wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan "
    "allen james scott phillips watson davis parker price bennett young griffiths mitchell "
    "kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan "
    "marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb "
    "rogers gray mason ali hunt hussain campbell matthews owen palmer holmes mills barnes "
    "knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham "
    "pearson ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders "
    "payne fox ford pearce day brooks west lawrence cole atkinson bradley spencer gill dawson "
    "ball burton obrien watts rose booth perry ryan grant wells armstrong francis rees hayes "
    "hart hudson newman barrett webster hunter gregory carr lowe page marsh riley dunn woods "
    "parsons berry stone reid holland hawkins harding porter robertson newton oliver reed "
    "kennedy williamson bird gardner shah dodd griffin moss nowak kowalski"
).split()
NICKNAMES = {
    "robert": "bob",
    "william": "bill",
    "elizabeth": "liz",
    "margaret": "maggie",
    "richard": "dick",
    "michael": "mike",
    "katherine": "kate",
    "alexander": "alex",
    "jennifer": "jenny",
    "thomas": "tom",
    "samantha": "sam",
    "rebecca": "becky",
}
# The tails of made-up names: surnames from a first part, a joining syllable and an ending
# (Ashinford, Kirkelby), first names from an opening, a consonant and a sex's ending.
SURNAME_STARTS = (
    "ash brad bram brook carl chad craw dun elm ever fair fen gar gold hal har hey holl kirk "
    "lang lind mar mel nor old pen pick quen rad ris rom sal stan stock thorn tre wal wes whit "
    "win wyn yar bel cal dar fal ack bar cum dor ful gris hob"
).split()
SURNAME_JOINS = ("", "er", "in", "el", "ing", "ow", "an", "ock", "um", "a", "en", "is", "on", "et")
SURNAME_ENDS = (
    "by ton ley ford field wood well worth man son ham den croft shaw stead wick more dale "
    "hurst combe bury cott hill ridge thwaite gate borough lock wright ville"
).split()
FIRST_STARTS = (
    "al bel car da el fin ja ka le ma ni ro sa ta vi za bri cor dor ev gil hal is jon kal lor "
    "mir nol or per qui ren sol tor ul val wil xan yor"
).split()
FIRST_JOINS = ("", "r", "l", "n", "v", "th", "d", "m")
FIRST_ENDS = {
    "m": ("an", "en", "on", "io", "us", "o", "er", "ric"),
    "f": ("a", "ia", "ie", "elle", "ine", "ah", "ette", "ina"),
}
SURNAME_COUNT = 20_000
FIRST_NAME_COUNT = 1_000
# The share of rank k is proportional to 1 / (k + OFFSET) ** EXPONENT: with these the most
# common surname is 1.2 % of people and the top hundred 31 %; the most common first name of a
# sex 2.9 % and its top hundred 59 %.
SURNAME_SHAPE = (10, 1.0)
FIRST_NAME_SHAPE = (8, 1.1)


def _made_up(head: list[str], parts: tuple, count: int, seed: int) -> list[str]:
    """`head` then made-up names from every combination of `parts`, shuffled with `seed`, to
    `count` names in all (each name once)."""
    tail = ["".join(p) for p in itertools.product(*parts)]
    random.Random(seed).shuffle(tail)
    names = list(dict.fromkeys([*head, *tail]))[:count]
    assert len(names) == count, "too few parts for the names asked for"
    return names


def _cumulative(count: int, shape: tuple[int, float]) -> list[float]:
    offset, exponent = shape
    return list(itertools.accumulate(1 / (k + offset) ** exponent for k in range(1, count + 1)))


@cache
def name_lists() -> dict[str, tuple[list[str], list[float]]]:
    """Each list of names with its cumulative weights: "surname", "m" and "f"."""
    out = {
        "surname": (
            _made_up(SURNAMES, (SURNAME_STARTS, SURNAME_JOINS, SURNAME_ENDS), SURNAME_COUNT, 1),
            _cumulative(SURNAME_COUNT, SURNAME_SHAPE),
        )
    }
    for sex, names in FIRST_NAMES.items():
        parts = (FIRST_STARTS, FIRST_JOINS, FIRST_ENDS[sex])
        out[sex] = (
            _made_up(names.split(), parts, FIRST_NAME_COUNT, 2),
            _cumulative(FIRST_NAME_COUNT, FIRST_NAME_SHAPE),
        )
    return out


def _draw(rng: random.Random, kind: str) -> str:
    names, weights = name_lists()[kind]
    return rng.choices(names, cum_weights=weights)[0]


TOWNS = "leeds bradford wakefield halifax huddersfield harrogate keighley dewsbury".split()
SOURCES = ("safehold", "landlord", "police")


@dataclass
class Person:
    person_id: str
    first_name: str
    surname: str
    sex: str
    date_of_birth: date
    household: int


def _street_names() -> list[str]:
    parts = (
        "church station victoria green manor park queens grange kings mill school albert "
        "york chapel springfield elm oak ash beech cedar hawthorn willow meadow"
    ).split()
    kinds = ["road", "street", "lane", "avenue", "close", "drive"]
    return [f"{p} {k}" for p in parts for k in kinds]


def _address(rng: random.Random, streets: list[str], uprn: int) -> dict:
    town = rng.choice(TOWNS)
    area = {"leeds": "LS", "bradford": "BD", "wakefield": "WF", "halifax": "HX"}.get(town, "HD")
    postcode = (
        f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )
    return {
        "address": f"{rng.randint(1, 250)} {rng.choice(streets)}, {town}",
        "postcode": postcode,
        "uprn": str(uprn),
    }


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == 0:
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + rng.choice(letters) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _birth(rng: random.Random, *, born_after: int, born_before: int) -> date:
    start = date(born_after, 1, 1)
    return start + timedelta(days=rng.randrange((date(born_before, 1, 1) - start).days))


def generate(
    people: int,
    *,
    seed: int = 17,
    duplicate_rate: float = 0.5,
    household_traps: int = 10,
) -> tuple[pa.Table, dict[str, str]]:
    """`people` people in households, each recorded once, a `duplicate_rate` share again (once
    or twice, in other sources, with errors), with `household_traps` households holding a
    parent and child of one name. Returns the records (standard columns) and the truth: each
    record's "source/record_id" mapped to its person's id (trap pairs' ids end -parent and
    -child)."""
    rng = random.Random(seed)
    streets = _street_names()
    persons: list[Person] = []
    addresses: list[dict] = []
    household = 0
    traps = 0
    while len(persons) < people:
        addresses.append(_address(rng, streets, 10_000_000 + household))
        surname = _draw(rng, "surname")
        if traps < household_traps:
            sex = rng.choice("mf")
            first = _draw(rng, sex)
            parent_born = _birth(rng, born_after=1950, born_before=1980)
            child_born = _birth(
                rng, born_after=parent_born.year + 18, born_before=parent_born.year + 40
            )
            for role, born in (("parent", parent_born), ("child", child_born)):
                persons.append(Person(f"h{household}-{role}", first, surname, sex, born, household))
            traps += 1
        else:
            for k in range(rng.choice([1, 1, 2, 2, 3, 4])):
                sex = rng.choice("mf")
                persons.append(
                    Person(
                        f"p{len(persons)}",
                        _draw(rng, sex),
                        surname if k < 2 or rng.random() < 0.7 else _draw(rng, "surname"),
                        sex,
                        _birth(rng, born_after=1935, born_before=2008),
                        household,
                    )
                )
        household += 1
    persons = persons[:people]
    rows: list[dict] = []
    truth: dict[str, str] = {}
    for person in persons:
        home = addresses[person.household]
        sources = list(SOURCES)
        rng.shuffle(sources)
        copies = 1
        if rng.random() < duplicate_rate:
            copies += 1 if rng.random() < 0.7 else 2
        for copy, source in enumerate(sources[:copies]):
            row = _record(rng, person, home, source, first=copy == 0)
            if copy and rng.random() < 0.12:  # moved house between the two records
                row |= _address(rng, streets, 20_000_000 + len(rows))
            if source == "police":  # the police record no UPRN
                row["uprn"] = None
            row["record_id"] = f"{source[0].upper()}{len(rows):07d}"
            truth[f"{source}/{row['record_id']}"] = person.person_id
            rows.append(row)
    rng.shuffle(rows)
    columns = (
        "source first_name surname other_names date_of_birth sex postcode address uprn record_id"
    ).split()
    return pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns}), truth


def _record(rng: random.Random, person: Person, home: dict, source: str, *, first: bool) -> dict:
    """One source's record of a person: the first exactly as they are, a later one with the
    errors real extracts have."""
    first_name, surname, born = person.first_name, person.surname, person.date_of_birth
    other_names = None
    dob: str | None = born.isoformat()
    if person.first_name in NICKNAMES and rng.random() < 0.5:
        if first:
            other_names = NICKNAMES[person.first_name]
        else:
            first_name = NICKNAMES[person.first_name]
            other_names = person.first_name
    if not first:
        if rng.random() < 0.15:
            first_name = _typo(rng, first_name)
        if rng.random() < 0.15:
            surname = _typo(rng, surname)
        if rng.random() < 0.03:
            first_name, surname = surname, first_name
        roll = rng.random()
        if roll < 0.04 and born.day <= 12 and born.day != born.month:
            dob = date(born.year, born.day, born.month).isoformat()
        elif roll < 0.08:
            dob = None
        elif roll < 0.12:
            dob = (born + timedelta(days=rng.choice([-1, 1, 10, -10]))).isoformat()
    address = home["address"]
    if not first and rng.random() < 0.1:
        address = _typo(rng, address)
    return {
        "source": source,
        "first_name": first_name.title(),
        "surname": surname.title(),
        "other_names": other_names.title() if other_names else None,
        "date_of_birth": dob,
        "sex": person.sex.upper() if rng.random() > 0.05 else None,
        "postcode": home["postcode"] if rng.random() > 0.03 else None,
        "address": address,
        "uprn": home["uprn"],
    }
