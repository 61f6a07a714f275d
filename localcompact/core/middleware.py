from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from . import logging as audit


class RequestContextMiddleware:
    """Gives each request an id and makes it the context of the log records it writes.

    The id is the caller's ``X-Request-ID`` when that is a safe short token (8 to 64
    letters, digits, ``.``, ``_`` or ``-``), otherwise a new random one; it is sent back
    in the response's ``X-Request-ID``. A view that refuses permission is logged on
    ``localcompact.audit``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = audit.request_id_from_header(request.headers.get("X-Request-ID"))
        token = audit.bind_request(request)
        try:
            response = self.get_response(request)
        finally:
            audit.unbind_request(token)
        response["X-Request-ID"] = request.request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            audit.log_permission_refused(request)
        return None
