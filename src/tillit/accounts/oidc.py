"""Single sign-on with the municipality's own identity provider (OpenID Connect)."""

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tillit.accounts.models import User


class TillitOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's e-mail claim to a Tillit account; creates one only when configured to."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User:
        name = claims.get("name") or " ".join(
            part for part in (claims.get("given_name"), claims.get("family_name")) if part
        )
        user = User(email=claims["email"].strip().lower(), full_name=name or claims["email"])
        user.set_unusable_password()
        user.full_clean()
        user.save()
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user
