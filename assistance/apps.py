from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistance"
    verbose_name = _("关爱帮扶")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from assistance.panels import help_panel
        from members.panels import register_member_panel

        view = "assistance.view_helprequest"
        write = ("assistance.add_helprequest", "assistance.change_helprequest")
        extend_role_permissions(Role.BRANCH_SECRETARY, view, *write)
        extend_role_permissions(Role.TEMPORARY_BRANCH_LEADER, view, *write)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, view, *write)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, view, *write)
        extend_role_permissions(Role.ROSTER_STAFF, view)
        register_member_panel(help_panel)
