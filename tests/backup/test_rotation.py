"""Backups are kept 7 daily, 4 weekly (ISO weeks) and 12 monthly: the newest of each period."""
from datetime import date, datetime, timedelta

import pytest

from tests.backup.pgbackup import backups_to_keep, rotate


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# 2026-12-02 is a Wednesday; ISO week 49 starts Monday 2026-11-30.
CASES = [
    ("one backup", [date(2026, 12, 2)], {date(2026, 12, 2)}),
    ("eight days: the eighth goes, its week (Sunday 11-29) and month (11-30) have newer backups",
     days(date(2026, 11, 25), date(2026, 12, 2)),
     set(days(date(2026, 11, 26), date(2026, 12, 2)))),
    ("twelve days: Sunday 11-22 stays as the newest of ISO week 47",
     days(date(2026, 11, 21), date(2026, 12, 2)),
     set(days(date(2026, 11, 26), date(2026, 12, 2))) | {date(2026, 11, 22)}),
    ("a gap: seven daily backups are the last seven backups, not the last seven calendar days",
     [date(2026, 12, 2), date(2026, 11, 1), date(2026, 10, 1)],
     {date(2026, 12, 2), date(2026, 11, 1), date(2026, 10, 1)}),
]


@pytest.mark.parametrize(("label", "backups", "kept"), CASES, ids=[case[0] for case in CASES])
def test_backups_to_keep(label, backups, kept):
    assert backups_to_keep(backups) == kept


def test_a_year_and_more_of_nightly_backups_keeps_seven_days_four_weeks_twelve_months():
    today = date(2026, 12, 2)
    kept = backups_to_keep(days(date(2025, 6, 1), today))
    assert set(days(date(2026, 11, 26), today)) <= kept  # 7 daily
    assert {date(2026, 11, 22), date(2026, 11, 15)} <= kept  # Sundays closing ISO weeks 47 and 46
    assert date(2026, 11, 8) not in kept  # the 5th week back
    month_ends = {date(2026, month, 1) - timedelta(days=1) for month in range(2, 12)}
    assert month_ends <= kept  # 12 monthly: December, November (11-30, a daily one) and January to October
    assert date(2025, 12, 31) not in kept  # the 13th month back
    assert len(kept) == 7 + 2 + 10


def test_rotate_deletes_the_folders_not_kept_and_keeps_the_newest_of_a_day(tmp_path):
    stamps = [datetime(2026, 11, day, 1, 0) for day in range(1, 31)] + [datetime(2026, 11, 30, 13, 0)]
    for stamp in stamps:
        (tmp_path / stamp.strftime("%Y%m%dT%H%M%SZ")).mkdir()
    (tmp_path / "not-a-backup").mkdir()
    rotate(tmp_path)
    left = sorted(path.name for path in tmp_path.iterdir())
    assert "20261130T010000Z" not in left and "20261130T130000Z" in left
    assert "not-a-backup" in left
    # 7 daily (11-24 to 11-30), the ISO weeks' newest 11-30, 11-29, 11-22, 11-15, the month's 11-30
    assert left == [f"202611{day:02d}T010000Z" for day in (15, 22, 24, 25, 26, 27, 28, 29)] + [
        "20261130T130000Z", "not-a-backup"]
