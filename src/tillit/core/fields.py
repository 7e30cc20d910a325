"""Text fields that carry the sensitive-data guard, so every free text in Tillit is checked in one place."""

from typing import Any

from django.db import models

from tillit.core.sensitive import validate_no_identity_numbers


class _GuardedMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        validators = list(kwargs.pop("validators", []))
        if validate_no_identity_numbers not in validators:
            validators.append(validate_no_identity_numbers)
        super().__init__(*args, validators=validators, **kwargs)  # type: ignore[call-arg]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        kwargs.pop("validators", None)
        return name, path, args, kwargs


class FreeTextField(_GuardedMixin, models.TextField):  # type: ignore[type-arg]
    """A multi-line free text that may never hold a personal identity number."""


class FreeCharField(_GuardedMixin, models.CharField):  # type: ignore[type-arg]
    """A one-line free text that may never hold a personal identity number."""
