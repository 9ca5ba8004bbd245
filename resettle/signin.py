"""Sign-in attempts as django-axes records them (the lockout after AXES_FAILURE_LIMIT wrong
passwords, GB/T 22239-2019 §8.1.4.1 login-failure handling)."""

from django.contrib.auth import get_user_model

# The longest user name an account can have: a longer one names no account.
USERNAME_LENGTH = get_user_model()._meta.get_field("username").max_length


def axes_username(request, credentials: dict | None) -> str:
    """The name a sign-in attempt is recorded and locked under (settings.AXES_USERNAME_CALLABLE):
    as typed on the page or sent to the API, cut to the length of a user name (150 characters).
    Axes keeps it in a 255-character column, which PostgreSQL refuses to overflow: a 400-character
    name gave HTTP 500 on the sign-in page and the token endpoint. Takes the request and the
    credentials given to `authenticate` (either may be None); returns a str ("" for none)."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        name = data.get("username", "")
    return str(name or "")[:USERNAME_LENGTH]
