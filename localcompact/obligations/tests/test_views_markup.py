"""Every obligations page, in each state, is well-formed: elements close in order, ids
are unique (error summaries link to them), and nothing carries a style attribute (the
content security policy forbids inline styles). axe checks the rest in the browser."""

import datetime as dt
from html.parser import HTMLParser

from django.urls import reverse

from localcompact.obligations.feeds import calendar_feed_create

from .page_factories import TODAY, in_each_section, record, sign_in, world_fixture  # noqa: F401

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
SVG_EMPTY = {"path", "rect"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"id {attrs['id']!r} used twice")
            self.ids.add(attrs["id"])
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> at line {self.getpos()[0]} closes {self.open[-1:]}")
            if tag in self.open:
                del self.open[len(self.open) - self.open[::-1].index(tag) - 1 :]
        else:
            self.open.pop()


def problems(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    return checker.problems + [f"<{tag}> never closed" for tag in checker.open]


def test_every_page_and_state_is_well_formed(client, world):
    made = in_each_section(world, 10)
    activity, reply = record(world, "reply-within", start_on=TODAY - dt.timedelta(days=30))
    feed, _ = calendar_feed_create(organisation=world.council, by=world.user("officer"))
    council = {"slug": "testshire-council"}
    new = reverse("obligations:activity_new", kwargs=council)

    def details(standard):
        return reverse(
            "obligations:activity_new_details",
            kwargs={**council, "compact": "testshire", "standard": standard},
        )

    sign_in(client, world, "officer")
    urls = [
        reverse("obligations:owing", kwargs=council),
        reverse("obligations:owed", kwargs=council),
        reverse("obligations:owing", kwargs=council) + "?standard=nonsense",
        reverse("obligations:owing", kwargs={"slug": world.trust.slug}),  # 403
        reverse("obligations:obligation", kwargs={"pk": reply.pk}),
        reverse("obligations:obligation", kwargs={"pk": made[1].pk}),
        reverse("obligations:obligation", kwargs={"pk": made[4].pk}),
        reverse("obligations:excused", kwargs={"pk": made[4].pk}),
        reverse("obligations:activity", kwargs={"pk": activity.pk}),
        reverse("obligations:activity_recorded", kwargs={"pk": activity.pk}),
        reverse("obligations:activity_withdraw", kwargs={"pk": activity.pk}),
        new,
        new + "?step=standard",
        details("consultation-period-0"),
        details("agreed-notice"),
        reverse("obligations:calendar", kwargs=council),
        reverse("obligations:calendar_revoke", kwargs={**council, "feed": feed.pk}),
        reverse("obligations:compliance", kwargs={"slug": "testshire"}),
        reverse("obligations:compliance", kwargs={"slug": "testshire"})
        + "?from=2026-05-01&to=2026-01-01",
    ]
    pages = {url: client.get(url) for url in urls}
    pages["excuse refused"] = client.post(
        reverse("obligations:excuse", kwargs={"pk": reply.pk}), {"kind": "extended_by_agreement"}
    )
    pages["activity refused"] = client.post(details("consultation-period-0"), {})
    pages["link made"] = client.post(reverse("obligations:calendar_create", kwargs=council))
    client.logout()
    pages["sign in"] = client.get(reverse("core:login"))
    pages["sign in refused"] = client.post(reverse("core:login"), {"username": "x"})
    found = {
        name: problems(response.content.decode())
        for name, response in pages.items()
        if problems(response.content.decode())
    }
    assert found == {}
