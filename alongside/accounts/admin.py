"""The Django admin's view of the people who use Alongside, kept within an administrator's role.

An administrator who could set someone's password, or read their authenticator key, could sign
in as them, and everything done would be audited as theirs (issue 29). So here there is no
password field and no "change password" form, and second-factor devices are not shown at all:
an administrator can deactivate an account or remove its second factor (the person sets a new
one at their next sign-in), never see or set either secret. Every change is in the audit chain
(audit/admin_log.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from .models import User


class NewUserForm(forms.ModelForm):
    """A new account has no usable password: the person sets their own (`alongside
    changepassword` on the server until invitations by e-mail arrive)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "council"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class AlongsideUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "council", "is_active"]
    list_filter = ["role", "council", "is_active"]
    fieldsets = (
        (None, {"fields": ["username"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
        ("Alongside", {"fields": ["role", "council", "wards"]}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_form = NewUserForm
    add_fieldsets = ((None, {"fields": NewUserForm.Meta.fields}),)
    actions = ["remove_second_factor"]

    def get_urls(self):
        # Drop UserAdmin's password form (<id>/password/); keep everything else.
        return [u for u in super().get_urls() if not str(u.pattern).endswith("password/")]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields.pop("password", None)
        return form

    @admin.action(description="Remove the second factor (they set a new one at next sign-in)")
    def remove_second_factor(self, request, queryset):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        n, _ = TOTPDevice.objects.filter(user__in=queryset).delete()
        for user in queryset:
            self.log_change(request, user, "Removed the second factor")
        messages.success(request, f"Second factor removed for {queryset.count()} account(s) ({n} device(s)).")

    def has_delete_permission(self, request, obj=None):
        # The audit chain names people by id: they are deactivated, never deleted.
        return False


def _hide_authenticator_keys() -> None:
    """django-otp registers an admin page that shows each device's secret key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


_hide_authenticator_keys()
