from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'members'

    def ready(self):
        from accounts.roles import Role, extend_role_permissions

        # Only the organization department reads the personal-data access log (never edits it).
        extend_role_permissions(Role.DEPARTMENT_ADMIN, "members.view_personaldataaccess")
