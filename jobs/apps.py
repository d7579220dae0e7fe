from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = _("督促提醒")

    def ready(self):
        import jobs.schedule_runs  # noqa: F401  (connects the task signals that record scheduled runs)
        from accounts.roles import Role, extend_role_permissions
        from activity_cards.signals import card_issued
        from jobs.claim_notices import notify_origin_of_claim
        from jobs.panels import supervision_panel
        from jobs.roster import annotate_inactivity_flag
        from members.panels import register_member_panel
        from members.roster_columns import INACTIVITY_FLAG, register_roster_column
        from jobs.workflow_notices import clear_card_to_issue, notify_outflow_step
        from transfers.signals import member_claimed, outflow_stepped

        view = ("jobs.view_inactivityflag", "jobs.view_lostcontactcase")
        handle = ("jobs.change_inactivityflag", "jobs.change_lostcontactcase")
        decide = ("jobs.decide_lapse", "jobs.decide_suspension")
        extend_role_permissions(Role.BRANCH_SECRETARY, *view, *handle)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, *view, *decide)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, *view, *decide, "jobs.view_scheduledjobrun")
        register_member_panel(supervision_panel)
        register_roster_column(INACTIVITY_FLAG, annotate_inactivity_flag)
        member_claimed.connect(notify_origin_of_claim, dispatch_uid="jobs.notify_origin_of_claim")
        outflow_stepped.connect(notify_outflow_step, dispatch_uid="jobs.notify_outflow_step")
        card_issued.connect(clear_card_to_issue, dispatch_uid="jobs.clear_card_to_issue")
