"""Views see only the user's organization subtree.

Every model a user can reach has a ``visible_to(user)`` queryset method; this
mixin swaps the view's queryset for it, so an object outside the subtree is a
404, exactly like one that does not exist.
"""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin


class ScopedViewMixin(LoginRequiredMixin, PermissionRequiredMixin):
    model = None
    #: Extra select_related/prefetch_related calls, as a queryset method name.
    queryset_method = None

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.queryset_method:
            qs = getattr(qs, self.queryset_method)()
        return qs

