from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken
from accounts.services import Revoked, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API tokens, for an administrator to revoke (a lost laptop, a person who left).
    Tokens are issued by their users only (their secret is shown to them once); nothing of a
    token can be changed. Revoking goes through the service, as the user's own does."""

    list_display = ["user", "name", "begins_with", "created", "last_used", "expiry"]
    list_filter = ["created", "last_used"]
    search_fields = ["user__username", "name"]
    list_select_related = ["user"]
    actions = ["revoke"]
    fields = ["user", "name", "begins_with", "created", "last_used", "expiry"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("begins with"))
    def begins_with(self, token):
        return f"{token.token_key[:8]}…"

    @admin.action(
        description=gettext_lazy("Revoke the selected API tokens"), permissions=["delete"]
    )
    def revoke(self, request, queryset):
        count = 0
        for token in queryset:
            api_token_revoke(token=token, reason=Revoked.BY_ADMIN, request=request)
            count += 1
        self.message_user(
            request,
            _("Revoked %(count)d API tokens.") % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        api_token_revoke(token=obj, reason=Revoked.BY_ADMIN, request=request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
