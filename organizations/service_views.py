"""The one way a form page hands its data to a service.

Every app's write pages subclass ``ServiceFormView``: the view validates the
form, ``perform(form)`` calls the service, and a refusal from the service
(``ValidationError`` or ``PermissionDenied``) re-renders the form with the
message next to the field it names, never a 500. A rejected form answers 200,
as Django's own FormView does: the page is a normal answer to a person, and a
4xx would show up as an error in the browser's console.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView


def attach_errors(form, exc) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ServiceFormView(FormView):
    success_message = ""
    #: A service's PermissionDenied shown above the form (200), or answered with the 403 page.
    permission_refusal_in_form = True

    def perform(self, form):
        """Call the service with the form's data; return what it made or changed."""
        raise NotImplementedError

    def success_url_for(self, result):
        return result.get_absolute_url()

    def get_success_message(self, result) -> str:
        return self.success_message

    def refusal_status(self, exc) -> int:
        return 200

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied) and not self.permission_refusal_in_form:
                raise
            attach_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=self.refusal_status(exc))
        if message := self.get_success_message(result):
            messages.success(self.request, message)
        return redirect(self.success_url_for(result))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=200)
