"""Changes through the API name the version of the record they were based on (ADR 0061).

The reads return each editable record's `version`; an update sends it back in its body, and a
record changed by someone else since is refused with 409: the problem body says who changed
it, when, its version now and the record as it is now, so the caller can re-apply its change.
"""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from safehold.core.locking import EditConflict


def version_field() -> serializers.IntegerField:
    """The `version` an update is based on: the one the caller's last read returned."""
    return serializers.IntegerField(
        min_value=1,
        help_text="The record's `version` as you last read it. If someone has changed the "
        "record since, nothing is changed and the answer is 409",
        error_messages={"required": "Send the version of the record you read (`version`)"},
    )


class EditConflictSerializer(serializers.Serializer):
    """The 409 problem body of an update based on an older version."""

    detail = serializers.CharField(help_text="Who changed the record while you were editing it")
    version = serializers.IntegerField(help_text="The record's version now")
    changed_by = serializers.CharField(help_text="Who made the last change, if known")
    changed_at = serializers.DateTimeField(allow_null=True, help_text="When, if known")
    current = serializers.DictField(
        help_text="The record as it is now, as a read returns it: compare it with yours and "
        "send your change again with its version"
    )


CONFLICT_RESPONSE = OpenApiResponse(
    EditConflictSerializer,
    description="Someone changed the record after the version you sent; nothing was changed",
)


def with_current(conflict: EditConflict, current: dict) -> EditConflict:
    """The conflict, carrying the record as the caller may see it now (its read's shape)."""
    conflict.current_data = current
    return conflict
