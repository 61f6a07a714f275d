from django.conf import settings
from django.urls import reverse

# The service navigation: (section, label, URL name). A view marks its section with
# `nav_section` in its context; the home page is the service name in the header.
NAVIGATION = (
    ("compacts", "Compacts", "compacts:list"),
    ("register", "Register", "organisations:register"),
    ("consultations", "Consultations", "consultations:list"),
    ("notices", "Notices", "notices:index"),
    ("partnerships", "Partnerships", "partnerships:index"),
    ("funding", "Funding", "funding:index"),
    ("disagreements", "Disagreements", "disputes:index"),
    ("volunteering", "Volunteering", "volunteering:index"),
    ("governance", "Governance", "governance:index"),
    ("reports", "Reports", "reports:index"),
    ("open-data", "Open data", "opendata:index"),
)


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "navigation": [(section, label, reverse(name)) for section, label, name in NAVIGATION],
    }
