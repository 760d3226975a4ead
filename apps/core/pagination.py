from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound

from apps.core.http import parse_id

# Its own module: DRF imports DEFAULT_PAGINATION_CLASS while other API modules
# (drf-spectacular's) are still loading.


class CursorPagination(pagination.CursorPagination):
    """DRF's cursor pagination with `page_size` as a query parameter. A
    `page_size` that is not a whole number from 1 to `max_page_size` is refused
    with 400 (DRF would silently use the default instead); an empty one means the
    default. A `cursor` that is not one we gave out is a 400 on `cursor`, as on
    the question list (DRF answers 404, as if the list did not exist); the
    position in it must be an id, or the query it goes into fails."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = gettext_lazy("Deze cursor is ongeldig.")

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = False
        if cursor is False or (
            cursor is not None and cursor.position is not None and parse_id(cursor.position) is None
        ):
            raise serializers.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            )
        return cursor

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Geef een heel getal van 1 tot en met %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class BoundedPaginator(Paginator):
    """Django's paginator for pages, with a count that stops at `limit`: counting
    every visible row of a large list costs a full scan, while the first pages
    only walk the index (scripts/bench_cases.py). Beyond the limit the page says
    "more than", and the filters narrow the list down."""

    def __init__(self, object_list, per_page, *, limit=1000, **kwargs):
        self.limit = limit
        self.count_is_bounded = False
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        head = self.object_list[: self.limit + 1]
        counted = head.count() if hasattr(head, "query") else len(head)
        self.count_is_bounded = counted > self.limit
        return min(counted, self.limit)


class NewestFirstPagination(CursorPagination):
    ordering = "-id"
    page_size = 50


class ByIdPagination(CursorPagination):
    ordering = "id"
    page_size = 50


def filter_query(request, page_param: str) -> str:
    """The query string of a list page without its page parameter (`pagina`,
    `na`…): the filters, for the links to other pages of the same list."""
    query = request.GET.copy()
    query.pop(page_param, None)
    return query.urlencode()
