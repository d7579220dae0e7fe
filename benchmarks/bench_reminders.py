"""``send_reminders deadlines`` over 100,000 and 1,000,000 members: time and peak memory (PostgreSQL).

The members of bench_inactivity (100 branches, one secretary with an
address each; about 85 % owe dues, so the rules write about one reminder per
member). Each run is a fresh child process: the first run (the day before,
no last run: a full recount) creates the reminders and mails each secretary
one digest; then a day's records are added (as in bench_inactivity) and the
next day's run examines only the members changed or crossing a date edge;
a third run the same day finds nothing new and sends nothing. Baselines from
the same run: the peak memory of a child that only starts Django and counts
the members, and the time of the plain SQL count of the members owing dues
(the biggest rule). Target: peak memory under 100 MB at 1,000,000 members.

    BENCH_REMINDERS_SIZES=100000 python -m benchmarks reminders
"""
import os
import sys
from datetime import date

from benchmarks import harness
from benchmarks.bench_inactivity import TODAY, YESTERDAY, _a_day_passes, _generate, _tree


def run() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("跳过：需要 DATABASE_URL 指向 PostgreSQL。")
        return
    sizes = [int(s) for s in os.environ.get("BENCH_REMINDERS_SIZES", "100000,1000000").split(",") if s]
    print("目标：1,000,000 名党员时 send_reminders deadlines 峰值内存 < 100 MB；同一天再运行不重复发送。")
    module = "benchmarks.bench_reminders"
    with harness.bench_database():
        organizations, user_id = _tree()
        for size in sizes:
            _generate(size, organizations, user_id)
            baseline = harness.run_child(module, "baseline")
            for label, day in (("首次（前一天，全量，新建提醒并发邮件）", YESTERDAY), ("每日（一天的新记录）", TODAY),
                               ("同一天再次运行", TODAY)):
                if label.startswith("每日"):
                    _a_day_passes(user_id)
                result = harness.run_child(module, "deadlines", day.isoformat())
                harness.report(f"{size:>9,} 名党员 {label} 峰值内存", result["peak_rss_mb"], "MB",
                               baseline=baseline["peak_rss_mb"], baseline_label="只启动 Django",
                               target="< 100 MB", ok=result["peak_rss_mb"] < 100)
                harness.report(f"{size:>9,} 名党员 {label} 耗时", result["seconds"], "s",
                               baseline=baseline["seconds"], baseline_label="欠缴党费规则的纯 SQL 计数")
                print(f"    提醒 {result['notifications']:,} 条，邮件 {result['emails']:,} 封", flush=True)


def _child(mode: str, day: str = "") -> dict:
    from django.db import connection

    from jobs.reminders import deadline_reminders_send

    result: dict = {"mode": mode}
    if mode == "baseline":
        with harness.measured(result), connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM members_member WHERE dues_paid_through < %s",
                           [TODAY.replace(day=1).replace(month=TODAY.month - 1)])
            cursor.fetchone()
    else:
        with harness.measured(result):
            outcome = deadline_reminders_send(today=date.fromisoformat(day))
        result["notifications"] = sum(outcome.counts.values())
        result["emails"] = outcome.emails
    return result


if __name__ == "__main__":
    harness.django_setup()
    harness.print_child_result(_child(*sys.argv[1:]))
