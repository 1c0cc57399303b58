"""Reviews are their agency's: read and written by the agency whose officer decided (ADR 0059).
Whether an entry was reviewed (its reference, fingerprint and decision, never the reason) is
read for the whole list past this policy, as the list itself is made (ADR 0058)."""

from django.db import migrations

from safehold.sharing import rls


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0003_review"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [rls.policies({"risk_review": rls.of_agency()})]
