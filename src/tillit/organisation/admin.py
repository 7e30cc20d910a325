from django.contrib import admin

from tillit.organisation.models import Membership, RoleAssignment, Team, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline[Membership, Team]):
    model = Membership
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "unit"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["person", "role", "unit"]
    list_filter = ["role"]
    autocomplete_fields = ["person"]
