from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cooperation"
    verbose_name = _("双向共管与双向评议")

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from cooperation.panels import cooperation_panel
        from cooperation.roster import annotate_latest_evaluation
        from members.panels import register_member_panel
        from members.roster_columns import TWO_WAY_EVALUATION, register_roster_column

        read = ("cooperation.view_agreement", "cooperation.view_twowayevaluation")
        agreements = ("cooperation.add_agreement", "cooperation.change_agreement")
        record = ("cooperation.record_exchange", "cooperation.change_twowayevaluation")
        extend_role_permissions(Role.BRANCH_SECRETARY, *read, *record)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, *read, *agreements, *record)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, *read, *agreements, *record)
        extend_role_permissions(Role.ROSTER_STAFF, *read)
        register_member_panel(cooperation_panel)
        register_roster_column(TWO_WAY_EVALUATION, annotate_latest_evaluation)
