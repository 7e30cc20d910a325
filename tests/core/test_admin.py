import pytest
from django.urls import reverse

from tests.organisation.factories import MembershipFactory, PersonFactory
from tillit.core.history import record

pytestmark = pytest.mark.django_db

MODELS = [
    "core/historyentry",
    "core/accessibilityreport",
    "accounts/user",
    "accounts/invitation",
    "accounts/apitoken",
    "organisation/unit",
    "organisation/team",
    "organisation/roleassignment",
]


@pytest.mark.parametrize("model", MODELS)
def test_operators_can_browse_every_model(client, model):
    operator = PersonFactory(is_staff=True, is_superuser=True)
    membership = MembershipFactory()
    record(actor=operator, obj=membership.team, action="team.created")
    client.force_login(operator)
    assert client.get(f"/operator/{model}/").status_code == 200


def test_history_is_read_only_in_the_admin_too(client):
    operator = PersonFactory(is_staff=True, is_superuser=True)
    entry = record(actor=operator, obj=MembershipFactory().team, action="team.created")
    client.force_login(operator)
    assert client.get(reverse("admin:core_historyentry_delete", args=[entry.pk])).status_code == 403
    assert client.get(reverse("admin:core_historyentry_add")).status_code == 403


def test_people_without_operator_status_cannot_use_the_admin(client):
    client.force_login(PersonFactory())
    response = client.get("/operator/")
    assert response.status_code == 302
