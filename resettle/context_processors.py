"""What every page's layout shows: the user's scope and the menu entries their roles reach."""

from resettle.scoping import LEDGER_READERS, Role


def layout(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(user.memberships.select_related("region", "site"))
    roles = {m.role for m in memberships}
    return {
        "scope_memberships": memberships,
        "menu": {
            "ledgers": user.is_superuser or bool(roles & LEDGER_READERS),
            "admin": user.is_staff,
            # The data API is for the systems an administrator connects (issue 18).
            "api": user.is_superuser or user.is_staff or Role.ADMIN in roles,
        },
    }
