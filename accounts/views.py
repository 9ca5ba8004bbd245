"""The user's own API tokens page (API 令牌): list with last use, issue a named token (its secret
shown once), revoke one or all after a confirmation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ApiTokenForm
from accounts.selectors import api_token_list
from accounts.services import (
    Revoked,
    api_token_create,
    api_token_expiry,
    api_token_revoke,
    api_tokens_revoke,
)


@login_required
def api_tokens(request):
    """GET lists the user's tokens; POST (a name) issues one and shows its secret this once, on
    this answer only (nothing keeps it to show again)."""
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                user=request.user, name=form.cleaned_data["name"], request=request
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("name", exc.messages):
                form.add_error("name", message)
        else:
            issued = {"token": token, "secret": secret}
            form = ApiTokenForm()
    tokens = list(api_token_list(user=request.user))
    for token in tokens:
        token.expires = api_token_expiry(created=token.created, last_used=token.last_used)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": tokens,
            "form": form,
            "issued": issued,
            "idle_days": settings.API_TOKEN_IDLE.days,
            "max_age_days": settings.API_TOKEN_MAX_AGE.days,
            "limit": settings.API_TOKEN_LIMIT,
        },
    )


@login_required
def api_token_revoke_view(request, pk: int):
    """GET asks to confirm revoking one of the user's tokens; POST revokes it. Another user's
    token, or one gone, is 404."""
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    if request.method == "POST":
        api_token_revoke(token=token, reason=Revoked.BY_USER, request=request)
        messages.success(
            request,
            _("Revoked the token “%(name)s”: whatever used it can no longer sign in with it.")
            % {"name": token.name},
        )
        return redirect("api-tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})


@login_required
def api_tokens_revoke_all(request):
    """GET asks to confirm revoking every token of the user; POST revokes them."""
    tokens = list(api_token_list(user=request.user))
    if request.method == "POST":
        count = api_tokens_revoke(user=request.user, reason=Revoked.BY_USER, request=request)
        messages.success(request, _("Revoked all your API tokens (%(count)d).") % {"count": count})
        return redirect("api-tokens")
    if not tokens:
        return redirect("api-tokens")
    return render(request, "accounts/api_token_revoke.html", {"tokens": tokens})


@login_required
def api_guide(request):
    """What the API is, for whom, and where its reference (Swagger, in English) and the user's
    tokens are: the page the menu's 数据接口 entry opens for the users who use the API."""
    return render(request, "accounts/api_guide.html")
