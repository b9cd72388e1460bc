from django.contrib import admin
from django.utils import timezone

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke tokens here; tokens are made with `alongside api_token create`,
    which shows the secret once (the admin could not: only its hash is kept)."""

    list_display = ("prefix", "name", "user", "council", "can_write", "created_at", "last_used_at",
                    "revoked_at")
    list_filter = ("can_write", "council")
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at", "user")
    fields = ("name", "user", "council", "can_write", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens now")
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{n} token(s) revoked.")
