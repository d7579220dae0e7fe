from django.contrib.auth import views as auth_views

from accounts.services import password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also ends the obligation to replace an initial or reset password."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response
