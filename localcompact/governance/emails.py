"""Governance e-mails: a subject, text and HTML template each, sent to each address
separately (no one sees another's address)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send(template: str, *, to: Iterable[str], context: dict) -> int:
    addresses = sorted({address for address in to if address})
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    name = f"governance/email/{template}"
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    context["subject"] = subject
    text = render_to_string(f"{name}.txt", context)
    html = render_to_string(f"{name}.html", context)
    sent = 0
    for address in addresses:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent
