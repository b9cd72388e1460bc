"""Changing one's own password (issue 29, 9: nobody could). The old password is asked first;
the session stays signed in (second factor included); the change is in the audit trail."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.audit.log import record
from alongside.front.forms import GovukMixin


def label_new_password(fields) -> None:
    """The two new-password fields as people read them: changing one's own, or from a reset link."""
    fields["new_password1"].label = _l("New password")
    fields["new_password1"].help_text = _l(
        "At least 12 characters. Three random words make a good one; avoid anything about you.")
    fields["new_password2"].label = _l("New password again")
    fields["new_password2"].help_text = _l("Type it again, to be sure it is right.")


class ChangeForm(GovukMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _l("Your password now")
        label_new_password(self.fields)


class ChangePassword(auth_views.PasswordChangeView):
    form_class = ChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, "update", None, what="own password")
        messages.success(self.request, _("Your password has been changed."))
        return response
