"""The inventory of rules and reporting requirements: registering, proposing to remove or simplify through the
teams' decision process, the totals (per team, per origin, self-imposed share, hours freed), who may do what,
the pages and the CSV export."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory, UnitFactory
from tillit.core.models import HistoryEntry
from tillit.decisions import services as decisions
from tillit.decisions.models import Proposal, Response
from tillit.followup import inventory
from tillit.followup import inventory_selectors as selectors
from tillit.followup.models import Requirement
from tillit.organisation.models import Membership, RoleAssignment, Unit

pytestmark = pytest.mark.django_db

Origin, Kind, Status = Requirement.Origin, Requirement.Kind, Requirement.Status


@pytest.fixture(autouse=True)
def english() -> Any:
    """The services' messages are asserted in English. The pages and the CSV export are not affected: a request
    is answered in its own language, here the site's (Swedish), so they are asserted in Swedish."""
    with translation.override("en"):
        yield


def with_role(role: str, **fields: Any) -> Any:
    person = PersonFactory.create(**fields)
    RoleAssignment.objects.create(person=person, role=role)
    return person


@pytest.fixture
def world() -> dict[str, Any]:
    """An administration with a unit below it and a team in that unit (with two members and a coach), and a team
    elsewhere."""
    administration = UnitFactory.create(name="Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION)
    unit = UnitFactory.create(name="Barn, unga och familj", parent=administration)
    team = TeamFactory.create(name="Team Norr", unit=unit)
    elsewhere = TeamFactory.create(name="Team Skola", unit=UnitFactory.create(name="Skolan"))
    anna = MembershipFactory.create(team=team, person__full_name="Anna Lindqvist").person
    bo = MembershipFactory.create(team=team, person__full_name="Bo Berg").person
    coach = MembershipFactory.create(
        team=team, role=Membership.Role.COACH, person__full_name="Karin Coach"
    ).person
    outsider = MembershipFactory.create(team=elsewhere).person
    return {
        "administration": administration,
        "unit": unit,
        "team": team,
        "elsewhere": elsewhere,
        "anna": anna,
        "bo": bo,
        "coach": coach,
        "outsider": outsider,
        "lead": with_role(RoleAssignment.Role.DEVELOPMENT_LEAD, full_name="Kristina Holmér"),
    }


def item(actor: Any, *, team: Any = None, unit: Any = None, **fields: Any) -> Requirement:
    values: dict[str, Any] = {
        "title": "Veckovis tidrapport i två system",
        "kind": Kind.REPORTING,
        "origin": Origin.UNIT,
        "asked_by": "Enhetschefen",
        "times_per_year": Decimal(52),
        "minutes_each_time": 90,
        "usefulness": 1,
    }
    values.update(fields)
    return inventory.requirement_register(actor=actor, team=team, unit=unit, **values)


def in_a_week() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=7)


def propose(requirement: Requirement, actor: Any, team: Any, **fields: Any) -> Proposal:
    values: dict[str, Any] = {
        "change": Requirement.Change.REMOVE,
        "reason": "Ingen använder siffrorna.",
        "in_team": team,
        "deadline": in_a_week(),
    }
    values.update(fields)
    return inventory.requirement_propose_change(actor=actor, requirement=requirement, **values)


def messages_of(error: Any) -> str:
    return " ".join(error.value.messages)


def fresh(requirement: Requirement) -> Requirement:
    return Requirement.objects.get(pk=requirement.pk)


