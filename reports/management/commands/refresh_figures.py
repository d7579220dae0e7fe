"""Bring the stored figures of the review page and the dashboard up to date (see ``reports.aggregates``).

    python manage.py refresh_figures            # only what changed since the last run
    python manage.py refresh_figures --rebuild  # recompute every organization's figures
"""
from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.aggregates import refresh


class Command(BaseCommand):
    help = "重新计算统计数字（审核页、首页读取的按党组织汇总的数字）；--rebuild 全部重算"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="删除已存的数字，全部重算")

    def handle(self, *args, rebuild=False, **options):
        written = refresh(timezone.localdate(), rebuild=rebuild)
        self.stdout.write(f"重新计算 {written} 个党组织口径的数字")
