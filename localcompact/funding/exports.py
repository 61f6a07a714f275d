"""Open data: grants in the 360Giving Data Standard, contracts in OCDS 1.1.5.

The download pages and `manage.py export_funding` both build their output here, from the
same selectors, so they always agree.

- 360Giving 1.4.3: one grant per award of kind "grant", in a grant package (JSON) or
  flattened to the standard's column titles (CSV). Funders and recipients are named by
  org-id identifiers from their Identifier rows (a charity number first, then a company,
  then a public body's code); an organisation with none gets an identifier under this
  platform's own prefix, as the standard's guidance allows for unregistered recipients.
- OCDS 1.1.5: one release per contracting process, that is per contract or service
  agreement opportunity (planning from its commissioning plan, the tender with the
  number of tenderers) and per contract awarded without one; awards, contracts and
  payments (implementation transactions) are added as they happen, and the release's tags
  say which stages it has. Applicants are not named: the opportunity's public page does
  not name them either, and an unsuccessful bid by a small group is not public business.
  Successful ones are named as suppliers, with their awards.

Both packages name their licence, the one the open-data index states for every dataset
(`opendata.datasets.LICENCE`): 360Giving and OCDS 1.1 packages each have a `license`,
and the OCDS package a `publicationPolicy` too, the dataset's page in the open-data index
(what it holds, its licence, what is left out and how often it changes). The 360Giving
CSV has no place for either: its download carries the licence in a `Link` header.

`GRANT_PREFIX` and `OCID_PREFIX` stand in for the prefixes a publisher registers with
360Giving and the Open Contracting Partnership; a deployment that publishes to either
sets its own registered prefix in these two constants.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from localcompact.core.links import absolute
from localcompact.opendata.datasets import LICENCE
from localcompact.organisations.models import Organisation, Scheme
from localcompact.organisations.register import csv_safe

from .models import Application, Award, FundingKind, Opportunity, Payment

GRANT_PREFIX = "360G-localcompact"
OCID_PREFIX = "ocds-lcmpct"
CURRENCY = "GBP"
GRANT_SCHEMA_VERSION = "1.4"
OCDS_VERSION = "1.1"
LICENSE_URL = LICENCE["url"]
OCDS_DATASET = "contracts-ocds"  # its entry in the open-data index


def publication_policy_url() -> str:
    """The OCDS dataset's page in the open-data index, which states what is published,
    under which licence, what is left out and how often it is updated."""
    return absolute(reverse("opendata:fields", kwargs={"dataset": OCDS_DATASET}))


# Which identifier names an organisation, best first (org-id.guide lists).
PREFERRED_SCHEMES = [
    Scheme.CHARITY_ENGLAND_WALES,
    Scheme.CHARITY_SCOTLAND,
    Scheme.CHARITY_NORTHERN_IRELAND,
    Scheme.COMPANY,
    Scheme.MUTUAL,
    Scheme.LOCAL_AUTHORITY_ENGLAND,
    Scheme.LOCAL_AUTHORITY_WALES,
    Scheme.LOCAL_AUTHORITY_SCOTLAND,
    Scheme.LOCAL_AUTHORITY_NI,
    Scheme.NHS,
    Scheme.GOVERNMENT,
]


def org_identifier(organisation: Organisation) -> tuple[str, str, str]:
    """(org-id, scheme, value) for the organisation; its identifiers must be prefetched."""
    identifiers = list(organisation.identifiers.all())
    identifiers.sort(key=lambda i: PREFERRED_SCHEMES.index(i.scheme))
    if identifiers:
        best = identifiers[0]
        return best.org_id, best.scheme, best.value
    return f"{GRANT_PREFIX}-org-{organisation.slug}", GRANT_PREFIX, f"org-{organisation.slug}"


def awards_for_export(*, kinds: Iterable[str], compact: str | None = None):
    awards = (
        Award.objects.filter(kind__in=list(kinds))
        .select_related("funder", "recipient", "opportunity", "version__compact")
        .prefetch_related(
            "funder__identifiers",
            "recipient__identifiers",
            Prefetch("payments", queryset=Payment.objects.order_by("due_on", "pk")),
        )
        .order_by("award_date", "pk")
    )
    if compact:
        awards = awards.filter(version__compact__slug=compact)
    return awards


def _money(value: Decimal) -> float | int:
    """A JSON number: whole pounds as integers, else two decimal places."""
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def _date_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _site_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or "https://localcompact.example"
    return base.rstrip("/") + path


# --- 360Giving ---------------------------------------------------------------------------


def grant(award: Award) -> dict:
    funder_id = org_identifier(award.funder)[0]
    recipient_id = org_identifier(award.recipient)[0]
    paid = [p for p in award.payments.all() if p.paid_on is not None]
    data = {
        "id": f"{GRANT_PREFIX}-{award.identifier}",
        "title": award.title,
        "description": award.description,
        "currency": CURRENCY,
        "amountAwarded": _money(award.amount),
        "awardDate": award.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": award.starts_on.isoformat(),
                "endDate": award.ends_on.isoformat(),
                "duration": award.months,
            }
        ],
        "recipientOrganization": [{"id": recipient_id, "name": award.recipient.name}],
        "fundingOrganization": [{"id": funder_id, "name": award.funder.name}],
        "url": _site_url(award.get_absolute_url()),
        "amountDisbursed": _money(sum((p.amount for p in paid), Decimal(0))),
        "disbursementTransaction": [
            {
                "id": f"{GRANT_PREFIX}-{award.identifier}-payment-{p.pk}",
                "transactionDate": p.paid_on.isoformat(),
                "currency": CURRENCY,
                "value": _money(p.amount),
                "provider": funder_id,
                "recipient": recipient_id,
            }
            for p in paid
        ],
        "dateModified": _date_time(award.created_at.date()),
    }
    if award.opportunity is not None:
        data["grantProgramme"] = [
            {
                "code": award.opportunity.code,
                "title": award.opportunity.title,
                "url": _site_url(award.opportunity.get_absolute_url()),
            }
        ]
        data["fromOpenCall"] = "Yes"
    else:
        data["fromOpenCall"] = "No"
    return data


def threesixty_package(*, compact: str | None = None, today: dt.date) -> dict:
    grants = [grant(a) for a in awards_for_export(kinds=[FundingKind.GRANT], compact=compact)]
    return {
        "grants": grants,
        "version": GRANT_SCHEMA_VERSION,
        "title": "Grants recorded on "
        + settings.SITE_NAME
        + (f" under the {compact} compact" if compact else ""),
        "issued": today.isoformat(),
        "publisher": {"name": settings.SITE_NAME},
        "license": LICENSE_URL,
    }


CSV_COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Amount Disbursed", lambda g: g["amountDisbursed"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g["plannedDates"][0]["startDate"]),
    ("Planned Dates:End Date", lambda g: g["plannedDates"][0]["endDate"]),
    ("Planned Dates:Duration (months)", lambda g: g["plannedDates"][0]["duration"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: (g.get("grantProgramme") or [{}])[0].get("code", "")),
    ("Grant Programme:Title", lambda g: (g.get("grantProgramme") or [{}])[0].get("title", "")),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("URL", lambda g: g["url"]),
    ("Last Modified", lambda g: g["dateModified"]),
]


def threesixty_csv(*, compact: str | None = None, today: dt.date) -> str:
    """The grants flattened to the 360Giving column titles, one row per grant; no text
    cell is one a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in CSV_COLUMNS])
    for item in threesixty_package(compact=compact, today=today)["grants"]:
        cells = [value(item) for _, value in CSV_COLUMNS]
        writer.writerow([csv_safe(c) if isinstance(c, str) else c for c in cells])
    return out.getvalue()


