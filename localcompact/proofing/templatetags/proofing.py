"""`{% load proofing %}{% proofing_evidence consultation %}` (or a commissioning plan):
the compact-proofing reports attached to it as evidence, summarised with links.

One query, whatever the number of reports. Attaching a report makes it public
(`services.report_attach`), and only public reports are listed, so every viewer may see
every report shown; nothing is rendered when none is attached.
"""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("proofing/_evidence.html")
def proofing_evidence(target):
    return {"evidence": list(selectors.evidence_for(target))}
