"""Template helpers shared by the ledger pages: sortable headers and masked values."""

from django import template
from django.utils.html import format_html

from resettle.indicators import shown
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
def figure(value, kind: str = "count") -> str:
    """`{{ w.count|figure }}`: a figure as the dashboards and workbooks print it
    (resettle.indicators.shown): thousands separators, "—" for none."""
    return shown(kind, value)


@register.filter
def person_name(user, nobody: str = "—") -> str:
    """`{{ report.approved_by|person_name }}`: a user's 姓名 or login name (resettle.users)."""
    return display_name(user, nobody=nobody)


# Query parameters that page, sort or unmask a list rather than narrow it.
NOT_FILTERS = {"page", "ordering", "reveal", "next"}


@register.inclusion_tag("includes/filters_toggle.html", takes_context=True)
def filters_toggle(context):
    """The 筛选 button that folds a list's filters away on a phone (they take a screen's height
    before the first row); it is open when the address sets a filter, and says how many. A
    search box (`q`) stays out of the fold, and the button then reads 更多筛选. Put it just
    before `<form class="filters">`; on wider screens it is hidden and the filters show."""
    request = context["request"]
    count = sum(1 for key, values in request.GET.lists() if key not in NOT_FILTERS and any(values))
    filterset = context.get("filterset")
    return {"count": count, "search": filterset is not None and "q" in filterset.form.fields}
