from datetime import date

from django.core.management.base import CommandError


def parse_today(value: str | None):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today 须为 YYYY-MM-DD 格式的日期：{value}") from exc
