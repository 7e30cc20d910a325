import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField
from tillit.core.tokens import hash_token


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person in the municipality. People log in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = FreeCharField(_("name"), max_length=200)
    title = FreeCharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May use the operators' admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    search_text = models.CharField(max_length=700, editable=False, default="", db_index=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return str(self.full_name or self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # SQLite folds only ASCII case, so “öberg” would not find “Öberg”: keep a case-folded copy to search.
        self.search_text = " ".join((self.full_name, self.email, self.title)).casefold()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "email", "title"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return str(self.full_name)

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_absolute_url(self) -> str:
        return reverse("organisation:person", args=[self.pk])


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An expiring link that lets someone create their account. Only a hash of the token is stored."""

    email = models.EmailField(_("e-mail address"))
    full_name = FreeCharField(_("name"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("team")
    )
    team_role = models.CharField(_("role in the team"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return hash_token(token)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A token for an integration to call the JSON API as a person. Only a hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = FreeCharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> tuple[str, str]:
        key = "tlt_" + secrets.token_urlsafe(32)
        return key, hash_token(key)

    @staticmethod
    def hash_key(key: str) -> str:
        return hash_token(key)
