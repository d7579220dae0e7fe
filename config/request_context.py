"""Who and what a log line is about: request id, user id, organization id (contextvars)."""
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
user_id_var: ContextVar[str] = ContextVar("user_id", default="-")
organization_id_var: ContextVar[str] = ContextVar("organization_id", default="-")

# A request id from the proxy is kept only when it looks like one (no spaces, no personal data).
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex


def clear_request_context(**kwargs):
    """When the response is closed: after Django's own "Not Found"/"Internal Server Error" line."""
    for var in (request_id_var, user_id_var, organization_id_var):
        var.set("-")


request_finished.connect(clear_request_context, dispatch_uid="config.request_context.clear")


class RequestContextMiddleware:
    """Sets the request id for every log line of the request and returns it as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        request_id_var.set(request_id)
        user_id_var.set("-")
        organization_id_var.set("-")
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestUserMiddleware:
    """After authentication: the user id and organization id for the log lines (lazily, no query for anonymous)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
            organization_id_var.set(str(user.organization_id or "-"))
        return self.get_response(request)
