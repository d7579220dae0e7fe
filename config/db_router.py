"""Send the reads of heavy read-only pages to the ``replica`` database, and nothing else.

Only code wrapped in ``using_replica()`` reads from the replica (the
dashboard, review roll-ups, statistics and roster exports): a streaming
replica lags a little, and a user must see at once what they just changed,
so every other read and every write goes to ``default``. Without
``DATABASE_REPLICA_URL`` there is no ``replica`` and everything reads the
primary.
"""
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


class using_replica(ContextDecorator):  # noqa: N801 - used like a function: ``with using_replica():``
    """Within this block (or decorated view), reads go to the replica when one is configured."""

    def __enter__(self):
        self._token = _reading_replica.set(True)
        return self

    def __exit__(self, *exc):
        _reading_replica.reset(self._token)
        return False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica receives the primary's changes, never its own


class ReplicaReadMixin:
    """A heavy read-only page: its queries, template rendering included, read the replica.

    The signed-in user and the session are loaded from the primary first: a
    user who has just logged in may not be on the replica yet.
    """

    def dispatch(self, request, *args, **kwargs):
        request.user.is_authenticated  # noqa: B018 - loads the session and user now, from the primary
        with using_replica():
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response
