"""The reference lists of site governance as the Yuncheng plan gives them (seeds/002 §三(四)): the
ten facilities (十有) and the services (十到位), of which the plan lists nine under the name of
ten. A province adds its own items with its region."""

from django.db import migrations

SOURCE = "运城市易地扶贫搬迁后续扶持行动方案 §三(四)"

# (code, name, size recorded as, unit of capacity)
FACILITIES = [
    ("party_activity_room", "党员活动室", "area", ""),
    ("owners_committee_office", "业委会办公室", "area", ""),
    ("property_management_centre", "物业中心", "area", ""),
    ("clinic", "卫生室", "area", ""),
    ("kindergarten", "幼儿园", "capacity", "个学位"),
    ("police_room", "警务室", "area", ""),
    ("culture_sports_room", "文体活动室", "area", ""),
    ("employment_service_point", "产业就业服务点", "area", ""),
    ("convenience_store", "便民超市", "area", ""),
    ("leisure_square", "休闲广场", "area", ""),
]
SERVICES = [
    ("party_member_service", "党员服务"),
    ("industry_support", "产业支撑"),
    ("employment_security", "就业保障"),
    ("public_security", "治安联防"),
    ("civility", "文明创建"),
    ("deliberation", "议事组织"),
    ("mediation", "民调机构"),
    ("hardship_assistance", "困难帮扶"),
    ("working_funds", "工作经费"),
]
SERVICES_NOTE = "原文称“十到位”，列出九项；省（地）可增列本地项目。"


def seed(apps, schema_editor):
    FacilityKind = apps.get_model("governance", "FacilityKind")
    ServiceKind = apps.get_model("governance", "ServiceKind")
    for position, (code, name, measure, unit) in enumerate(FACILITIES, start=1):
        FacilityKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "measure": measure,
                "capacity_unit": unit,
                "source": SOURCE,
            },
        )
    for position, (code, name) in enumerate(SERVICES, start=1):
        ServiceKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "source": SOURCE,
                "note": SERVICES_NOTE,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("governance", "FacilityKind").objects.filter(
        code__in=[f[0] for f in FACILITIES], region__isnull=True
    ).delete()
    apps.get_model("governance", "ServiceKind").objects.filter(
        code__in=[s[0] for s in SERVICES], region__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_site_governance"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