# --- OCDS --------------------------------------------------------------------------------


def _party(organisation: Organisation, roles: list[str]) -> dict:
    org_id, scheme, value = org_identifier(organisation)
    return {
        "id": org_id,
        "name": organisation.name,
        "identifier": {"scheme": scheme, "id": value, "legalName": organisation.name},
        "roles": roles,
    }


def _ref(organisation: Organisation) -> dict:
    return {"id": org_identifier(organisation)[0], "name": organisation.name}


def _value(amount: Decimal) -> dict:
    return {"amount": _money(amount), "currency": CURRENCY}


def _contract_parts(award: Award, ocid: str) -> tuple[dict, dict]:
    award_id = f"{ocid}-award-{award.pk}"
    period = {"startDate": _date_time(award.starts_on), "endDate": _date_time(award.ends_on)}
    award_part = {
        "id": award_id,
        "title": award.title,
        "description": award.description,
        "status": "active",
        "date": _date_time(award.award_date),
        "value": _value(award.amount),
        "suppliers": [_ref(award.recipient)],
        "contractPeriod": period,
    }
    paid = [p for p in award.payments.all() if p.paid_on is not None]
    contract = {
        "id": f"{ocid}-contract-{award.pk}",
        "awardID": award_id,
        "title": award.title,
        "status": "active",
        "period": period,
        "value": _value(award.amount),
        "dateSigned": _date_time(award.agreed_on),
        "implementation": {
            "transactions": [
                {
                    "id": f"{ocid}-payment-{p.pk}",
                    "date": _date_time(p.paid_on),
                    "value": _value(p.amount),
                    "payer": _ref(award.funder),
                    "payee": _ref(award.recipient),
                }
                for p in paid
            ]
        },
    }
    return award_part, contract


def _release(ocid: str, *, date: dt.date, tags: list[str], parties: dict, buyer) -> dict:
    return {
        "ocid": ocid,
        "id": f"{ocid}-{date.isoformat()}",
        "date": _date_time(date),
        "tag": tags,
        "initiationType": "tender",
        "parties": list(parties.values()),
        "buyer": _ref(buyer),
        "language": "en",
    }


