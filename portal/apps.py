from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("党员本人报告")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from activity_cards.print_extras import register_card_print_extra
        from config.navigation import register_menu_count
        from members.panels import register_member_panel
        from portal.panels import card_print_link, portal_panel
        from portal.selectors import pending_submissions_count

        inbox = ("portal.view_submission", "portal.change_submission", "portal.add_portallink")
        notices = ("portal.view_notice", "portal.add_notice")
        see_link = "portal.view_portallink"  # its QR, e.g. on the card's print page
        extend_role_permissions(Role.BRANCH_SECRETARY, *inbox, *notices, see_link)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, *notices, see_link)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, *notices, see_link)
        register_member_panel(portal_panel)
        register_card_print_extra(card_print_link)
        register_menu_count("portal:inbox", pending_submissions_count)
