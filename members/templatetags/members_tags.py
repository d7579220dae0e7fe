from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html

from members import dues
from members.masking import mask_id_number, mask_phone, masked_birth_date

register = template.Library()


@register.simple_tag
def id_number(value, show_full):
    return value if show_full else mask_id_number(value)


@register.simple_tag
def phone(value, show_full):
    return value if show_full else mask_phone(value)


@register.simple_tag
def birth_date(value, show_full, date_format="Y-m-d"):
    """The birth date in ``date_format``, or only its year for a masked role (see members.masking)."""
    return format_date(value, date_format) if show_full else masked_birth_date(value)


@register.simple_tag(takes_context=True)
def sort_header(context, field, label):
    """A column header that sorts the list by ``field``, toggling the direction."""
    request = context["request"]
    current = request.GET.get("sort", "")
    descending = current == field
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{field}" if descending else field
    arrow = "▲" if current == field else "▼" if current == f"-{field}" else ""
    return format_html('<a class="sort" href="?{}">{}<span class="arrow">{}</span></a>', query.urlencode(), label, arrow)


@register.filter
def month_cn(value):
    """A month as every page writes it: 2026年10月 (empty for no month)."""
    return dues.month_label(value)
