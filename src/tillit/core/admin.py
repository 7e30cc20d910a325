from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tillit.core.models import AccessibilityReport, HistoryEntry


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin[HistoryEntry]):
    """History is read-only, for operators too."""

    list_display = ["at", "action", "object_repr", "actor"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin[AccessibilityReport]):
    list_display = ["created_at", "page", "contact"]
    readonly_fields = ["created_at", "reported_by"]
