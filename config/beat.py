"""A beat scheduler that sends jobs only while it holds a lock in Redis.

Two beats started by mistake (on two servers, or twice on one) would send
every scheduled job twice. Each beat tries to take the lock on every tick;
the one holding it renews it and runs the schedule, the other only waits. If
the holder dies, its lock expires after ``BEAT_LOCK_TIMEOUT`` seconds and the
waiting beat takes over. Used only with ``REDIS_URL`` (settings); the embedded
broker of ``make run`` lives on one machine and runs one beat.
"""
import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "mobile-party:celery-beat-lock"

# Renew only a lock that is still ours (a lock that expired and was taken by
# another beat must not be extended by us).
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class BeatLock:
    def __init__(self, url: str, *, timeout: int, key: str = LOCK_KEY):
        self.client = redis.Redis.from_url(url)
        self.key, self.timeout_ms = key, timeout * 1000
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire_or_renew(self) -> bool:
        """True while this beat holds the lock (taken now, or still ours and renewed)."""
        if self.client.set(self.key, self.owner, nx=True, px=self.timeout_ms):
            return True
        return bool(self.client.eval(_RENEW, 1, self.key, self.owner, self.timeout_ms))

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.owner)


class LockedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.lock = BeatLock(settings.REDIS_URL, timeout=settings.BEAT_LOCK_TIMEOUT)
        self.holding = None  # not asked yet
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        try:
            holding = self.lock.acquire_or_renew()
        except redis.RedisError:
            logger.exception("celery beat cannot reach Redis for its lock; sends nothing until it can")
            holding = False
        if holding != self.holding:
            logger.warning("celery beat %s the lock %s", "holds" if holding else "waits: another beat holds",
                           self.lock.key)
            self.holding = holding
        if not holding:
            return min(self.max_interval, self.lock.timeout_ms / 3000)
        return super().tick(*args, **kwargs)

    def close(self):
        super().close()
        if self.holding:
            self.lock.release()
            self.holding = False
