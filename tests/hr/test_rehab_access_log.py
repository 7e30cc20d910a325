"""A rehabilitation case page logs every view (who, when); the employee sees the log; refusals leave no trace;
the retention rule deletes closed cases that are old enough, and only those."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tillit.core.models import HistoryEntry
from tillit.hr import services
from tillit.hr.models import HrSettings, RehabAccess, RehabCase, RehabEntry

from .factories import World, rehab_case


def _view(client: Client, person: Any, case: RehabCase) -> Any:
    client.force_login(person)
    return client.get(case.get_absolute_url())


def test_views_by_the_manager_and_hr_are_logged_and_the_employee_sees_who_looked(world: World) -> None:
    case = rehab_case(world)
    client = Client()
    before = timezone.now()
    assert _view(client, world["manager_above"], case).status_code == 200
    assert _view(client, world["hr"], case).status_code == 200
    rows = list(RehabAccess.objects.filter(case=case).order_by("pk"))
    assert [row.person for row in rows] == [world["manager_above"], world["hr"]]
    assert all(before <= row.at <= timezone.now() for row in rows)

    page = _view(client, world["employee"], case).content.decode()
    assert "Mats Manager" in page
    assert "Leila HR" in page
    assert RehabAccess.objects.filter(case=case).count() == 3


def test_the_manager_does_not_see_the_access_log(world: World) -> None:
    case = rehab_case(world)
    client = Client()
    _view(client, world["hr"], case)
    page = _view(client, world["manager_above"], case).content.decode()
    assert "Leila HR" in page  # named as the HR contact
    assert 'aria-labelledby="log-title"' not in page


@pytest.mark.parametrize(
    "role", ["team_member", "coach", "other_manager", "other_hr", "administrator", "outsider", "colleague"]
)
def test_someone_outside_the_case_gets_404_and_leaves_no_log_row(world: World, role: str) -> None:
    case = rehab_case(world)
    assert _view(Client(), world[role], case).status_code == 404
    assert not RehabAccess.objects.filter(case=case).exists()


def test_logged_out_is_sent_to_log_in_and_leaves_no_log_row(world: World) -> None:
    case = rehab_case(world)
    response = Client().get(case.get_absolute_url())
    assert response.status_code == 302
    assert not RehabAccess.objects.exists()


def _closed(world: World, days_ago: int) -> RehabCase:
    case = rehab_case(world)
    services.rehab_add_entry(actor=world["hr"], case=case, kind=RehabEntry.Kind.NOTE, text="Samtal hölls.")
    services.rehab_log_view(case=case, person=world["hr"])
    services.rehab_close(actor=world["hr"], case=case)
    RehabCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=days_ago))
    return case


def test_retention_deletes_closed_old_cases_only(world: World) -> None:
    settings = HrSettings.load()
    settings.rehab_retention_months = 12
    settings.save()
    old = _closed(world, 400)
    recent = _closed(world, 300)
    still_open = rehab_case(world)
    RehabCase.objects.filter(pk=still_open.pk).update(opened_at=timezone.now() - datetime.timedelta(days=900))

    result = services.retention_run()

    assert result.rehab_cases == 1
    assert set(RehabCase.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not RehabEntry.objects.filter(case_id=old.pk).exists()
    assert not RehabAccess.objects.filter(case_id=old.pk).exists()
    erased = HistoryEntry.objects.get(action="rehab.erased")
    assert erased.object_id == str(old.pk)
    assert erased.changes == {}
    assert "Anna" not in erased.object_repr
