from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'members'
    verbose_name = _("党员")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions

        # Only the organization department reads the personal-data access log (never edits it).
        extend_role_permissions(Role.DEPARTMENT_ADMIN, "members.view_personaldataaccess")
        # Branch proposes (members.change_member), the committee decides a change of standing.
        extend_role_permissions(Role.COMMITTEE_REVIEWER, "members.decide_membership")
        extend_role_permissions(Role.DEPARTMENT_ADMIN, "members.decide_membership")

        from members.panels import register_member_panel
        from members.panels_membership import membership_panel

        register_member_panel(membership_panel)
