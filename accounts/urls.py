from django.urls import path

from accounts import views

urlpatterns = [
    path("account/api/", views.api_guide, name="api-guide"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("account/tokens/revoke-all/", views.api_tokens_revoke_all, name="api-tokens-revoke-all"),
]
