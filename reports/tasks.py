"""Thin Celery tasks of the reports app."""
from celery import shared_task

from jobs.windows import shanghai_today
from reports.aggregates import refresh


@shared_task(name="reports.refresh_figures")
def refresh_figures() -> int:
    """Recompute the stored figures whose records changed since the last run (every few minutes)."""
    return refresh(shanghai_today())
