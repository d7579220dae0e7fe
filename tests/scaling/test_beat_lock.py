"""Celery beat started twice sends each job once: only the beat holding the lock in Redis runs the schedule."""
import pytest
import redis

from config import beat
from config.celery import app


@pytest.fixture
def lock_key(redis_url, settings):
    settings.REDIS_URL = redis_url
    client = redis.Redis.from_url(redis_url)
    client.delete(beat.LOCK_KEY)
    yield beat.LOCK_KEY
    client.delete(beat.LOCK_KEY)


@pytest.fixture
def start_beat(lock_key, tmp_path):
    """Start a beat scheduler (as ``celery beat`` does); those still running are stopped at the end."""
    running = []

    def start():
        running.append(beat.LockedScheduler(app=app, schedule_filename=str(tmp_path / f"beat-{len(running)}")))
        return running[-1]

    yield start
    for scheduler in running:
        if not getattr(scheduler, "stopped", False):
            scheduler.close()


def stop(scheduler):
    scheduler.close()
    scheduler.stopped = True


@pytest.mark.services
def test_only_one_of_two_beats_runs_the_schedule(start_beat, lock_key, settings):
    first, second = start_beat(), start_beat()
    first.tick()
    wait = second.tick()
    assert (first.holding, second.holding) == (True, False)
    assert wait <= settings.BEAT_LOCK_TIMEOUT / 3
    first.tick()  # renews its own lock
    second.tick()
    assert (first.holding, second.holding) == (True, False)
    assert redis.Redis.from_url(settings.REDIS_URL).pttl(lock_key) > 0


@pytest.mark.services
def test_the_waiting_beat_takes_over_when_the_holder_stops_or_its_lock_expires(start_beat, lock_key, settings):
    first, second = start_beat(), start_beat()
    first.tick()
    stop(first)  # a clean stop releases the lock
    second.tick()
    assert second.holding
    redis.Redis.from_url(settings.REDIS_URL).delete(lock_key)  # what the expiry of a dead beat's lock does
    third = start_beat()
    third.tick()
    assert third.holding
    second.tick()
    assert not second.holding  # it did not renew a lock that had become someone else's


@pytest.mark.services
def test_a_second_beat_process_uses_the_lock_with_redis(redis_url, settings):
    assert settings.CELERY_BEAT_SCHEDULER == "config.beat:LockedScheduler"
