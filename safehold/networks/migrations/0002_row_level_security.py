"""Row-level security (ADR 0011, ADR 0050): the network's records (events, links, groups, and
which agencies hold an object) are visible to their agency and to the agencies party with it to
a live information sharing agreement covering police intelligence, and written by their agency;
a group's members, premises, assessments, 4P actions and history are visible with the group and
written by its agency. An object's own row (its kind and normalised value) has no policy: entity
resolution finds the one phone whoever records it, and what an agency knows of it (its holders
and links) is what the policies guard."""

from django.db import migrations

from safehold.sharing import rls

OCG = "networks_organisedcrimegroup"


def shared_for_intelligence(column: str) -> str:
    """The row's agency is this role's, or party with it to a live agreement covering police
    intelligence (the same rule as `selectors.network_scope`)."""
    return (
        f"{rls.mine('T.' + column)} OR EXISTS (SELECT 1 FROM sharing_informationsharingagreement a"
        " JOIN sharing_informationsharingagreement_parties theirs"
        " ON theirs.informationsharingagreement_id = a.id"
        " JOIN sharing_informationsharingagreement_parties ours"
        " ON ours.informationsharingagreement_id = a.id"
        f" WHERE theirs.agency_id = T.{column} AND {rls.mine('ours.agency_id')}"
        " AND a.start_date <= current_date"
        " AND (a.end_date IS NULL OR a.end_date >= current_date)"
        " AND a.data_categories::jsonb @> '[\"police_intelligence\"]'::jsonb)"
    )


OWNED = (shared_for_intelligence("owning_agency_id"), rls.mine("T.owning_agency_id"))
WITH_GROUP = (rls.parent_visible(OCG, "ocg_id"), rls.parent_mine(OCG, "ocg_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [
        rls.policies(
            {
                "networks_objectholder": (
                    shared_for_intelligence("agency_id"),
                    rls.mine("T.agency_id"),
                ),
                "networks_networkevent": OWNED,
                "networks_networklink": OWNED,
                OCG: OWNED,
                "networks_ocgmember": WITH_GROUP,
                "networks_ocgpremises": WITH_GROUP,
                "networks_threatassessment": WITH_GROUP,
                "networks_fourpaction": WITH_GROUP,
                "networks_ocgchange": WITH_GROUP,
            }
        )
    ]
