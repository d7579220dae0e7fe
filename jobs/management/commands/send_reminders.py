from django.core.management.base import BaseCommand

from jobs.management.commands._today import parse_today
from jobs.reminders import REMINDERS
from jobs.windows import shanghai_today


class Command(BaseCommand):
    help = "发送提醒：monthly 月度信息收集，quarterly 季度报告，deadlines 到期事项。与定时任务执行同一服务。"

    def add_arguments(self, parser):
        parser.add_argument("which", choices=sorted(REMINDERS))
        parser.add_argument("--today", help="按此日期（YYYY-MM-DD，北京时间）发送，默认今天")

    def handle(self, *args, which, today=None, **options):
        day = parse_today(today) or shanghai_today()
        result = REMINDERS[which](today=day)
        self.stdout.write(f"{which} {day}")
        for line in result.lines():
            self.stdout.write(line)
