import pytest
from django.urls import reverse

from tillit.core.models import HistoryEntry
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

from .factories import MembershipFactory, PersonFactory, TeamFactory, UnitFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("organisation:manage", {}),
    ("organisation:unit_create", {}),
    ("organisation:team_create", {}),
    ("organisation:person_create", {}),
    ("organisation:invitations", {}),
]


@pytest.fixture
def tree():
    top = UnitFactory(name="Exempelstad kommun", slug="exempelstad", kind=Unit.Kind.MUNICIPALITY)
    social = UnitFactory(name="Socialförvaltningen", slug="social", kind=Unit.Kind.ADMINISTRATION, parent=top)
    family = UnitFactory(name="Barn, unga och familj", slug="buf", parent=social)
    team = TeamFactory(name="Team Norr", slug="team-norr", unit=family, purpose="Närmare familjerna.")
    return {"top": top, "social": social, "family": family, "team": team}


@pytest.mark.parametrize("name", ["organisation:tree", "organisation:people"])
def test_organisation_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_tree_shows_every_level_and_the_teams(client, tree):
    client.force_login(PersonFactory())
    page = client.get(reverse("organisation:tree")).content.decode()
    for name in ("Exempelstad kommun", "Socialförvaltningen", "Barn, unga och familj", "Team Norr"):
        assert name in page
    assert page.index("Socialförvaltningen") < page.index("Barn, unga och familj") < page.index("Team Norr")


def test_the_team_page_shows_members_coaches_purpose_and_breadcrumbs(client, tree):
    team = tree["team"]
    members = [MembershipFactory(team=team, person=PersonFactory(full_name=f"Medlem {i}")) for i in range(6)]
    for i in range(2):
        MembershipFactory(team=team, person=PersonFactory(full_name=f"Coach {i}"), role=Membership.Role.COACH)
    client.force_login(members[0].person)
    response = client.get(reverse("organisation:team", args=["team-norr"]))
    page = response.content.decode()
    assert response.context["members"].__len__() == 6
    assert len(response.context["coaches"]) == 2
    assert "Närmare familjerna." in page
    assert [u.name for u in response.context["ancestors"]] == [
        "Exempelstad kommun",
        "Socialförvaltningen",
        "Barn, unga och familj",
    ]
    assert "Coach 1" in page and "Medlem 5" in page


