"""The read gate's one exit: a record the user's selector does not return is a 404."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


class NotVisible(Http404):
    """Raised when a record is outside the user's selector; recorded as a denied access."""

    def __init__(self, model: type[Model], lookup: dict[str, Any]):
        super().__init__("No such record.")
        self.object_type = model._meta.label_lower
        self.object_ids = [str(v) for v in lookup.values()]


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one record through a `*_visible_to(user)` queryset, or raise NotVisible."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise NotVisible(queryset.model, lookup) from exc
