"""Atom feeds of new consultations, consultation outcomes and published findings
(django.contrib.syndication), each for all compacts or one (`?compact=slug`).

Every link is absolute on SITE_URL, not on the host the request came in on."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from localcompact.rulebook import long_date

from . import selectors
from .datasets import FEED_KINDS, LICENCE, site_url


def _moment(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if day else None


class _Base(Feed):
    feed_type = Atom1Feed
    kind = ""
    language = "en-GB"

    def get_object(self, request, compact=None):
        return compact

    def title(self, compact) -> str:
        label = FEED_KINDS[self.kind].capitalize()
        return f"{label}: {compact.name}" if compact else f"{label}: all compacts"

    def link(self, compact) -> str:
        return site_url(reverse("opendata:index"))

    def feed_url(self, compact) -> str:
        path = reverse("opendata:feed", kwargs={"kind": self.kind})
        return site_url(path + (f"?compact={compact.slug}" if compact else ""))

    def feed_guid(self, compact) -> str:
        return self.feed_url(compact)

    def feed_copyright(self) -> str:
        return f"{LICENCE['name']}: {LICENCE['url']}"

    def subtitle(self, compact) -> str:
        return f"The latest {FEED_KINDS[self.kind]} on LocalCompact."


class ConsultationsFeed(_Base):
    kind = "consultations"

    def items(self, compact):
        return selectors.feed_consultations(compact)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return (
            f"{item.lead.name}, under the {item.compact.name}. Open from "
            f"{long_date(item.opens_on)} to {long_date(item.closes_on)} "
            f"({item.get_status_display().lower()}). {item.summary}"
        )

    def item_link(self, item) -> str:
        return site_url(item.get_absolute_url())

    def item_guid(self, item) -> str:
        return self.item_link(item)

    def item_pubdate(self, item):
        return _moment(item.announced_on)

    def item_updateddate(self, item):
        return _moment(item.announced_on)

    def item_author_name(self, item) -> str:
        return item.lead.name


class OutcomesFeed(ConsultationsFeed):
    kind = "outcomes"

    def items(self, compact):
        return selectors.feed_outcomes(compact)

    def item_title(self, item) -> str:
        return f"Outcome: {item.title}"

    def item_description(self, item) -> str:
        return (
            f"{item.lead.name} published what respondents said and what it decided, under "
            f"the {item.compact.name}. Decision: {item.decision}"
        )

    def item_link(self, item) -> str:
        return site_url(reverse("consultations:feedback", kwargs={"pk": item.pk}))

    def item_pubdate(self, item):
        return _moment(item.feedback_published_on)

    def item_updateddate(self, item):
        return _moment(item.feedback_published_on)


class FindingsFeed(_Base):
    kind = "findings"

    def items(self, compact):
        return selectors.feed_findings(compact)

    def item_title(self, item) -> str:
        return (
            f"Finding {item.case.reference}: {item.finding}"
            if item.finding
            else (f"Finding {item.case.reference}")
        )

    def item_description(self, item) -> str:
        lines = [f"Between {', '.join(item.organisations)}, under the {item.case.compact.name}."]
        lines += [f"{title}: {value}" for title, value in item.statement]
        return "\n".join(lines)

    def item_link(self, item) -> str:
        return site_url(reverse("disputes:finding", args=[item.case.reference]))

    def item_guid(self, item) -> str:
        return self.item_link(item)

    def item_pubdate(self, item):
        return _moment(item.case.published_on)

    def item_updateddate(self, item):
        return _moment(item.case.published_on)


FEEDS = {"consultations": ConsultationsFeed, "outcomes": OutcomesFeed, "findings": FindingsFeed}
