"""The financial system's master data (cost centres and account groups) is kept by the operator."""

from django.contrib import admin

from tillit.economy.models import AccountGroup, CostCentre


@admin.register(CostCentre)
class CostCentreAdmin(admin.ModelAdmin[CostCentre]):
    list_display = ["code", "name", "unit", "team", "deviation_threshold"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["unit", "team"]


@admin.register(AccountGroup)
class AccountGroupAdmin(admin.ModelAdmin[AccountGroup]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
