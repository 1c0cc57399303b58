"""The read gate's one exit: a record the user's selector does not return is a 404."""

from typing import Any, TypeVar

from django.db.models import BooleanField, F, Func, Model, QuerySet, Subquery
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


class InSubquery(Func):
    """`column IN (subquery)` for a read gate, written on PostgreSQL as
    `column = ANY(ARRAY(subquery))`: the same rows, but the subquery is run once and its keys
    are looked up in the column's index, so `owning_agency = X OR pk IN (...)` becomes two
    index scans instead of a scan of the whole table (ADR 0065)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, queryset: QuerySet):
        super().__init__(F(column), Subquery(queryset.order_by()))

    def _parts(self, compiler, connection):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return column_sql, subquery_sql, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery, params = self._parts(compiler, connection)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, subquery, params = self._parts(compiler, connection)
        return f"{column} = ANY(ARRAY{subquery})", params
