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


class ChangeForm(GovukMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _l("Your password now")
        self.fields["new_password1"].label = _l("New password")
        self.fields["new_password1"].help_text = _l(
            "At least 12 characters. Three random words make a good one; avoid anything about you.")
        self.fields["new_password2"].label = _l("New password again")
        self.fields["new_password2"].help_text = _l("Type it again, to be sure it is right.")


class ChangePassword(auth_views.PasswordChangeView):
    form_class = ChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, "update", None, what="own password")
        messages.success(self.request, _("Your password has been changed."))
        return response
