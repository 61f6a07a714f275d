"""The shared pagination include renders each variant its callers use."""

from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template


def _render(include_with: str, **context) -> str:
    template = Template('{% include "core/_pagination.html" ' + include_with + " %}")
    return template.render(Context(context))


def _page(number: int, pages: int = 3):
    return Paginator(list(range(pages * 2)), 2).page(number)


class _SectionPage(SimpleNamespace):
    has_previous = property(lambda self: self.number > 1)
    has_next = property(lambda self: self.number < self.pages)


def test_one_page_renders_nothing():
    assert _render("", page=_page(1, pages=1)).strip() == ""


def test_block_links_keep_the_query_and_the_parameter():
    html = _render(
        'with page=shared param="shared" label="Shared notices"', shared=_page(2), query="q=x"
    )
    assert (
        'class="govuk-pagination govuk-pagination--block" aria-label="Shared notices: more pages"'
        in html
    )
    assert (
        'href="?q=x&amp;shared=1" rel="prev"' in html
        and 'href="?q=x&amp;shared=3" rel="next"' in html
    )
    assert '<span class="govuk-pagination__link-label">1 of 3</span>' in html
    assert '<span class="govuk-pagination__link-label">3 of 3</span>' in html


def test_ready_made_links_with_a_fragment():
    page = _SectionPage(
        number=1,
        pages=2,
        next_url="?missed_page=2",
        section=SimpleNamespace(title="Missed", key="missed"),
    )
    html = _render(
        "with next_url=page.next_url fragment=page.section.key label=page.section.title", page=page
    )
    assert (
        'aria-label="Missed: more pages"' in html
        and 'href="?missed_page=2#missed" rel="next"' in html
    )
    assert 'rel="prev"' not in html and "2 of 2" in html


@pytest.mark.parametrize("number", [1, 3])
def test_counter_keeps_the_search(number):
    html = _render(
        'with search=query query=None counter=True nav_label="Pages"',
        page=_page(number),
        query="a b&c",
    )
    assert '<nav class="govuk-pagination" aria-label="Pages">' in html
    assert f"Page {number} of 3" in html and "govuk-pagination__link-label" not in html
    rel = "next" if number == 1 else "prev"
    assert f'href="?q=a%20b%26c&amp;page=2" rel="{rel}"' in html


def test_numbered_items():
    links = [
        {"number": 1, "url": "?page=1", "current": False},
        {"ellipsis": True},
        {"number": 3, "url": "?page=3", "current": True},
    ]
    html = _render(
        'with fragment="results" nav_label="Pages of the register"',
        page=_page(3),
        page_links=links,
        previous_url="?page=2",
    )
    assert (
        'aria-label="Pages of the register"' in html and 'href="?page=2#results" rel="prev"' in html
    )
    assert 'href="?page=3#results" aria-label="Page 3" aria-current="page">3</a>' in html
    assert "govuk-pagination__item--ellipses" in html and 'rel="next"' not in html
