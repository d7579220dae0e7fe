from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("党员本人报告")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from config.navigation import register_menu_count
        from members.panels import register_member_panel
        from portal.panels import portal_panel
        from portal.selectors import pending_submissions_count

        inbox = ("portal.view_submission", "portal.change_submission", "portal.add_portallink")
        notices = ("portal.view_notice", "portal.add_notice")
        extend_role_permissions(Role.BRANCH_SECRETARY, *inbox, *notices)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, *notices)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, *notices)
        register_member_panel(portal_panel)
        register_menu_count("portal:inbox", pending_submissions_count)
