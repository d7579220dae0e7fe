from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "季度报告"

    def ready(self):
        from accounts.roles import Role, extend_role_permissions

        view = "reports.view_quarterlyreport"
        write = ("reports.add_quarterlyreport", "reports.change_quarterlyreport")
        review = "reports.review_quarterlyreport"
        extend_role_permissions(Role.BRANCH_SECRETARY, view, *write)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, view, review)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, view, review)
        extend_role_permissions(Role.ROSTER_STAFF, view)
        extend_role_permissions(Role.TEMPORARY_BRANCH_LEADER, view, *write)  # reports to the origin each quarter
