from django import forms
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'organizations'
    verbose_name = _("党组织")

    def ready(self):
        from organizations import lookups  # noqa: F401  (registers ``__any_of``)
        from organizations.validators import validate_date_in_range

        # Every date typed into any form (ours, django-filter's, the admin's) must be in the registry's range:
        # Django takes dates up to 9999-12-31, where the next month or year is an OverflowError (a 500).
        forms.DateField.default_validators = [validate_date_in_range]
