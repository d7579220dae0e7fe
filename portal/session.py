"""The member's 30-minute session: a signed cookie naming the link, apart from staff logins.

The member is never logged in as a Django user: the cookie carries the link's id and the time it was signed
(``django.core.signing``, salted for this use only), and every request checks that the link is still usable.
Revoking the link, the member returning or a transfer ends the session at once.
"""
from django.conf import settings
from django.core import signing

from portal.models import PortalLink

COOKIE_NAME = "portal_session"
SESSION_SECONDS = 30 * 60
_SALT = "portal.session"


def session_start(response, link: PortalLink) -> None:
    value = signing.dumps({"link": link.pk, "token": link.token[:8]}, salt=_SALT)
    response.set_cookie(COOKIE_NAME, value, max_age=SESSION_SECONDS, path="/m/", httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)


def session_end(response) -> None:
    response.delete_cookie(COOKIE_NAME, path="/m/", samesite="Lax")


def session_valid(request, link: PortalLink) -> bool:
    """Whether the request carries a live session for ``link`` (signed by us, under 30 minutes old)."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return False
    try:
        value = signing.loads(raw, salt=_SALT, max_age=SESSION_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return value.get("link") == link.pk and value.get("token") == link.token[:8]
