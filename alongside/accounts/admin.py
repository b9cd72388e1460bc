from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class AlongsideUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "council"]
    list_filter = ["role", "council"]
    fieldsets = UserAdmin.fieldsets + (("Alongside", {"fields": ["role", "council", "wards"]}),)
