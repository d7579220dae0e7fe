from django import template

from portal.views import link_message

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_link_message(context, link):
    """The ready-to-paste message with the link (its address follows ``SITE_URL`` or the request's host)."""
    return link_message(context["request"], link)
