from django.apps import AppConfig
from django.apps import apps as registry
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'accounts'
    verbose_name = _("账号")

    def ready(self):
        # django-axes (login lockouts) shows in the admin under its own English app name; its models' names are
        # translated in locale/zh_Hans (axes ships no Chinese).
        registry.get_app_config("axes").verbose_name = _("登录保护")
