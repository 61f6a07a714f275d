"""Page numbers and links for the API's lists."""

import math


def paged(request, queryset, *, page: int, page_size: int, item) -> dict:
    """One page of `queryset` as the API returns it, each row made by `item(request, row)`.

    Two queries (the count and the page) plus whatever the queryset prefetches.
    """
    count = queryset.count()
    last = max(1, math.ceil(count / page_size))
    start = (page - 1) * page_size
    items = [item(request, row) for row in queryset[start : start + page_size]]

    def link(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": page,
        "pages": last,
        "page_size": page_size,
        "next": link(page + 1) if page < last else None,
        "previous": link(min(page - 1, last)) if page > 1 else None,
        "items": items,
    }
