"""Two login-failure limits for django-axes, which itself supports one.

Axes counts failures per user name *and* address (``AXES_LOCKOUT_PARAMETERS``)
and locks that pair at ``LOGIN_FAILURES_PER_ADDRESS``: a village office shares
one public address, so one person mistyping locks only their own name there,
and nobody can lock a name from everywhere with a few tries from one address.
An attacker spreading guesses over many addresses meets the slower limit:
``LOGIN_FAILURES_PER_USERNAME`` failures for a name across all addresses
within the cool-off time lock that name everywhere.

Axes asks ``failure_limit`` for the limit of each login (``AXES_FAILURE_LIMIT``);
once the name is over the slower limit the answer is 0, which every address's
count reaches.
"""
from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def username_failures(request, credentials) -> int:
    """Failures for the login's user name from every address within the cool-off time."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_limit(request, credentials) -> int:
    if username_failures(request, credentials) >= settings.LOGIN_FAILURES_PER_USERNAME:
        return 0
    return settings.LOGIN_FAILURES_PER_ADDRESS
