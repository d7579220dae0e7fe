"""The place fields of every form: a division picker that is a plain select without JS, and a country select.

Without JS the select lists provinces and cities (about 370 choices, grouped
by province); ``static/js/place_picker.js`` adds a search box (name, pinyin or
initials, through ``places:search``) and a county select after a city.
"""
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from places.models import Country, Division, Level


class _ListedDivisions(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = Q(level__lte=Level.CITY) | Q(pk__in=[code for code in self.field.current if code])
        for division in self.field.queryset.filter(listed):
            yield self.choice(division)


class _CodeChoiceField(forms.ModelChoiceField):
    """A code with a NUL character is no choice (PostgreSQL refuses it in a query: it must not be a 500)."""

    def to_python(self, value):
        if value is not None and "\x00" in str(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class DivisionField(_CodeChoiceField):
    iterator = _ListedDivisions

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Division.objects.filter(selectable=True).order_by("code"))
        kwargs.setdefault("widget", forms.Select(attrs={"data-place-picker": "", "data-search-url":
                                                        reverse_lazy("places:search")}))
        super().__init__(**kwargs)
        self.current: set[str] = set()

    def label_from_instance(self, obj):
        return obj.full_name


class CountryField(_CodeChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.order_by("name_en"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name


def show_current_divisions(form) -> None:
    """Let each division select list the county already chosen (or posted), not only provinces and cities."""
    for name, field in form.fields.items():
        if isinstance(field, DivisionField):
            value = form[name].value()
            code = str(getattr(value, "pk", value)) if value else ""
            field.current = {code} if code and "\x00" not in code else set()  # a crafted NUL: no query with it
            field.widget.choices = field.choices


PLACE_FIELD_CLASSES = {"destination_division": DivisionField, "abroad_country": CountryField,
                       "division": DivisionField, "country": CountryField}
PICKER_HELP = _("输入地名或拼音首字母（如“杭州”或“hz”）查找，选到市或区县")
