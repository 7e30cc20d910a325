from typing import Any

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture(autouse=True)
def _english(client: Client) -> Any:
    """The pages are checked in English (the language switch's choice), whatever Swedish wording they get."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
