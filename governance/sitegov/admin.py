"""Site governance in the admin: the reference lists are kept here (through the service that
holds their rules); the sites' records are read here, and written through the pages, the API
and the imports, whose services check them."""

from django.contrib import admin

from governance.sitegov import services
from governance.sitegov.models import (
    Cadre,
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from resettle.admin import LedgerRecordAdmin
from resettle.scoping import permits


class ReferenceItemAdmin(admin.ModelAdmin):
    """An item of a reference list, saved by `services.reference_item_save` (the region's
    administrators set its own items; the documents' items need one over everything)."""

    list_display = ["position", "name", "code", "region", "source"]
    list_display_links = ["name"]
    list_filter = ["region"]
    raw_id_fields = ["region"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and permits(
            request.user, type(obj), "change", region_code=obj.region_id
        )

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        item = type(obj).objects.get(pk=obj.pk) if change else None
        saved = services.reference_item_save(
            actor=request.user, model=type(obj), data=form.cleaned_data, item=item
        )
        obj.pk = saved.pk


@admin.register(FacilityKind)
class FacilityKindAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "measure"]


admin.site.register(ServiceKind, ReferenceItemAdmin)


@admin.register(SiteFacility, SiteService)
class SiteItemAdmin(LedgerRecordAdmin):
    list_display = ["site", "kind", "since"]
    list_filter = ["kind"]
    raw_id_fields = ["site"]


@admin.register(Cadre)
class CadreAdmin(LedgerRecordAdmin):
    list_display = ["name", "post", "unit", "rank", "region"]
    list_filter = ["rank"]
    search_fields = ["name", "unit"]


@admin.register(TeamMember, SiteLeader)
class ChargeAdmin(LedgerRecordAdmin):
    list_display = ["site", "cadre", "start_date", "end_date"]
    raw_id_fields = ["site", "cadre"]


@admin.register(CommunityBody, ShopAsset)
class SiteBodyAdmin(LedgerRecordAdmin):
    list_display = ["site", "kind", "name"]
    list_filter = ["kind"]
    raw_id_fields = ["site"]


@admin.register(GridRole)
class GridRoleAdmin(LedgerRecordAdmin):
    list_display = ["site", "role", "area", "holder_name"]
    list_filter = ["role"]
    raw_id_fields = ["site", "person", "cadre"]


@admin.register(ShopIncome)
class ShopIncomeAdmin(LedgerRecordAdmin):
    list_display = ["asset", "year", "income", "to_community_running", "to_collective_economy"]
    list_filter = ["year"]
    raw_id_fields = ["asset"]


@admin.register(FarmingWish, Greenhouse)
class HouseholdItemAdmin(LedgerRecordAdmin):
    list_display = ["household", "__str__"]
    raw_id_fields = ["household"]
