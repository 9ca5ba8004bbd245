from django.contrib import admin

from households.models import Household, Membership, Person, Region, Site
from resettle.admin import LedgerRecordAdmin


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "placement", "area_type", "registered_persons"]
    list_filter = ["placement", "area_type"]
    search_fields = ["code", "name"]
    raw_id_fields = ["county", "township"]


@admin.register(Household)
class HouseholdAdmin(LedgerRecordAdmin):
    list_display = ["household_no", "site", "category", "version"]
    search_fields = ["household_no"]
    raw_id_fields = ["site"]


@admin.register(Person)
class PersonAdmin(LedgerRecordAdmin):
    list_display = ["name", "household", "relation", "status"]
    list_filter = ["status"]
    search_fields = ["name", "household__household_no"]
    raw_id_fields = ["household"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "site"]
    list_filter = ["role"]
    raw_id_fields = ["region", "site"]
