"""The demo's reassurance work (issue 15, item 3): Stockport Homes' letter after a warrant, an
invented stock file of the homes around one of its premises (synthetic UPRNs and addresses at
real SK postcodes' points), imported as a landlord would; a printed batch of letters to the 50
nearest homes, a leaflet drop within 150 metres, deliveries, and door-to-door visits, one of
which found a possible unknown victim and raised a referral. Everything goes through the
module's services and import, so it is validated and audited like real work."""

import datetime
import math
import random

from django.db import transaction

from safehold.accounts.models import User
from safehold.core.dates import today
from safehold.people.models import Location
from safehold.reassurance import geometry, selectors, services, uploads
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.models import Batch

OFFICER = "epo@homes.demo.safehold.test"
LIST_NAME = "Stockport Homes stock (demo)"
STREETS = ["Hatter Street", "Mottram Close", "Weaver Road", "Canal Side", "Foundry Lane"]
LETTER = """Dear resident at {{ address }},

Today Stockport Homes and Greater Manchester Police acted at a property near you ({{ purpose }}). You may have seen officers in the area. We want you to feel safe in your home.

If someone is using your home, or a neighbour's, in a way you do not want, you are not in trouble and we can help. You can speak to us in confidence.

Please quote {{ reference }} if you contact us.

Yours faithfully,

{{ officer_name }}
{{ agency }}, {{ date }}"""


def stock_file(premises: Location, *, seed: int = 2022, homes: int = 90) -> bytes:
    """An invented stock file: homes numbered along five streets around the premises, each
    within about 400 metres, with eastings and northings."""
    rng = random.Random(seed)
    east, north = geometry.to_bng(premises.latitude, premises.longitude)
    rows = ["uprn,address_line_1,town,postcode,easting,northing"]
    for i in range(homes):
        street = STREETS[i % len(STREETS)]
        number = i // len(STREETS) + 1
        flat = f"Flat {rng.randint(1, 4)}, " if number % 7 == 0 else ""
        suffix = "A" if number % 11 == 0 else ""
        angle = rng.uniform(0, 6.283)
        distance = rng.uniform(15, 400)
        e = round(east + distance * math.cos(angle))
        n = round(north + distance * math.sin(angle))
        address = f'"{flat}{number}{suffix} {street}"'
        rows.append(
            f"9990{seed % 10000:04d}{i:04d},{address},Stockport,{premises.postcode},{e},{n}"
        )
    return ("\n".join(rows) + "\n").encode()


def is_loaded() -> bool:
    return Batch.objects.filter(created_by__email=OFFICER).exists()


@transaction.atomic
def load(*, seed: int = 2022) -> Batch | None:
    """Load the demo's reassurance work once (None if it is already there or the partnership
    is not loaded)."""
    officer = User.objects.filter(email=OFFICER).first()
    if officer is None or is_loaded():
        return None
    premises = (
        Location.objects.filter(owning_agency=officer.agency, latitude__isnull=False)
        .order_by("postcode", "address_line_1")
        .first()
    )
    if premises is None:
        return None
    uploads.import_property_list(data=stock_file(premises, seed=seed), name=LIST_NAME, by=officer)
    version = services.save_template(name="After a warrant", body=LETTER, by=officer)
    letters = services.create_batch(
        premises=premises, kind=BatchKind.LETTERS, purpose="the warrant on the estate",
        addresses=selectors.nearest(officer, premises, 50), template_version=version,
        officer_name="Jordan Hale", by=officer,
    )  # fmt: skip
    services.create_batch(
        premises=premises, kind=BatchKind.LEAFLETS, purpose="cuckooing awareness leaflets",
        addresses=selectors.addresses_within(officer, premises, 150), radius_m=150, by=officer,
    )  # fmt: skip
    deliveries = list(letters.deliveries.all())
    day = today() - datetime.timedelta(days=1)
    services.record_deliveries(
        batch=letters, delivered=deliveries[:40], delivered_on=day, by=officer
    )
    outcomes = [VisitOutcome.ANSWERED, VisitOutcome.NO_ANSWER, VisitOutcome.CONCERNS,
                VisitOutcome.ANSWERED, VisitOutcome.POSSIBLE_VICTIM]  # fmt: skip
    notes = ["", "Card left", "Saw people coming and going at night", "",
             "Older man said friends of his nephew are staying and he cannot ask them to leave"]  # fmt: skip
    for delivery, outcome, note in zip(deliveries[::8], outcomes, notes, strict=False):
        visit = services.record_visit(delivery=delivery, visited_on=day, outcome=outcome,
                                      note=note, by=officer)  # fmt: skip
        if outcome == VisitOutcome.POSSIBLE_VICTIM:
            services.raise_referral(visit=visit, by=officer)
    return letters
