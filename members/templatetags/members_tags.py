from django import template

from members.masking import mask_id_number, mask_phone

register = template.Library()


@register.simple_tag
def id_number(value, show_full):
    return value if show_full else mask_id_number(value)


@register.simple_tag
def phone(value, show_full):
    return value if show_full else mask_phone(value)