def test_a_member_can_edit_the_purpose_but_not_move_the_team(client, tree):
    team = tree["team"]
    member = MembershipFactory(team=team).person
    client.force_login(member)
    response = client.post(
        reverse("organisation:team_edit", args=[team.slug]),
        {"purpose": "Vi finns för familjerna i norr.", "unit": tree["social"].pk},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.purpose == "Vi finns för familjerna i norr."
    assert team.unit == tree["family"]
    outsider = PersonFactory()
    client.force_login(outsider)
    assert client.get(reverse("organisation:team_edit", args=[team.slug])).status_code == 403


def test_a_purpose_with_an_identity_number_is_refused_and_the_text_kept(client, tree):
    team = tree["team"]
    client.force_login(MembershipFactory(team=team).person)
    text = "Vi hjälper familjen till 811218-9876 och andra."
    response = client.post(reverse("organisation:team_edit", args=[team.slug]), {"purpose": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "811218-9876" in response.context["form"].errors["purpose"][0]
    assert text in page
    team.refresh_from_db()
    assert team.purpose == "Närmare familjerna."


def test_people_search_and_person_page(client, tree):
    person = PersonFactory(full_name="Åsa Öberg", title="Undersköterska")
    MembershipFactory(team=tree["team"], person=person)
    PersonFactory(full_name="Bertil Berg")
    client.force_login(person)
    page = client.get(reverse("organisation:people"), {"q": "öberg"}).content.decode()
    assert "Åsa Öberg" in page and "Bertil Berg" not in page
    page = client.get(reverse("organisation:person", args=[person.pk])).content.decode()
    assert "Undersköterska" in page and "Team Norr" in page


def test_deactivated_people_are_hidden_from_others(client, tree):
    gone = PersonFactory(full_name="Slutat Person", is_active=False)
    client.force_login(PersonFactory())
    assert client.get(reverse("organisation:person", args=[gone.pk])).status_code == 404
    assert "Slutat Person" not in client.get(reverse("organisation:people")).content.decode()


@pytest.mark.parametrize(("name", "kwargs"), ADMIN_PAGES)
def test_administration_is_for_administrators(client, tree, administrator, name, kwargs):
    client.force_login(MembershipFactory(team=tree["team"], role=Membership.Role.COACH).person)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    client.force_login(administrator)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_administrator_builds_the_tree(client, tree, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("organisation:unit_create"),
        {"name": "Hemtjänst", "kind": "unit", "parent": tree["social"].pk, "description": ""},
    )
    unit = Unit.objects.get(name="Hemtjänst")
    assert response["Location"] == unit.get_absolute_url()
    response = client.post(
        reverse("organisation:team_create"), {"name": "Hemtjänst Centrum", "unit": unit.pk, "purpose": ""}
    )
    team = Team.objects.get(name="Hemtjänst Centrum")
    assert response["Location"] == reverse("organisation:team_members", args=[team.slug])
    person = PersonFactory(email="maria@exempel.test")
    client.post(
        reverse("organisation:team_members", args=[team.slug]),
        {"person": "MARIA@exempel.test", "role": "coach"},
    )
    assert Membership.objects.get(team=team, person=person).role == "coach"
    actions = set(HistoryEntry.objects.values_list("action", flat=True))
    assert {"unit.created", "team.created", "team.member_added"} <= actions


def test_unknown_email_gets_a_clear_message(client, tree, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("organisation:team_members", args=[tree["team"].slug]),
        {"person": "ingen@exempel.test", "role": "member"},
    )
    assert response.status_code == 200
    assert "ingen@exempel.test" in response.context["form"].errors["person"][0]


def test_moving_a_unit_under_its_own_child_is_explained(client, tree, administrator):
    client.force_login(administrator)
    social = tree["social"]
    response = client.post(
        reverse("organisation:unit_edit", args=[social.slug]),
        {"name": social.name, "kind": social.kind, "parent": tree["family"].pk, "description": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    social.refresh_from_db()
    assert social.parent == tree["top"]


def test_roles_and_deactivation_from_the_person_page(client, tree, administrator):
    person = PersonFactory()
    client.force_login(administrator)
    url = reverse("organisation:person_roles", args=[person.pk])
    client.post(url, {"role-role": "facilitator", "role-unit": tree["social"].pk})
    assignment = RoleAssignment.objects.get(person=person)
    assert assignment.unit == tree["social"]
    client.post(url, {"revoke": assignment.pk})
    assert not RoleAssignment.objects.filter(person=person).exists()
    client.post(reverse("organisation:person_active", args=[person.pk]), {"active": "0"})
    person.refresh_from_db()
    assert not person.is_active


def test_live_search_answers_htmx_with_only_the_results(client, tree):
    PersonFactory(full_name="Åsa Öberg")
    client.force_login(PersonFactory(full_name="Sökaren"))
    response = client.get(reverse("organisation:people"), {"q": "åsa"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Åsa Öberg" in page
    assert "<html" not in page and 'id="people-results"' not in page
    assert '<p id="people-count" hx-swap-oob="innerHTML">1 person</p>' in page
    full = client.get(reverse("organisation:people"), {"q": "åsa"}).content.decode()
    assert "<html" in full and 'id="people-results"' in full and "Åsa Öberg" in full


def test_a_large_tree_lists_units_with_team_counts_and_leaves_teams_to_unit_pages(client, tree):
    from tillit.organisation.selectors import TEAMS_INLINE_LIMIT

    Team.objects.bulk_create(
        Team(name=f"Lag {i}", slug=f"lag-{i}", unit=tree["family"]) for i in range(TEAMS_INLINE_LIMIT)
    )
    client.force_login(PersonFactory())
    page = client.get(reverse("organisation:tree")).content.decode()
    assert f"{TEAMS_INLINE_LIMIT + 1} team" in page  # Swedish: “151 team”
    assert "Lag 7" not in page and "Team Norr" not in page
    unit_page = client.get(reverse("organisation:unit", args=["buf"])).content.decode()
    assert "Lag 7" in unit_page and "Team Norr" in unit_page