def actions(requirement: Requirement) -> list[str]:
    return list(
        HistoryEntry.objects.filter(content_type__model="requirement", object_id=str(requirement.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# Registering and changing.


def test_an_item_belongs_to_one_team_or_one_unit_never_both_or_neither(world: dict[str, Any]) -> None:
    for holder in ({}, {"team": world["team"], "unit": world["unit"]}):
        with pytest.raises(ValidationError) as error:
            item(world["anna"], **holder)
        assert "one team, or one unit" in messages_of(error)
    assert not Requirement.objects.exists()
    assert item(world["anna"], team=world["team"]).team == world["team"]
    assert item(world["lead"], unit=world["administration"]).unit == world["administration"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("times_per_year", Decimal(0), "more than zero"),
        ("times_per_year", Decimal(-2), "more than zero"),
        ("minutes_each_time", 0, "at least 1"),
        ("usefulness", 0, "from 1 (not at all) to 5"),
        ("usefulness", 6, "from 1 (not at all) to 5"),
    ],
)
def test_register_refuses_impossible_figures_with_a_clear_message(
    world: dict[str, Any], field: str, value: Any, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        item(world["anna"], team=world["team"], **{field: value})
    assert field in error.value.message_dict
    assert message in messages_of(error)
    assert not Requirement.objects.exists()


def test_registering_and_changing_writes_history(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"], owner=world["coach"])
    entry = HistoryEntry.objects.get(action="requirement.registered", object_id=str(registered.pk))
    assert entry.actor == world["anna"]
    assert entry.changes["title"] == "Veckovis tidrapport i två system"
    assert entry.changes["team"] == "Team Norr"
    assert registered.created_by == world["anna"]
    inventory.requirement_update(
        actor=world["coach"], requirement=registered, usefulness=2, minutes_each_time=60
    )
    entry = HistoryEntry.objects.get(action="requirement.changed", object_id=str(registered.pk))
    assert entry.changes == {"usefulness": [1, 2], "minutes_each_time": [90, 60]}
    # Saving without a change writes nothing.
    inventory.requirement_update(actor=world["coach"], requirement=registered, usefulness=2)
    assert actions(registered) == ["requirement.registered", "requirement.changed"]
    with pytest.raises(TypeError):
        inventory.requirement_update(actor=world["coach"], requirement=registered, status=Status.REMOVED)


# Proposing a change, and what the decision does.


def test_a_proposal_to_remove_is_an_advice_process_with_the_owner_asked(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"], owner=world["coach"])
    proposal = propose(registered, world["anna"], world["team"])
    assert proposal.team == world["team"]
    assert proposal.process == Proposal.Process.ADVICE
    assert list(proposal.advisers.all()) == [world["coach"]]
    assert proposal.title == "Remove: Veckovis tidrapport i två system"
    assert "Ingen använder siffrorna." in proposal.background
    assert "78 hours a year" in proposal.background  # 52 × 90 minutes
    assert registered.get_absolute_url() in proposal.background
    registered = fresh(registered)
    assert registered.status == Status.PROPOSED
    assert registered.change == Requirement.Change.REMOVE
    assert registered.proposal == proposal
    assert actions(registered)[-1] == "requirement.change_proposed"
    # The owner may advise; the proposer decides after seeking advice, as in the teams' advice process.
    decisions.proposal_respond(
        actor=world["coach"], proposal=proposal, position=Response.Position.ADVICE, reason="Ta bort den."
    )
    people, _capacity = decisions.deciders(proposal)
    assert people == [world["anna"]]


def test_a_decided_removal_frees_the_hours(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"], owner=world["coach"])
    proposal = propose(registered, world["anna"], world["team"])
    decided_on = timezone.localdate() - datetime.timedelta(days=3)
    decision = decisions.proposal_decide(
        actor=world["anna"], proposal=proposal, outcome="Vi tar bort den.", decided_on=decided_on
    )
    registered = fresh(registered)
    assert registered.status == Status.REMOVED
    assert registered.changed_on == decided_on
    assert registered.minutes_before_change == 90
    assert registered.hours_per_year == 0
    assert registered.hours_freed == Decimal(78)
    entry = HistoryEntry.objects.get(action="requirement.removed", object_id=str(registered.pk))
    assert entry.changes["decision"] == decision.reference
    assert entry.changes["status"] == [Status.PROPOSED, Status.REMOVED]
    with pytest.raises(ValidationError) as error:
        propose(registered, world["anna"], world["team"])
    assert "already been removed" in messages_of(error)


def test_a_decided_simplification_takes_the_new_minutes(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    proposal = propose(
        registered, world["bo"], world["team"], change=Requirement.Change.SIMPLIFY, proposed_minutes=30
    )
    assert proposal.title.startswith("Simplify: ")
    assert "52 hours a year freed" in proposal.background  # 52 × (90 − 30) minutes
    decisions.proposal_decide(actor=world["bo"], proposal=proposal, outcome="En rapport i ett system.")
    registered = fresh(registered)
    assert registered.status == Status.SIMPLIFIED
    assert (registered.minutes_each_time, registered.minutes_before_change) == (30, 90)
    assert registered.changed_on == timezone.localdate()
    assert registered.hours_per_year == Decimal(26)
    assert registered.hours_freed == Decimal(52)
    assert actions(registered)[-1] == "requirement.simplified"
    # Simplified again, then removed: the hours freed count from the first time before.
    again = propose(
        registered, world["bo"], world["team"], change=Requirement.Change.SIMPLIFY, proposed_minutes=15
    )
    decisions.proposal_decide(actor=world["bo"], proposal=again, outcome="Ännu enklare.")
    registered = fresh(registered)
    assert (registered.minutes_each_time, registered.minutes_before_change) == (15, 90)
    assert registered.hours_freed == Decimal(65)


def test_a_withdrawn_proposal_leaves_the_item_in_force(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    proposal = propose(registered, world["anna"], world["team"])
    decisions.proposal_withdraw(actor=world["anna"], proposal=proposal)
    registered = fresh(registered)
    assert registered.status == Status.ACTIVE
    assert registered.change == ""
    assert registered.proposed_minutes is None
    assert registered.minutes_before_change is None and registered.hours_freed == 0
    assert registered.hours_per_year == Decimal(78)
    assert actions(registered)[-1] == "requirement.kept"
    # It may be proposed again.
    assert propose(registered, world["anna"], world["team"]).pk != proposal.pk


def test_a_simplified_item_whose_next_proposal_is_withdrawn_stays_simplified(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    first = propose(
        registered, world["anna"], world["team"], change=Requirement.Change.SIMPLIFY, proposed_minutes=30
    )
    decisions.proposal_decide(actor=world["anna"], proposal=first, outcome="Enklare.")
    second = propose(fresh(registered), world["anna"], world["team"])
    decisions.proposal_withdraw(actor=world["anna"], proposal=second)
    registered = fresh(registered)
    assert registered.status == Status.SIMPLIFIED
    assert registered.hours_freed == Decimal(52)


def test_a_proposal_for_one_item_leaves_other_proposals_alone(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    propose(registered, world["anna"], world["team"])
    other = decisions.proposal_create(
        actor=world["anna"],
        team=world["team"],
        title="Gemensam lunch",
        background="En gång i veckan.",
        process=Proposal.Process.CONSENT,
        deadline=in_a_week(),
    )
    decisions.proposal_decide(actor=world["anna"], proposal=other, outcome="Onsdagar.")
    assert fresh(registered).status == Status.PROPOSED


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (None, "how many minutes it would take"),
        (90, "fewer minutes than today's 90"),
        (120, "fewer minutes than today's 90"),
        (0, "fewer minutes than today's 90"),
    ],
)
def test_a_simplification_needs_fewer_minutes(world: dict[str, Any], minutes: Any, message: str) -> None:
    registered = item(world["anna"], team=world["team"])
    with pytest.raises(ValidationError) as error:
        propose(
            registered,
            world["anna"],
            world["team"],
            change=Requirement.Change.SIMPLIFY,
            proposed_minutes=minutes,
        )
    assert message in error.value.message_dict["proposed_minutes"][0]
    assert not Proposal.objects.exists()
    assert fresh(registered).status == Status.ACTIVE


def test_a_proposal_needs_a_reason_and_a_change(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    with pytest.raises(ValidationError) as error:
        propose(registered, world["anna"], world["team"], change="forget", reason="  ")
    assert set(error.value.message_dict) == {"change", "reason"}
    assert not Proposal.objects.exists()


def test_a_change_is_proposed_in_a_team_that_works_under_the_item(world: dict[str, Any]) -> None:
    team_item = item(world["anna"], team=world["team"])
    unit_item = item(world["lead"], unit=world["administration"], origin=Origin.ADMINISTRATION)
    outsider, elsewhere = world["outsider"], world["elsewhere"]
    with pytest.raises(ValidationError) as error:
        propose(team_item, outsider, elsewhere)
    assert "propose it in Team Norr" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        propose(unit_item, outsider, elsewhere)
    assert "a team in Socialförvaltningen" in messages_of(error)
    # A coach is not a member: proposals in a team are its members'.
    with pytest.raises(ValidationError) as error:
        propose(team_item, world["coach"], world["team"])
    assert "Only the team's members" in messages_of(error)
    assert not Proposal.objects.exists()
    # A team two levels below the administration works under the administration's item.
    proposal = propose(unit_item, world["anna"], world["team"])
    assert list(proposal.advisers.all()) == []  # no owner named
    with pytest.raises(ValidationError) as error:
        propose(fresh(unit_item), world["bo"], world["team"])
    assert "already proposed" in messages_of(error)
    assert selectors.proposing_teams(user=world["outsider"], requirement=unit_item) == []
    assert selectors.proposing_teams(user=world["bo"], requirement=unit_item) == [world["team"]]
    assert selectors.proposing_teams(user=world["coach"], requirement=team_item) == []


def test_the_time_is_fixed_once_a_change_is_proposed(world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    propose(registered, world["anna"], world["team"])
    with pytest.raises(ValidationError) as error:
        inventory.requirement_update(actor=world["anna"], requirement=registered, minutes_each_time=10)
    assert "hours freed are counted from" in error.value.message_dict["minutes_each_time"][0]
    # Everything else may still be corrected.
    inventory.requirement_update(
        actor=world["anna"], requirement=registered, used_by="Ingen", minutes_each_time=90
    )
    assert fresh(registered).used_by == "Ingen"


# Totals.


@pytest.fixture
def stocked(world: dict[str, Any]) -> dict[str, Any]:
    """Team Norr: the law's 100 h (useful), its own 78 h (useless) and its own 10 h, removed; the administration:
    its own 20 h and the committee's 20 h (its own is the less useful); the other team: the administration's 6 h."""
    anna, lead, team = world["anna"], world["lead"], world["team"]
    items = {
        "law": item(
            anna,
            team=team,
            title="Journal",
            origin=Origin.LAW,
            times_per_year=Decimal(100),
            minutes_each_time=60,
            usefulness=5,
        ),
        "double": item(anna, team=team),
        "removed": item(
            anna, team=team, title="Papperslista", times_per_year=Decimal(10), minutes_each_time=60
        ),
        "monthly": item(
            lead,
            unit=world["administration"],
            title="Månadsrapport",
            origin=Origin.ADMINISTRATION,
            times_per_year=Decimal(12),
            minutes_each_time=100,
            usefulness=2,
        ),
        "committee": item(
            lead,
            unit=world["administration"],
            title="Kvalitetsrapport",
            origin=Origin.POLITICAL,
            times_per_year=Decimal(2),
            minutes_each_time=600,
            usefulness=3,
        ),
        "school": item(
            world["outsider"],
            team=world["elsewhere"],
            title="Skolans rutin",
            origin=Origin.ADMINISTRATION,
            kind=Kind.RULE,
            times_per_year=Decimal(12),
            minutes_each_time=30,
            usefulness=4,
        ),
    }
    removal = propose(items["removed"], anna, team)
    decisions.proposal_decide(actor=anna, proposal=removal, outcome="Borttagen.")
    return {**world, **items}


def test_totals_per_origin_per_team_and_self_imposed_share(stocked: dict[str, Any]) -> None:
    requirements = list(selectors.requirement_list(user=stocked["anna"]))
    totals = selectors.totals(requirements)
    assert totals.count == 6 and totals.in_force == 5
    assert totals.hours == Decimal(224)  # 100 + 78 + 20 + 20 + 6
    assert totals.self_imposed_hours == Decimal(104)  # 78 + 20 + 6
    assert totals.self_imposed_percent == 46
    assert totals.hours_freed == Decimal(10)
    assert [t.title for t in totals.changed] == ["Papperslista"]
    assert {t.origin: (t.hours, t.count) for t in totals.by_origin} == {
        Origin.LAW: (Decimal(100), 1),
        Origin.POLITICAL: (Decimal(20), 1),
        Origin.ADMINISTRATION: (Decimal(26), 2),
        Origin.UNIT: (Decimal(78), 1),
    }
    holders = {(h.name, h.is_team): h for h in totals.by_holder}
    assert [h.name for h in totals.by_holder] == ["Team Norr", "Socialförvaltningen", "Team Skola"]
    norr = holders[("Team Norr", True)]
    assert norr.hours == Decimal(178)
    assert norr.origin_hours() == [Decimal(100), 0, 0, Decimal(78)]
    assert norr.self_imposed_percent == 44
    assert holders[("Socialförvaltningen", False)].self_imposed_percent == 50


def test_the_list_puts_the_most_costly_and_least_valued_first(stocked: dict[str, Any]) -> None:
    titles = [r.title for r in selectors.requirement_list(user=stocked["anna"])]
    # Månadsrapport and Kvalitetsrapport both take 20 hours: the less useful first. The removed one last.
    assert titles == [
        "Journal",
        "Veckovis tidrapport i två system",
        "Månadsrapport",
        "Kvalitetsrapport",
        "Skolans rutin",
        "Papperslista",
    ]


def test_the_filters(stocked: dict[str, Any]) -> None:
    def titles(**filters: Any) -> set[str]:
        chosen = selectors.InventoryFilter(**filters)
        return {r.title for r in selectors.requirement_list(user=stocked["anna"], filters=chosen)}

    norr = {"Journal", "Veckovis tidrapport i två system", "Papperslista"}
    assert titles(team=stocked["team"]) == norr
    # A unit takes in its own items and those of the units and teams below it.
    assert titles(unit=stocked["administration"]) == norr | {"Månadsrapport", "Kvalitetsrapport"}
    assert titles(unit=stocked["unit"]) == norr
    assert titles(origin=Origin.ADMINISTRATION) == {"Månadsrapport", "Skolans rutin"}
    assert titles(kind=Kind.RULE) == {"Skolans rutin"}
    assert titles(status=Status.REMOVED) == {"Papperslista"}
    assert titles(unit=stocked["administration"], origin=Origin.LAW) == {"Journal"}


def test_the_chart_draws_each_origin_in_proportion(stocked: dict[str, Any]) -> None:
    chart = selectors.origin_chart(selectors.totals(list(selectors.requirement_list(user=stocked["anna"]))))
    widths = {bar.label: bar.width for bar in chart.bars}
    assert len(chart.bars) == 4
    law, unit = widths["Law or ordinance"], widths["The unit or team itself"]
    assert law == max(widths.values())
    assert unit == pytest.approx(law * 0.78, abs=0.2)
    assert [bar.self_imposed for bar in chart.bars] == [False, False, True, True]
    assert selectors.origin_chart(selectors.totals([])).bars[0].width == 0


# Who may do what.

PERMS = ("register_requirement", "change_requirement")


@pytest.fixture
def people(world: dict[str, Any]) -> dict[str, Any]:
    inactive = MembershipFactory.create(team=world["team"]).person
    inactive.is_active = False
    inactive.save()
    return {
        "administrator": with_role(RoleAssignment.Role.ADMINISTRATOR),
        "facilitator": with_role(RoleAssignment.Role.FACILITATOR),
        "development_lead": world["lead"],
        "researcher": with_role(RoleAssignment.Role.RESEARCHER),
        "member_of_the_team": world["anna"],
        "coach_of_the_team": world["coach"],
        "member_of_another_team": world["outsider"],
        "employee_without_team": PersonFactory.create(),
        "inactive_member_of_the_team": inactive,
        "anonymous": AnonymousUser(),
    }


BOTH = {"register_requirement", "change_requirement"}
REGISTER = {"register_requirement"}
# Anyone with an account registers what they work under; a team's item is changed by its members and coaches, a
# unit's only above the teams.
TEAM_ITEM_GRID: dict[str, set[str]] = {
    "administrator": BOTH,
    "facilitator": BOTH,
    "development_lead": BOTH,
    "researcher": REGISTER,
    "member_of_the_team": BOTH,
    "coach_of_the_team": BOTH,
    "member_of_another_team": REGISTER,
    "employee_without_team": REGISTER,
    "inactive_member_of_the_team": set(),
    "anonymous": set(),
}
UNIT_ITEM_GRID = {
    **TEAM_ITEM_GRID,
    "member_of_the_team": REGISTER,
    "coach_of_the_team": REGISTER,
}


@pytest.mark.parametrize("holder", ["team", "unit"])
def test_rules_grid(world: dict[str, Any], people: dict[str, Any], holder: str) -> None:
    registered = (
        item(world["anna"], team=world["team"])
        if holder == "team"
        else item(world["lead"], unit=world["unit"])
    )
    registered = Requirement.objects.get(pk=registered.pk)
    grid = {
        role: {perm for perm in PERMS if person.has_perm(f"followup.{perm}", registered)}
        for role, person in people.items()
    }
    assert grid == (TEAM_ITEM_GRID if holder == "team" else UNIT_ITEM_GRID)


# The pages.


def page(response: Any) -> str:
    return str(response.content.decode())


def test_the_overview_shows_the_totals_the_chart_and_the_list(client: Any, stocked: dict[str, Any]) -> None:
    client.force_login(stocked["anna"])
    with translation.override("sv"):
        response = client.get(reverse("followup:inventory"))
    assert response.status_code == 200
    html = page(response)
    assert "<strong>224</strong>" in html
    assert "<strong>46 %</strong>" in html
    assert "<strong>10</strong>" in html  # hours freed
    assert 'role="img"' in html and "<desc id=" in html
    assert html.count("<caption") == 3
    assert html.index("Journal") < html.index("Månadsrapport") < html.index("Kvalitetsrapport")
    assert 'aria-current="page"' in html
    assert reverse("followup:requirement_create") in html


def test_the_overview_filters_and_exports_csv(client: Any, stocked: dict[str, Any]) -> None:
    client.force_login(stocked["anna"])
    response = client.get(reverse("followup:inventory"), {"team": stocked["team"].pk})
    html = page(response)
    assert "Månadsrapport" not in html and "<strong>178</strong>" in html
    response = client.get(
        reverse("followup:inventory"), {"unit": stocked["administration"].pk, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [
        "Journal",
        "Veckovis tidrapport i två system",
        "Månadsrapport",
        "Kvalitetsrapport",
        "Papperslista",
    ]
    header = rows[0]
    removed = dict(zip(header, rows[-1], strict=True))
    assert removed["Timmar per år"] == "0" and removed["Frigjorda timmar per år"] == "10"
    assert dict(zip(header, rows[2], strict=True))["Timmar per år"] == "78"


def test_the_overview_needs_a_login(client: Any) -> None:
    response = client.get(reverse("followup:inventory"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def overview_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("followup:inventory"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_overview_takes_the_same_number_of_queries_however_many_items(
    client: Any, stocked: dict[str, Any]
) -> None:
    client.force_login(stocked["anna"])
    before = overview_queries(client)
    for n in range(25):
        team = TeamFactory.create(unit=stocked["unit"])
        owner = PersonFactory.create()
        holder = {"team": team} if n % 2 else {"unit": UnitFactory.create(parent=stocked["administration"])}
        item(stocked["lead"], title=f"Rutin {n}", owner=owner, origin=Origin.values[n % 4], **holder)
    assert overview_queries(client) == before


def test_an_item_page_shows_facts_status_proposal_and_history(client: Any, stocked: dict[str, Any]) -> None:
    client.force_login(stocked["bo"])
    removed = stocked["removed"]
    response = client.get(removed.get_absolute_url())
    html = page(response)
    assert response.status_code == 200
    assert "Papperslista" in html
    assert fresh(removed).proposal.get_absolute_url() in html
    assert "/beslut/" in html  # the decision
    assert "Borttaget genom beslut" in html
    # The administration's item: Bo works under it, so he may propose a change, but may not edit it.
    response = client.get(stocked["monthly"].get_absolute_url())
    html = page(response)
    assert reverse("followup:requirement_propose", args=[stocked["monthly"].pk]) in html
    assert reverse("followup:requirement_edit", args=[stocked["monthly"].pk]) not in html


def register_data(team: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "belongs_to": f"team:{team.pk}",
        "title": "Dubbel dokumentation",
        "kind": Kind.RULE,
        "origin": Origin.UNIT,
        "asked_by": "Enhetschefen",
        "times_per_year": "52",
        "minutes_each_time": "30",
        "usefulness": "2",
    }
    data.update(changes)
    return data


def test_registering_through_the_form(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["anna"])
    url = reverse("followup:requirement_create")
    response = client.get(url)
    assert response.status_code == 200
    assert "Team Norr" in page(response) and "Team Skola" not in page(response)
    response = client.post(url, register_data(world["team"], times_per_year="0", usefulness=""))
    assert response.status_code == 400
    html = page(response)
    assert "Dubbel dokumentation" in html  # nothing typed is lost
    assert "mer än noll" in html and "från 1 (inte alls) till 5" in html
    assert not Requirement.objects.exists()
    # Not a team of Anna's, nor a unit: refused, nothing saved.
    response = client.post(url, register_data(world["elsewhere"]))
    assert response.status_code == 400
    response = client.post(url, register_data(world["team"], belongs_to=f"unit:{world['unit'].pk}"))
    assert response.status_code == 400
    assert not Requirement.objects.exists()
    response = client.post(url, register_data(world["team"], times_per_year="0,5"))  # as Swedish is written
    registered = Requirement.objects.get()
    assert response.status_code == 302 and response["Location"] == registered.get_absolute_url()
    assert registered.team == world["team"] and registered.times_per_year == Decimal("0.5")
    # Someone above the teams registers for a unit.
    client.force_login(world["lead"])
    response = client.post(url, register_data(world["team"], belongs_to=f"unit:{world['administration'].pk}"))
    assert response.status_code == 302
    assert Requirement.objects.filter(unit=world["administration"]).count() == 1


def test_without_a_team_the_form_says_who_registers(client: Any, world: dict[str, Any]) -> None:
    client.force_login(PersonFactory.create())
    response = client.get(reverse("followup:requirement_create"))
    assert response.status_code == 200
    assert "Du är inte med i något team än" in page(response) and '<form method="post"' not in page(response)


def test_editing_through_the_form(client: Any, world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"])
    url = reverse("followup:requirement_edit", args=[registered.pk])
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 403
    client.force_login(world["coach"])
    data = register_data(world["team"], title="Tidrapport", minutes_each_time="0")
    data.pop("belongs_to")
    response = client.post(url, data)
    assert response.status_code == 400
    assert fresh(registered).title == "Veckovis tidrapport i två system"
    data["minutes_each_time"] = "45"
    response = client.post(url, data)
    assert response.status_code == 302
    assert (fresh(registered).title, fresh(registered).minutes_each_time) == ("Tidrapport", 45)


def test_proposing_through_the_form(client: Any, world: dict[str, Any]) -> None:
    registered = item(world["anna"], team=world["team"], owner=world["coach"])
    url = reverse("followup:requirement_propose", args=[registered.pk])
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 403
    client.force_login(world["anna"])
    assert client.get(url).status_code == 200
    data = {
        "change": "simplify",
        "proposed_minutes": "",
        "reason": "Det räcker med ett system.",
        "in_team": world["team"].pk,
        "deadline": (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Det räcker med ett system." in page(response)
    assert not Proposal.objects.exists()
    response = client.post(url, {**data, "proposed_minutes": "120"})
    assert response.status_code == 400 and "ange färre minuter än dagens" in page(response)
    assert not Proposal.objects.exists()
    response = client.post(url, {**data, "proposed_minutes": "30"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert fresh(registered).status == Status.PROPOSED
    assert list(proposal.advisers.all()) == [world["coach"]]


# The demo.


def test_the_demo_inventory(client: Any) -> None:
    from tillit.followup.demo.inventory import load_demo_inventory
    from tillit.organisation.demo.exempelstad import load_exempelstad

    load_exempelstad()
    load_demo_inventory()
    removed = Requirement.objects.get(status=Status.REMOVED)
    assert removed.hours_freed == Decimal(78)
    assert removed.proposal is not None and removed.proposal.decisions.exists()
    simplified = Requirement.objects.get(status=Status.SIMPLIFIED)
    assert simplified.hours_freed == Decimal(30)
    waiting = Requirement.objects.get(status=Status.PROPOSED)
    assert waiting.unit is not None and waiting.proposal is not None
    assert list(waiting.proposal.advisers.values_list("email", flat=True)) == ["utveckling@exempelstad.se"]
    client.force_login(removed.created_by)
    assert client.get(reverse("followup:inventory")).status_code == 200
    assert client.get(removed.get_absolute_url()).status_code == 200
