"""Template helpers shared by the ledger pages: sortable headers and masked values."""

from django import template
from django.utils.html import format_html

from resettle.masking import mask_birth_date, mask_id_number, mask_phone
from resettle.users import display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str):
    """A column header that sorts by `field`, and by `-field` when already sorted by it; the
    other filters are kept and the page starts again at 1."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["ordering"] = f"-{field}" if current == field else field
    arrow = "▲" if current == field else "▼" if current == f"-{field}" else ""
    return format_html('<a href="?{}">{}</a> {}', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def masked_id(value: str, reveal: bool = False) -> str:
    return value if reveal else mask_id_number(value)


@register.filter
def masked_phone(value: str, reveal: bool = False) -> str:
    return value if reveal else mask_phone(value)


@register.filter
def masked_birth_date(value, reveal: bool = False) -> str:
    """A birth date as YYYY-MM-DD when revealed, else the year only (YYYY-**-**)."""
    if not value:
        return ""
    return value.isoformat() if reveal else mask_birth_date(value)


@register.filter
def person_name(user, nobody: str = "—") -> str:
    """`{{ report.approved_by|person_name }}`: a user's 姓名 or login name (resettle.users)."""
    return display_name(user, nobody=nobody)
