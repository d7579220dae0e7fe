from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from notifications import services
from notifications.models import Notification
from organizations.pagination import BoundedCountMixin


class NotificationListView(LoginRequiredMixin, BoundedCountMixin, ListView):
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        qs = Notification.objects.visible_to(self.request.user).select_related("member", "organization")
        if self.request.GET.get("unread") == "1":
            qs = qs.unread()
        return qs


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification read and go to what it is about."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        services.notification_mark_read(notification=notification, acting_user=request.user)
        target = request.POST.get("next", "")
        # Only a path on this site; anything else (a view name, another host, control characters) is ignored.
        if not (target.startswith("/") and target.isprintable()
                and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
            target = notification.get_absolute_url()
        return HttpResponseRedirect(target)


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notifications_mark_all_read(acting_user=request.user)
        messages.success(request, _("已将%(count)d条提醒标为已读。") % {"count": count})
        return redirect("notifications:list")
