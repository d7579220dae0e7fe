"""Errors to Sentry (only when SENTRY_DSN is set), with no personal data sent."""
from config.scrubbing import scrub

# Request parts that may carry personal data (form fields, cookies, query strings).
_DROPPED_REQUEST_KEYS = ("data", "cookies", "query_string", "env")


def before_send(event, hint=None):
    """Drop request bodies and cookies, keep only the user's id, mask ID and phone numbers everywhere else."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in _DROPPED_REQUEST_KEYS:
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() not in ("cookie", "authorization")}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return scrub(event)


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False, before_send=before_send,
                    integrations=[DjangoIntegration(), CeleryIntegration()], traces_sample_rate=0)
