from django.contrib import admin

from .models import Code


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["list", "code", "label", "parent", "version", "active"]
    list_filter = ["list", "active"]
    search_fields = ["code", "label"]
