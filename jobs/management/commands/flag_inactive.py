from django.core.management.base import BaseCommand

from jobs.management.commands._today import parse_today
from jobs.scans import inactivity_scan
from jobs.windows import shanghai_today


class Command(BaseCommand):
    help = "不活跃（连续6个月）与失联扫描：新增和消除提示，并通知支部书记。与每日定时任务执行同一服务。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期（YYYY-MM-DD，北京时间）扫描，默认今天")

    def handle(self, *args, today=None, **options):
        day = parse_today(today) or shanghai_today()
        result = inactivity_scan(today=day)
        self.stdout.write(f"扫描日期 {day}")
        for line in result.lines():
            self.stdout.write(line)
