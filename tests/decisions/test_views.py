import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.decisions import services
from tillit.decisions.models import Decision, Mandate, Proposal, Response

from .factories import CommitteeFactory, administrator, mandate, proposal, team_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return team_with_members(3)


def login(client, person):
    client.force_login(person)


def page(response):
    return response.content.decode()


def mandate_data(team, committee, delegate, **changes):
    data = {
        "committee": committee.pk,
        "unit": team.unit.pk,
        "team": team.pk,
        "number": "4.1",
        "matter": "Schemaläggning i teamet",
        "category": Mandate.Category.OPERATIONS,
        "kind": Mandate.Kind.EXECUTION,
        "decider": "person",
        "delegate": delegate.pk,
        "delegate_role": "Planeringsansvarig",
    }
    data.update(changes)
    return data


def test_the_mandate_form_refuses_a_group_and_a_non_delegable_matter_and_keeps_the_input(client, team):
    team, (anna, *_rest) = team
    admin = administrator()
    login(client, admin)
    committee = CommitteeFactory()
    url = reverse("decisions:mandate_create")
    assert "- Välj ett alternativ -" in page(client.get(url))  # Django's empty choice, in Swedish too
    response = client.post(url, mandate_data(team, committee, anna, decider="team"))
    assert response.status_code == 400
    assert "6 kap. 37 § KL" in page(response)
    assert "Schemaläggning i teamet" in page(response)
    response = client.post(url, mandate_data(team, committee, anna, category=Mandate.Category.GOALS))
    assert response.status_code == 400
    assert "6 kap. 38 § KL" in page(response)
    assert not Mandate.objects.exists()
    response = client.post(url, mandate_data(team, committee, anna))
    created = Mandate.objects.get()
    assert response["Location"] == created.get_absolute_url()
    assert "Planeringsansvarig" in page(client.get(created.get_absolute_url()))


def test_members_cannot_keep_the_delegation_order(client, team):
    team, (anna, *_rest) = team
    login(client, anna)
    assert client.get(reverse("decisions:mandate_create")).status_code == 403
    assert client.get(reverse("decisions:mandates")).status_code == 200


def test_proposal_respond_and_decide_through_the_pages(client, team):
    team, (anna, bo, cia) = team
    order = mandate(team, cia)
    login(client, anna)
    deadline = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("decisions:proposal_create", args=[team.slug]),
        {
            "title": "Nya arbetstider",
            "background": "Vi vill börja 07.30.",
            "mandate": order.pk,
            "process": "consent",
            "deadline": deadline,
        },
    )
    made = Proposal.objects.get()
    assert response["Location"] == made.get_absolute_url()
    login(client, bo)
    response = client.post(reverse("decisions:proposal_respond", args=[made.pk]), {"position": "object"})
    assert response.status_code == 400
    assert "En invändning måste ange sitt skäl" in page(response)
    client.post(
        reverse("decisions:proposal_respond", args=[made.pk]),
        {"position": "object", "reason": "Hämtning på förskolan."},
    )
    assert Response.objects.get(person=bo).reason == "Hämtning på förskolan."
    login(client, cia)
    shown = page(client.get(made.get_absolute_url()))
    assert "Hämtning på förskolan." in shown
    response = client.post(reverse("decisions:proposal_decide", args=[made.pk]), {"outcome": "Ja"})
    assert response.status_code == 400
    assert not Decision.objects.exists()
    login(client, anna)
    client.post(
        reverse("decisions:proposal_amend", args=[made.pk]),
        {
            "title": "Nya arbetstider",
            "background": "07.30, men den som hämtar går 15.30.",
            "deadline": deadline,
            "reason": "Hämtning",
        },
    )
    # The history names a proposal's fields as a proposal's (its title is no one's job title).
    history = page(client.get(made.get_absolute_url())).split('id="history-title"')[1]
    assert "Förslag ändrat" in history and "Bakgrund" in history and "Befattning" not in history
    login(client, cia)
    response = client.post(
        reverse("decisions:proposal_decide", args=[made.pk]), {"outcome": "Vi börjar 07.30 från januari."}
    )
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    shown = page(client.get(decision.get_absolute_url()))
    assert "Vi börjar 07.30 från januari." in shown and "Hämtning på förskolan." in shown