def _add_party(parties: dict, organisation: Organisation, *roles: str) -> None:
    key = organisation.pk
    if key not in parties:
        parties[key] = _party(organisation, [])
    for role in roles:
        if role not in parties[key]["roles"]:
            parties[key]["roles"].append(role)


def opportunity_release(opportunity: Opportunity, applications, awards, *, today) -> dict:
    ocid = f"{OCID_PREFIX}-{opportunity.code}"
    parties: dict = {}
    _add_party(parties, opportunity.funder, "buyer", "procuringEntity")
    tags = ["tender"]
    release_date = opportunity.opens_on
    body: dict = {}
    if opportunity.plan is not None:
        tags.insert(0, "planning")
        body["planning"] = {
            "rationale": opportunity.plan.summary,
            "budget": {
                "description": opportunity.plan.title,
                "amount": _value(opportunity.amount_available),
            },
        }
    status = {
        Opportunity.Status.DRAFT: "planned",
        Opportunity.Status.OPEN: "active",
        Opportunity.Status.CLOSED: "active",
        Opportunity.Status.DECIDED: "complete",
    }[Opportunity.Status(opportunity.status)]
    body["tender"] = {
        "id": f"{ocid}-tender",
        "title": opportunity.title,
        "description": opportunity.description,
        "status": status,
        "value": _value(opportunity.amount_available),
        "procurementMethod": "open",
        "awardCriteriaDetails": opportunity.criteria,
        "eligibilityCriteria": opportunity.decision_method,
        "tenderPeriod": {
            "startDate": _date_time(opportunity.opens_on),
            "endDate": _date_time(opportunity.closes_on),
        },
        "numberOfTenderers": len(applications),
    }
    if awards:
        tags += ["award", "contract"]
        body["awards"], body["contracts"] = [], []
        for award in awards:
            _add_party(parties, award.recipient, "supplier", "payee")
            _add_party(parties, award.funder, "payer")
            award_part, contract = _contract_parts(award, ocid)
            body["awards"].append(award_part)
            body["contracts"].append(contract)
            release_date = max(release_date, award.award_date)
            if contract["implementation"]["transactions"]:
                if "implementation" not in tags:
                    tags.append("implementation")
                release_date = max(
                    [release_date, *(p.paid_on for p in award.payments.all() if p.paid_on)]
                )
    release = _release(
        ocid, date=min(release_date, today), tags=tags, parties=parties, buyer=opportunity.funder
    )
    release.update(body)
    release["parties"] = list(parties.values())
    return release


def direct_award_release(award: Award, *, today) -> dict:
    ocid = f"{OCID_PREFIX}-{award.identifier}"
    parties: dict = {}
    _add_party(parties, award.funder, "buyer", "payer")
    _add_party(parties, award.recipient, "supplier", "payee")
    award_part, contract = _contract_parts(award, ocid)
    tags = ["award", "contract"]
    release_date = award.award_date
    if contract["implementation"]["transactions"]:
        tags.append("implementation")
        release_date = max([release_date, *(p.paid_on for p in award.payments.all() if p.paid_on)])
    release = _release(
        ocid, date=min(release_date, today), tags=tags, parties=parties, buyer=award.funder
    )
    release["initiationType"] = "tender"
    release["awards"], release["contracts"] = [award_part], [contract]
    return release


CONTRACT_KINDS = [FundingKind.CONTRACT, FundingKind.SERVICE_AGREEMENT]


def ocds_package(*, compact: str | None = None, today: dt.date) -> dict:
    opportunities = (
        Opportunity.objects.filter(kind__in=CONTRACT_KINDS)
        .exclude(status=Opportunity.Status.DRAFT)
        .select_related("funder", "plan")
        .prefetch_related(
            "funder__identifiers",
            Prefetch(
                "applications",
                queryset=Application.objects.exclude(status=Application.Status.WITHDRAWN)
                .select_related("applicant")
                .prefetch_related("applicant__identifiers"),
            ),
        )
        .order_by("opens_on", "pk")
    )
    if compact:
        opportunities = opportunities.filter(version__compact__slug=compact)
    awards = list(awards_for_export(kinds=CONTRACT_KINDS, compact=compact))
    by_opportunity: dict[int, list[Award]] = {}
    direct = []
    for award in awards:
        if award.opportunity_id is None:
            direct.append(award)
        else:
            by_opportunity.setdefault(award.opportunity_id, []).append(award)
    releases = [
        opportunity_release(
            o, list(o.applications.all()), by_opportunity.get(o.pk, []), today=today
        )
        for o in opportunities
    ]
    releases += [direct_award_release(a, today=today) for a in direct]
    return {
        "uri": _site_url("/funding/data/ocds.json"),
        "version": OCDS_VERSION,
        "publishedDate": _date_time(today),
        "publisher": {"name": settings.SITE_NAME},
        "license": LICENSE_URL,
        "publicationPolicy": publication_policy_url(),
        "releases": releases,
    }
