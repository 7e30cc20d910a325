"""Telling people: in Tillit and by e-mail, as each has chosen, once per subject, after the change is saved."""

import logging
import smtplib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.notifications.models import Kind, Notification, Setting

logger = logging.getLogger(__name__)

# Off while demo data is loaded: the notifications are made, but no one is e-mailed.
_emails_on: ContextVar[bool] = ContextVar("notification_emails_on", default=True)


def emails_enabled() -> bool:
    """Whether e-mails go out now (not while demo data is loaded)."""
    return _emails_on.get()


@contextmanager
def without_email() -> Iterator[None]:
    token = _emails_on.set(False)
    try:
        yield
    finally:
        _emails_on.reset(token)


def notify(people: Iterable[Any], kind: str, text: str, url: str, key: str) -> None:
    """Tells each person (once per ``key``), after the transaction that caused it has committed."""
    recipients = {person.pk: person for person in people if person is not None and person.is_active}
    if recipients:
        email = _emails_on.get()
        transaction.on_commit(lambda: _deliver(list(recipients.values()), kind, text, url, key, email))


def _deliver(people: list[Any], kind: str, text: str, url: str, key: str, email: bool = True) -> None:
    chosen = {s.person_id: s for s in Setting.objects.filter(person__in=people, kind=kind)}
    already = set(Notification.objects.filter(person__in=people, key=key).values_list("person_id", flat=True))
    for person in people:
        if person.pk in already:
            continue
        setting = chosen.get(person.pk)
        if setting is None or setting.in_app:
            Notification.objects.create(person=person, kind=kind, text=text[:300], url=url, key=key)
        elif setting is not None and not setting.email:
            continue
        else:  # e-mail only: remember that it was sent, read
            Notification.objects.create(
                person=person, kind=kind, text=text[:300], url=url, key=key, read_at=timezone.now()
            )
        if email and (setting is None or setting.email) and person.email:
            _send(person.email, text, url)


def _send(address: str, text: str, url: str) -> None:
    """An e-mail that cannot be sent is logged; the notification in Tillit is there all the same."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "%(text)s\n\nOpen it in Tillit: %(url)s\n\nChoose what Tillit tells you: %(settings)s"
        ) % {
            "text": text,
            "url": settings.SITE_URL + url,
            "settings": settings.SITE_URL + "/notiser/",
        }
        try:
            send_mail(f"Tillit: {text[:120]}", message, None, [address])
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send a notification e-mail")


def settings_for(person: Any) -> list[tuple[str, str, bool, bool]]:
    """Every kind with the person's choice: (kind, label, in Tillit, by e-mail)."""
    chosen = {s.kind: s for s in Setting.objects.filter(person=person)}
    return [
        (
            kind,
            str(label),
            chosen[kind].in_app if kind in chosen else True,
            chosen[kind].email if kind in chosen else True,
        )
        for kind, label in Kind.choices
    ]


@transaction.atomic
def settings_save(*, person: Any, choices: dict[str, tuple[bool, bool]]) -> None:
    for kind, (in_app, email) in choices.items():
        Setting.objects.update_or_create(
            person=person, kind=kind, defaults={"in_app": in_app, "email": email}
        )


def mark_read(*, person: Any) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(read_at=timezone.now())
