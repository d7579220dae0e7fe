from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import TemplateView

from jobs.schedule_runs import schedule_lines


class ScheduleRunsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """For the county admin: each scheduled job's last run, with a warning when one is late."""

    permission_required = "jobs.view_scheduledjobrun"
    template_name = "jobs/schedule_runs.html"

    def get_context_data(self, **kwargs):
        lines = schedule_lines()
        return super().get_context_data(lines=lines, late=[line for line in lines if line.late],
                                        grace_minutes=settings.SCHEDULE_GRACE_MINUTES, **kwargs)
