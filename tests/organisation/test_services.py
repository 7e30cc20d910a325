import pytest
from django.core.exceptions import ValidationError

from tillit.core.models import HistoryEntry
from tillit.organisation import services
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

from .factories import PersonFactory, RoleAssignmentFactory, TeamFactory, UnitFactory

pytestmark = pytest.mark.django_db


def history_of(obj: object) -> list[str]:
    return list(HistoryEntry.objects.for_object(obj).values_list("action", flat=True))  # type: ignore[arg-type]


def test_units_form_a_tree_of_any_depth_with_history(administrator):
    top = services.unit_create(
        actor=administrator, name="Exempelstad kommun", kind="municipality", parent=None
    )
    parent = top
    for depth in range(6):
        parent = services.unit_create(actor=administrator, name=f"Nivå {depth}", kind="unit", parent=parent)
    assert parent.parent.parent.name == "Nivå 3"
    entry = HistoryEntry.objects.for_object(parent).get()
    assert entry.action == "unit.created"
    assert entry.actor == administrator
    assert entry.changes["name"] == "Nivå 5"


def test_slugs_are_unique_and_readable(administrator):
    unit = UnitFactory()
    first = services.team_create(actor=administrator, name="Hemtjänst Öster", unit=unit)
    second = services.team_create(actor=administrator, name="Hemtjänst Öster", unit=unit)
    assert first.slug == "hemtjanst-oster"
    assert second.slug == "hemtjanst-oster-2"


def test_there_is_only_one_municipality(administrator):
    services.unit_create(actor=administrator, name="Exempelstad", kind="municipality", parent=None)
    with pytest.raises(ValidationError):
        services.unit_create(actor=administrator, name="Annanstad", kind="municipality", parent=None)
    assert Unit.objects.count() == 1


def test_a_unit_needs_a_parent_and_cannot_be_moved_under_itself(administrator):
    top = services.unit_create(actor=administrator, name="Kommunen", kind="municipality", parent=None)
    with pytest.raises(ValidationError) as error:
        services.unit_create(actor=administrator, name="Föräldralös", kind="unit", parent=None)
    assert "parent" in error.value.message_dict
    a = services.unit_create(actor=administrator, name="A", kind="administration", parent=top)
    b = services.unit_create(actor=administrator, name="B", kind="unit", parent=a)
    c = services.unit_create(actor=administrator, name="C", kind="unit", parent=b)
    for new_parent in (a, c):
        with pytest.raises(ValidationError):
            services.unit_update(actor=administrator, unit=a, parent=new_parent)
    a.refresh_from_db()
    assert a.parent == top


def test_changes_record_only_what_changed(administrator):
    team = TeamFactory(name="Team Norr", purpose="Gammalt syfte")
    services.team_update(actor=administrator, team=team, name="Team Norr", purpose="Nytt syfte")
    entry = HistoryEntry.objects.for_object(team).get(action="team.changed")
    assert entry.changes == {"purpose": ["Gammalt syfte", "Nytt syfte"]}
    services.team_update(actor=administrator, team=team, purpose="Nytt syfte")
    assert history_of(team).count("team.changed") == 1


def test_identity_numbers_are_refused_and_nothing_is_saved(administrator):
    team = TeamFactory(purpose="Före")
    with pytest.raises(ValidationError) as error:
        services.team_update(actor=administrator, team=team, purpose="Klient 19811218-9876 behöver stöd")
    assert "19811218-9876" in str(error.value)
    team.refresh_from_db()
    assert team.purpose == "Före"
    assert history_of(team) == []


def test_a_unit_with_content_cannot_be_removed(administrator):
    unit = UnitFactory()
    TeamFactory(unit=unit)
    with pytest.raises(ValidationError):
        services.unit_remove(actor=administrator, unit=unit)
    empty = UnitFactory()
    services.unit_remove(actor=administrator, unit=empty)
    assert not Unit.objects.filter(pk=empty.pk).exists()
    assert HistoryEntry.objects.filter(action="unit.removed", object_repr=empty.name).exists()


def test_membership_lifecycle_is_recorded_on_the_team(administrator):
    team = TeamFactory()
    person = PersonFactory(full_name="Sara Nyström")
    membership = services.membership_add(actor=administrator, team=team, person=person)
    with pytest.raises(ValidationError):
        services.membership_add(actor=administrator, team=team, person=person)
    services.membership_change_role(actor=administrator, membership=membership, role=Membership.Role.COACH)
    services.membership_remove(actor=administrator, membership=membership)
    assert not Membership.objects.filter(team=team).exists()
    assert history_of(team) == ["team.member_removed", "team.member_role_changed", "team.member_added"]
    change = HistoryEntry.objects.for_object(team).get(action="team.member_role_changed")
    assert change.changes == {"person": "Sara Nyström", "role": ["member", "coach"]}


def test_people_are_created_without_a_usable_password_and_emails_are_unique(administrator):
    person = services.person_create(actor=administrator, email="Ny.Person@Exempel.se", full_name="Ny Person")
    assert person.email == "ny.person@exempel.se"
    assert not person.has_usable_password()
    with pytest.raises(ValidationError):
        services.person_create(actor=administrator, email="ny.person@exempel.se", full_name="Dubblett")


def test_deactivation_keeps_the_person_and_cannot_target_oneself(administrator):
    person = PersonFactory()
    services.person_set_active(actor=administrator, person=person, active=False)
    person.refresh_from_db()
    assert not person.is_active
    with pytest.raises(ValidationError):
        services.person_set_active(actor=administrator, person=administrator, active=False)
    assert history_of(person) == ["person.deactivated"]


def test_roles_are_unique_per_scope_and_the_last_administrator_stays(administrator):
    person = PersonFactory()
    unit = UnitFactory()
    services.role_assign(actor=administrator, person=person, role=RoleAssignment.Role.FACILITATOR)
    services.role_assign(actor=administrator, person=person, role=RoleAssignment.Role.FACILITATOR, unit=unit)
    with pytest.raises(ValidationError):
        services.role_assign(actor=administrator, person=person, role=RoleAssignment.Role.FACILITATOR)
    only_admin = RoleAssignment.objects.get(person=administrator)
    with pytest.raises(ValidationError):
        services.role_revoke(actor=administrator, assignment=only_admin)
    RoleAssignmentFactory(person=person, role=RoleAssignment.Role.ADMINISTRATOR)
    services.role_revoke(actor=administrator, assignment=only_admin)
    assert not RoleAssignment.objects.filter(person=administrator).exists()


def test_team_purpose_is_guarded_through_the_model_field(administrator):
    team = Team(name="Team", slug="team", unit=UnitFactory(), purpose="Ring 811218-9876")
    with pytest.raises(ValidationError) as error:
        team.full_clean()
    assert "purpose" in error.value.message_dict
