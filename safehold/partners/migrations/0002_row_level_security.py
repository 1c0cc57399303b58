"""Row-level security on partner extracts: an extract is its owning agency's, to read and write."""

from django.db import migrations

from safehold.sharing import rls


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [rls.policies({"partners_extract": rls.of_agency("owning_agency_id")})]