def test_the_register_filters_and_exports(client, team):
    team, (anna, bo, cia) = team
    order = mandate(team, cia)
    for title in ("Surfplattor", "Arbetstider"):
        made = proposal(
            team, anna, title=title, mandate=order if title == "Surfplattor" else None, process="vote"
        )
        decider = cia if made.mandate else anna
        services.proposal_decide(actor=decider, proposal=made, outcome=f"Beslut: {title}")
    login(client, bo)
    url = reverse("decisions:register")
    assert "Surfplattor" in page(client.get(url)) and "Arbetstider" in page(client.get(url))
    filtered = page(client.get(url, {"status": "team"}))
    assert "Arbetstider" in filtered and "Surfplattor" not in filtered
    assert "Arbetstider" not in page(client.get(url, {"q": "surfplattor"}))
    exported = client.get(url, {"format": "csv", "status": "delegated"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and rows[1][3] == "Surfplattor"
    assert client.get(url, {"format": "xlsx"})["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_register_takes_the_same_queries_for_more_decisions(client, team, django_assert_max_num_queries):
    team, (anna, bo, cia) = team
    order = mandate(team, cia)
    for n in range(12):
        made = proposal(team, anna, title=f"Beslut {n}", mandate=order if n % 2 else None, process="vote")
        services.proposal_decide(actor=cia if n % 2 else anna, proposal=made, outcome="Ja")
    login(client, bo)
    with django_assert_max_num_queries(12):
        client.get(reverse("decisions:register"))


def test_the_committee_report_page_print_csv_and_marking(client, team):
    team, (anna, bo, cia) = team
    committee = CommitteeFactory(name="Socialnämnden")
    made = proposal(team, anna, mandate=mandate(team, cia, committee=committee), process="vote")
    services.proposal_decide(actor=cia, proposal=made, outcome="Vi köper surfplattor.")
    today = timezone.localdate()
    period = {"committee": committee.pk, "start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    login(client, bo)
    shown = page(client.get(reverse("decisions:report"), period))
    assert "Vi köper surfplattor." in shown and "SN 2026-02-12 § 14" in shown
    assert "reported_on" not in shown  # only those who report may mark
    assert "Vi köper surfplattor." in page(client.get(reverse("decisions:report"), {**period, "print": "1"}))
    exported = client.get(reverse("decisions:report"), {**period, "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "Vi köper surfplattor." in exported
    assert (
        client.post(
            reverse("decisions:report_mark"), {**period, "reported_on": today.isoformat()}
        ).status_code
        == 403
    )
    login(client, administrator())
    client.post(reverse("decisions:report_mark"), {**period, "reported_on": today.isoformat()})
    assert Decision.objects.get().report.reported_on == today


def test_the_team_home_shows_proposals_decisions_mandates_and_signals(client, team):
    team, (anna, bo, cia) = team
    order = mandate(team, cia, matter="Inköp av surfplattor")
    waiting = proposal(team, anna, title="Ny rutin för hembesök")
    made = proposal(team, anna, title="Surfplattor", mandate=order, process="vote")
    services.proposal_decide(
        actor=cia, proposal=made, outcome="Ja.", review_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    login(client, bo)
    shown = page(client.get(team.get_absolute_url()))
    for text in (waiting.title, "Surfplattor", "Inköp av surfplattor", order.delegate_role):
        assert text in shown
    assert reverse("decisions:proposal_create", args=[team.slug]) in shown
    assert Response.objects.count() == 0


def test_a_member_proposes_a_change_to_a_mandate(client, team):
    team, (anna, bo, cia) = team
    order = mandate(team, cia)
    login(client, anna)
    url = reverse("decisions:mandate_change", args=[order.pk])
    assert "Budgetansvarig i teamet" in page(client.get(url))
    deadline = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "proposing_team": team.pk,
        "background": "Bo tar över budgetrollen.",
        "deadline": deadline,
        "team": team.pk,
        "number": order.number,
        "matter": order.matter,
        "category": order.category,
        "kind": order.kind,
        "basis_reference": order.basis_reference,
        "decider": "person",
        "delegate": bo.pk,
        "delegate_role": order.delegate_role,
        "amount_limit": "50000",
    }
    response = client.post(url, {**data, "decider": "team"})
    assert response.status_code == 400 and "6 kap. 37 § KL" in page(response)
    response = client.post(url, data)
    change = Proposal.objects.get(mandate_change__isnull=False)
    assert response["Location"] == change.get_absolute_url()
    shown = page(client.get(change.get_absolute_url()))
    assert bo.full_name in shown and cia.full_name in shown  # now and proposed, side by side
    order.refresh_from_db()
    assert order.delegate == cia


def test_scoring_the_options_of_a_vote_through_the_page(client, team):
    team, (anna, bo, _cia) = team
    made = proposal(team, anna, process="vote", options="Onsdag\nFredag")
    login(client, bo)
    shown = page(client.get(made.get_absolute_url()))
    assert "Poäng för ”Onsdag” (0–5)" in shown
    response = client.post(
        reverse("decisions:proposal_respond", args=[made.pk]), {"position": "agree", "score_1": "7"}
    )
    assert response.status_code == 400 and not Response.objects.exists()
    client.post(
        reverse("decisions:proposal_respond", args=[made.pk]),
        {"position": "agree", "score_1": "2", "score_2": "5"},
    )
    assert Response.objects.get().scores == {"Onsdag": 2, "Fredag": 5}
    shown = page(client.get(made.get_absolute_url()))
    assert "Alternativen efter total poäng" in shown


def test_the_delegation_order_per_unit(client, team):
    team, (anna, _bo, cia) = team
    other, (olle,) = team_with_members(1)
    mine = mandate(team, cia, matter="Inköp i teamet")
    theirs = mandate(other, olle, matter="Inköp i det andra teamet")
    login(client, anna)
    everything = page(client.get(reverse("decisions:mandates")))
    assert mine.matter in everything and theirs.matter in everything
    one_unit = page(client.get(reverse("decisions:mandates"), {"enhet": team.unit.slug}))
    assert mine.matter in one_unit and theirs.matter not in one_unit
