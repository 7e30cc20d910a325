from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings: Any) -> Any:
    """Each test starts with an empty cache and no login lock-outs left by another test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrator(db: None) -> Any:
    from tests.organisation.factories import PersonFactory, RoleAssignmentFactory

    person = PersonFactory(full_name="Ada Admin")
    RoleAssignmentFactory(person=person, role="administrator")
    return person
