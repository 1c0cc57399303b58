"""Batches, their addresses and door-to-door visits are an agency's records about places:
visible to and written by that agency (ADR 0011, ADR 0043). Templates and property lists hold
no personal data."""

from django.db import migrations

from safehold.sharing import rls


class Migration(migrations.Migration):
    dependencies = [
        ("reassurance", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [
        rls.policies(
            {
                "reassurance_batch": rls.of_agency("owning_agency_id"),
                "reassurance_letterdelivery": (
                    rls.parent_visible("reassurance_batch", "batch_id"),
                    rls.parent_mine("reassurance_batch", "batch_id"),
                ),
                "reassurance_doorvisit": rls.of_agency("owning_agency_id"),
            }
        )
    ]
