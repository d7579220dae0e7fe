from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request):
    """The bell's count, counted only when a page shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(
        lambda: Notification.objects.visible_to(user).unread().count())}
