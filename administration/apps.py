from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """The county administrator's pages: the organization tree and the logins, with their Excel imports.

    It sits on top of the stack because merging and closing a branch move or check its members.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "administration"
    verbose_name = _("县级管理")
