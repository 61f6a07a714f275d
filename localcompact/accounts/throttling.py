"""What django-axes counts failed sign-ins against: the e-mail address tried.

allauth passes the address as ``email``; other callers (the admin's form, a test
client) as ``username``. Lower-cased, so that changing its case does not start a new
count. Axes pairs it with the client's address (``AXES_LOCKOUT_PARAMETERS``), so a
lockout stops that name from that address only, never the real user elsewhere.
"""

from localcompact.core.logging import client_address


def username_tried(request, credentials) -> str | None:
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("login") or request.POST.get("username")
    return str(name).strip().lower() if name else None


def client_ip(request) -> str | None:
    """The client address for axes, or None when the request has none.

    The log's placeholder '-' would not fit axes' address column on PostgreSQL (a
    request made inside the server, such as a test client's force_login, has no peer).
    """
    address = client_address(request)
    return None if address == "-" else address
