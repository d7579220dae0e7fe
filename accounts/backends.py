from django.contrib.auth.backends import ModelBackend

from accounts.roles import role_permissions


class RoleBackend(ModelBackend):
    """Model authentication whose permissions come from the user's role."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(role_permissions(user_obj.role))

    def get_group_permissions(self, user_obj, obj=None):
        return set()
