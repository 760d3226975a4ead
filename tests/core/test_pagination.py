"""The bounded page count of long lists (apps.core.pagination.BoundedPaginator)."""

from apps.core.pagination import BoundedPaginator


def test_the_count_stops_at_the_limit_and_says_so():
    paginator = BoundedPaginator(list(range(12)), 5, limit=10)
    assert paginator.count == 10 and paginator.count_is_bounded
    assert paginator.num_pages == 2
    assert list(paginator.get_page(2).object_list) == [5, 6, 7, 8, 9]


def test_below_the_limit_the_count_is_exact():
    paginator = BoundedPaginator(list(range(7)), 5, limit=10)
    assert paginator.count == 7 and not paginator.count_is_bounded
    assert list(paginator.get_page(2).object_list) == [5, 6]
