from django.contrib import admin

from .models import Council, Ward


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "nation", "shares_with_network"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "council", "population"]
    list_filter = ["council"]
