"""Demo decisions for Exempelstad: team Norr's mandates, proposals in each state and a report to the committee."""

import datetime

from django.utils import timezone

from tillit.accounts.models import User
from tillit.decisions import services
from tillit.decisions.models import Mandate, Proposal, Response
from tillit.notifications.services import without_email
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit


@without_email()  # the demo's people are told in Tillit, not by e-mail
def load_demo_decisions() -> None:
    team = Team.objects.get(name="Barn, unga, familj – team Norr")
    members = [
        m.person for m in team.memberships.filter(role=Membership.Role.MEMBER).order_by("person__full_name")
    ]
    anna = User.objects.get(email="anna@exempelstad.se")
    coach = User.objects.get(email="coach@exempelstad.se")
    keeper = User.objects.filter(role_assignments__role=RoleAssignment.Role.ADMINISTRATOR).first()
    others = [person for person in members if person != anna]
    budget, planner, third = others[0], others[1], others[2]
    committee = services.committee_create(
        actor=keeper, name="Socialnämnden", unit=Unit.objects.get(name="Socialförvaltningen")
    )
    common = {
        "committee": committee,
        "unit": team.unit,
        "team": team,
        "basis_reference": "SN 2026-02-12 § 14",
        "basis_date": datetime.date(2026, 2, 12),
        "further_delegated_by": coach,
        "further_delegated_on": datetime.date(2026, 3, 1),
    }
    purchases = services.mandate_create(
        actor=keeper,
        delegate=budget,
        deputy=anna,
        number="3.2",
        matter="Inköp av arbetsmaterial och hjälpmedel för hembesök",
        category=Mandate.Category.PURCHASE,
        kind=Mandate.Kind.DELEGATED,
        delegate_role="Budgetansvarig i teamet",
        amount_limit=50000,
        scope="Inom teamets budget för året. Upphandlade leverantörer i första hand.",
        **common,
    )
    services.mandate_create(
        actor=keeper,
        delegate=planner,
        number="3.5",
        matter="Schemaläggning och planering av teamets arbetstid",
        category=Mandate.Category.OPERATIONS,
        kind=Mandate.Kind.EXECUTION,
        delegate_role="Planeringsansvarig i teamet",
        **common,
    )
    services.mandate_create(
        actor=keeper,
        delegate=coach,
        number="5.1",
        matter="Beviljande av ledighet upp till fem dagar",
        category=Mandate.Category.STAFF,
        kind=Mandate.Kind.DELEGATED,
        delegate_role="Enhetschef",
        **{**common, "further_delegated_by": None, "further_delegated_on": None},
    )
    now = timezone.now()
    today = timezone.localdate()
    # Decided a month ago and reported to the committee.
    earlier = services.proposal_create(
        actor=anna,
        team=team,
        title="Ett extra skrivbord till öppna mottagningen",
        background="Mottagningen har ett skrivbord och två som tar emot samtidigt på tisdagar.",
        mandate=purchases,
        amount=4800,
        process=Proposal.Process.CONSENT,
        deadline=now + datetime.timedelta(days=2),
    )
    for person in others[:3]:
        services.proposal_respond(actor=person, proposal=earlier, position=Response.Position.CONSENT)
    services.proposal_decide(
        actor=budget,
        proposal=earlier,
        outcome="Vi köper ett höj- och sänkbart skrivbord för 4 800 kronor.",
        decided_on=today - datetime.timedelta(days=35),
    )
    first = today.replace(day=1) - datetime.timedelta(days=1)
    services.report_make(
        actor=keeper,
        committee=committee,
        period_start=first.replace(day=1) - datetime.timedelta(days=31),
        period_end=first,
        reported_on=first,
    )
    # An objection, an amendment, then the delegate's decision: not yet reported.
    tablets = services.proposal_create(
        actor=anna,
        team=team,
        title="Surfplattor till hembesöken",
        background="Vi antecknar på papper under hembesöken och skriver av allt på kontoret efteråt."
        " Med surfplattor kan vi dokumentera direkt, tillsammans med familjen.",
        mandate=purchases,
        amount=36000,
        process=Proposal.Process.CONSENT,
        deadline=now + datetime.timedelta(days=3),
    )
    services.proposal_respond(actor=third, proposal=tablets, position=Response.Position.CONSENT)
    services.proposal_respond(
        actor=planner,
        proposal=tablets,
        position=Response.Position.OBJECT,
        reason="Utan skyddsfodral och skärmskydd går de sönder i bilen, och skärmen syns för grannarna.",
    )
    services.proposal_amend(
        actor=anna,
        proposal=tablets,
        reason="Skyddsfodral och sekretessfilter ingår nu.",
        background=tablets.background + " Varje platta får skyddsfodral och sekretessfilter för skärmen.",
        amount=39600,
    )
    services.proposal_respond(actor=planner, proposal=tablets, position=Response.Position.CONSENT)
    services.proposal_respond(actor=third, proposal=tablets, position=Response.Position.CONSENT)
    services.proposal_decide(
        actor=budget,
        proposal=tablets,
        outcome="Vi köper sex surfplattor med skyddsfodral och sekretessfilter för 39 600 kronor.",
        review_on=today + datetime.timedelta(days=10),
    )
    # Open: a team agreement waiting for Anna, and an advice process.
    lunch = services.proposal_create(
        actor=planner,
        team=team,
        title="Gemensam lunchpaus på onsdagar",
        background="Vi ses sällan alla samtidigt. En gemensam lunch i veckan ger tid att prata om annat än ärenden.",
        process=Proposal.Process.CONSENT,
        deadline=now + datetime.timedelta(days=4),
    )
    services.proposal_respond(actor=third, proposal=lunch, position=Response.Position.CONSENT)
    friday = services.proposal_create(
        actor=anna,
        team=team,
        title="Pröva öppen mottagning på fredagar",
        background="Familjer hör av sig om att de vill komma utan att boka. Vi provar en öppen mottagning"
        " på fredagar under vårterminen.",
        process=Proposal.Process.ADVICE,
        deadline=now + datetime.timedelta(days=6),
        advisers=[coach],
    )
    services.proposal_respond(
        actor=coach,
        proposal=friday,
        position=Response.Position.ADVICE,
        reason="Bra idé. Stäm av med receptionen om bemanningen, och följ upp efter sex veckor.",
    )
