"""A forgotten password, reset from a link e-mailed to the address on the account (issue 29, 9).

Django's own reset views and one-time tokens: the link works once and for an hour
(PASSWORD_RESET_TIMEOUT), the page says the same whether or not the address is known, an
account with no usable password (made in the admin, not yet invited) gets no e-mail, and nobody
is signed in by the link: the new password is followed by the second factor at the next sign-in,
as always. At most ALONGSIDE_RESET_EMAILS_PER_HOUR e-mails go to one account an hour. The e-mail
sent and the password set are both in the audit trail.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.front.forms import GovukMixin

from .password import label_new_password

SENT = "password reset e-mail"


class AskForm(GovukMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _l("Your work e-mail address")
        self.fields["email"].help_text = _l("The address your council gave Alongside for you.")
        self.fields["email"].error_messages = {
            "required": _l("Enter your work e-mail address"),
            "invalid": _l("Enter an e-mail address in the right form, like name@council.gov.uk")}

    def get_users(self, email):
        since = timezone.now() - timedelta(hours=1)
        for user in super().get_users(email):
            recent = AuditEvent.objects.filter(user=user, at__gte=since, detail__what=SENT).count()
            if recent < settings.ALONGSIDE_RESET_EMAILS_PER_HOUR:
                yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)
        record(self.request, "update", None, user=context["user"], what=SENT)

    def save(self, *args, request=None, **kwargs):
        self.request = request
        return super().save(*args, request=request, **kwargs)


class NewPasswordForm(GovukMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_new_password(self.fields)


class Ask(auth_views.PasswordResetView):
    form_class = AskForm
    template_name = "accounts/reset_ask.html"
    email_template_name = "accounts/reset_email.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("password_reset_sent")


class Sent(auth_views.PasswordResetDoneView):
    template_name = "accounts/reset_sent.html"


class SetNew(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/reset_set.html"
    success_url = reverse_lazy("password_reset_done")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request, "update", None, user=form.user, what="own password, from an e-mailed link")
        return response


class Done(auth_views.PasswordResetCompleteView):
    template_name = "accounts/reset_done.html"
