"""How a page, a workbook or a message names a user of the platform (a cadre, not a resident)."""

from django.utils.translation import gettext as _


def display_name(user, *, nobody: str = "—") -> str:
    """The name shown for `user`: their 姓名 (the user's last_name then first_name, Chinese
    order; `add_member --name 王建国` stores the whole name as first_name), or their login name
    when no name is recorded.

    Takes a user or None (a step the system took: the result is `nobody`, by default "—").
    Returns a str. Raises nothing.
    """
    if user is None:
        return nobody
    family, given = (user.last_name or "").strip(), (user.first_name or "").strip()
    if family.isascii() and given.isascii() and family and given:
        return f"{given} {family}"
    return f"{family}{given}" or user.get_username()


def system_or_name(user) -> str:
    """`display_name`, with "系统" (the system, translated) for a step no user took."""
    return display_name(user, nobody=_("the system"))
