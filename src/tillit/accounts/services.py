"""Accounts: invitations, and tokens for integrations. Every change writes history."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import ApiToken, Invitation, User
from tillit.core.history import label_actions, record
from tillit.organisation.models import Membership, Team
from tillit.organisation.services import membership_add

label_actions(
    {
        "invitation.sent": gettext_lazy("Invitation sent"),
        "invitation.accepted": gettext_lazy("Invitation accepted"),
        "invitation.revoked": gettext_lazy("Invitation withdrawn"),
        "api_token.created": gettext_lazy("API token created"),
        "api_token.revoked": gettext_lazy("API token revoked"),
    }
)


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    team: Team | None = None,
    team_role: str = "",
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and its one-time token (sent only by e-mail)."""
    email = User.objects.normalize_email(email).lower()
    if _account_holders(email).exists():
        raise ValidationError({"email": _("Someone with this e-mail address already has an account.")})
    if team is not None and team_role not in Membership.Role.values:
        team_role = Membership.Role.MEMBER
    # Only the newest invitation to an address works, so an old link in someone's inbox cannot be used.
    for earlier in Invitation.objects.open().filter(email__iexact=email):
        invitation_revoke(actor=actor, invitation=earlier)
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        email=email,
        full_name=full_name,
        token_hash=token_hash,
        invited_by=actor,
        team=team,
        team_role=team_role if team else "",
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record(actor=actor, obj=invitation, action="invitation.sent", changes={"email": email})
    link = base_url.rstrip("/") + reverse("accounts:invitation", args=[token])
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_VALID_DAYS}
    language = translation.get_language()

    def send() -> None:
        with translation.override(language):
            send_mail(
                subject=_("You are invited to Tillit"),
                message=render_to_string("accounts/email/invitation.txt", context),
                from_email=None,
                recipient_list=[email],
            )

    transaction.on_commit(send)
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token_hash=Invitation.hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=Invitation.hash_token(token)).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation link is no longer valid. Ask for a new invitation."))
    if _account_holders(invitation.email).exists():
        raise ValidationError(_("Someone with this e-mail address already has an account."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    created = user is None
    if user is None:
        user = User(email=invitation.email)
    before = user.full_name
    user.full_name = full_name
    user.set_password(password)
    user.full_clean()
    user.save()
    if (
        invitation.team is not None
        and not Membership.objects.filter(team=invitation.team, person=user).exists()
    ):
        membership_add(actor=user, team=invitation.team, person=user, role=invitation.team_role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record(actor=user, obj=invitation, action="invitation.accepted")
    if created:
        record(actor=user, obj=user, action="person.created", changes={"full_name": full_name})
    elif before != full_name:
        record(actor=user, obj=user, action="person.changed", changes={"full_name": [before, full_name]})
    return user


def _account_holders(email: str) -> QuerySet[User]:
    """People with this address who can log in or were deactivated. Someone an administrator added to the
    organisation, who has no password and has never logged in, has no account yet: an invitation gives one."""
    return User.objects.filter(email__iexact=email).exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX, last_login__isnull=True, is_active=True
    )


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(actor=actor, obj=invitation, action="invitation.revoked")
    return invitation


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the key is returned once and only its hash is kept."""
    key, key_hash = ApiToken.new_key()
    token = ApiToken(user=user, name=name, prefix=key[4:12], key_hash=key_hash)
    token.full_clean()
    token.save()
    record(actor=actor, obj=user, action="api_token.created", changes={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, obj=token.user, action="api_token.revoked", changes={"name": token.name})
    return token


def api_token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
