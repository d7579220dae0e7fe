"""Pages of a list whose cost follows what the user sees, not the size of the table.

``COUNT(*)`` over a county's or a province's scope reads every row of it on
every page. The count is therefore exact up to ``LIST_EXACT_COUNT_LIMIT``
rows (``SELECT count(*) FROM (… LIMIT n + 1)``, unordered, so nothing is
sorted) and above that PostgreSQL's estimate of the filtered query, shown as
“约 980,000”. With an estimate, whether a next page exists is decided by
reading one row more than the page shows, never by the estimate.
"""
import json

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property


#: No list has this many pages; a larger number in the address is a page past the end.
MAX_PAGE_NUMBER = 10**9


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (``EXPLAIN``, nothing is read), or None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = queryset.explain(format="json")
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


def rounded(value: int) -> int:
    """An estimate to its two leading digits (983,412 → 980,000), so it does not look exact."""
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - 2)
    return round(value / step) * step


class BoundedCountPaginator(Paginator):
    """A paginator whose count is exact when small and estimated when large, read with the page's keys.

    A page is two queries. The first sorts only the keys of the scoped rows
    and carries the bounded count as an uncorrelated subquery (computed
    once); the second reads the page's rows by primary key with the list's
    ``select_related`` joins, so related objects (a liaison, an organization)
    are joined for the rows shown, never across the scope.

    ``estimate_from`` returns the query whose plan gives the estimate (called
    only when the count is large); by default the list itself. A view whose
    scope PostgreSQL estimates badly may give an equivalent query it
    estimates well.
    """

    def __init__(self, object_list, per_page, *, estimate_from=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.estimate_from = estimate_from
        self.count_is_estimate = False

    @cached_property
    def count(self):
        """Set by reading a page; counted on its own only if asked before any page was read."""
        return self._resolved(self._unordered()[: settings.LIST_EXACT_COUNT_LIMIT + 1].count())

    def _unordered(self):
        return self.object_list.order_by()

    def _bounded_total(self):
        try:
            sql, params = self._unordered()[: settings.LIST_EXACT_COUNT_LIMIT + 1].values("pk").query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (``pk__in=[]``): the page query reads nothing either
            return Value(0, output_field=IntegerField())
        return RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS bounded", params, output_field=IntegerField())

    def _resolved(self, bounded: int) -> int:
        limit = settings.LIST_EXACT_COUNT_LIMIT
        if bounded <= limit:
            return bounded
        estimate = estimated_rows((self.estimate_from() if self.estimate_from else self._unordered()).order_by())
        if estimate is None:
            return self._unordered().count()
        self.count_is_estimate = True
        return rounded(max(estimate, limit + 1))

    @property
    def count_display(self) -> str:
        return f"{self.count:,}"

    def page(self, number):
        number = self._number(number)
        offset = (number - 1) * self.per_page
        keys = list(self.object_list.annotate(list_total=self._bounded_total()).values_list("pk", "list_total")[
            offset: offset + self.per_page + 1])
        if not keys:
            if number > 1:
                raise EmptyPage(self.error_messages["no_results"])
            self.__dict__["count"] = 0
            return self._get_page([], 1, self)
        self.__dict__["count"] = self._resolved(keys[0][1])
        rows = self._rows([pk for pk, _total in keys])
        if self.count_is_estimate:
            return EstimatedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)
        return self._get_page(rows[: self.per_page], number, self)

    def _rows(self, ids: list) -> list:
        """The rows of ``ids``, in that order, with the list's related objects joined for these rows only."""
        source = self.object_list
        if source.query.annotation_select:  # values computed by the list's query: read them with the rows
            found = source.filter(pk__in=ids)
        else:
            found = source.model._base_manager.filter(pk__in=ids)
            found.query.select_related = source.query.select_related
            found = found.prefetch_related(*source._prefetch_related_lookups)
        by_pk = {row.pk: row for row in found.order_by()}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def get_page(self, number):
        """Like Django's: a page number that is not a number or is past the end gives the nearest page."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self._last_page()

    def _last_page(self):
        """The last page, read backwards: its keys and the count in one query, whatever the count."""
        keys = list(self.object_list.reverse().annotate(list_total=self._bounded_total()).values_list(
            "pk", "list_total")[: self.per_page])
        if not keys:
            return self.page(1)
        self.__dict__["count"] = self._resolved(keys[0][1])
        shown = self.per_page if self.count_is_estimate else (self.count % self.per_page or self.per_page)
        rows = self._rows([pk for pk, _total in reversed(keys[:shown])])
        if self.count_is_estimate:
            return EstimatedPage(rows, self.num_pages, self, has_more=False)
        return self._get_page(rows, self.num_pages, self)

    def _number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE_NUMBER:  # past any list's end, and its OFFSET would overflow PostgreSQL's bigint
            raise EmptyPage(self.error_messages["no_results"])
        return number


class EstimatedPage(Page):
    """A page of a list with an estimated count: the next page exists when one more row was found."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class BoundedCountMixin:
    """For a ``ListView``: pages counted by ``BoundedCountPaginator``; ``count_estimate_queryset`` may name
    the query to estimate from."""

    paginator_class = BoundedCountPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
                                    estimate_from=self.count_estimate_queryset, **kwargs)

    def count_estimate_queryset(self):
        """The query PostgreSQL estimates the count from when the list is too long to count exactly."""
        return self.object_list.order_by()
