"""Celery tasks of the member registry: thin wrappers around services."""
from celery import shared_task

from members import services


@shared_task
def roster_export_run(job_id: int) -> None:
    services.roster_export_build(job_id=job_id)
