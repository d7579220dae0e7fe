from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityCardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activity_cards"
    verbose_name = _("流动党员活动证")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from activity_cards.panels import card_panel, issue_card_action
        from transfers.outflow_actions import register_outflow_action
        from activity_cards.receivers import card_for_claim, take_back_card_when_outflow_ends, valid_card_holders
        from activity_cards.roster import annotate_current_document
        from members.roster_columns import CURRENT_DOCUMENT, register_roster_column
        from transfers.choices import DocumentKind
        from transfers.documents import register_document_finder
        from transfers.migrated import register_card_holders
        from transfers.signals import outflow_ended
        from members.panels import register_member_panel

        view = "activity_cards.view_activitycard"
        record = "activity_cards.record_card_entries"
        verify = "activity_cards.verify_activitycard"
        issue = "activity_cards.add_activitycard"
        extend_role_permissions(Role.BRANCH_SECRETARY, view, record, verify)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, view, record, verify, issue)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, view, record, verify, issue)
        extend_role_permissions(Role.ROSTER_STAFF, view)
        extend_role_permissions(Role.TEMPORARY_BRANCH_LEADER, view, record)
        register_member_panel(card_panel)
        register_outflow_action(issue_card_action)
        register_roster_column(CURRENT_DOCUMENT, annotate_current_document)
        register_document_finder(DocumentKind.ACTIVITY_CARD, card_for_claim)
        register_card_holders(valid_card_holders)
        outflow_ended.connect(take_back_card_when_outflow_ends, dispatch_uid="activity_cards.take_back")
