"""Demo inventory for Exempelstad: what team Norr and Socialförvaltningen work under, one routine already removed and
one simplified through decided proposals, and a proposal to simplify the monthly report waiting for advice."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tillit.accounts.models import User
from tillit.decisions import services as decisions
from tillit.decisions.models import Response
from tillit.followup import inventory
from tillit.followup.models import Requirement
from tillit.notifications.services import without_email
from tillit.organisation.models import Membership, Team, Unit

Kind, Origin = Requirement.Kind, Requirement.Origin


@without_email()  # the demo's people are told in Tillit, not by e-mail
def load_demo_inventory() -> None:
    team = Team.objects.get(name="Barn, unga, familj – team Norr")
    social = Unit.objects.get(name="Socialförvaltningen")
    anna = User.objects.get(email="anna@exempelstad.se")
    coach = User.objects.get(email="coach@exempelstad.se")
    lead = User.objects.get(email="utveckling@exempelstad.se")
    facilitator = User.objects.get(email="facilitator@exempelstad.se")
    colleague = (
        User.objects.filter(memberships__team=team, memberships__role=Membership.Role.MEMBER)
        .exclude(pk=anna.pk)
        .order_by("full_name")
        .first()
    )
    assert colleague is not None

    def norr(**fields: Any) -> Requirement:
        return inventory.requirement_register(actor=anna, team=team, **fields)

    def administration(**fields: Any) -> Requirement:
        return inventory.requirement_register(actor=lead, unit=social, **fields)

    norr(
        title="Dokumentation av utredningar och uppföljningar i journalen",
        kind=Kind.RULE,
        origin=Origin.LAW,
        origin_detail="SoL 11 kap. 5 §",
        asked_by="Lagstiftaren, och IVO vid tillsyn",
        used_by="Familjen, den som tar över ärendet, IVO",
        times_per_year=Decimal(400),
        minutes_each_time=40,
        usefulness=5,
    )
    double_time_report = norr(
        title="Tidrapport i verksamhetssystemet utöver Heroma",
        kind=Kind.REPORTING,
        origin=Origin.UNIT,
        origin_detail="Enhetens rutin från 2019",
        asked_by="Enhetschefen",
        used_by="Ingen sedan 2023",
        owner=coach,
        times_per_year=Decimal(52),
        minutes_each_time=90,
        usefulness=1,
    )
    checklist = norr(
        title="Checklista för hembesök, ifylld både på papper och i systemet",
        kind=Kind.RULE,
        origin=Origin.UNIT,
        origin_detail="Enhetens rutin för hembesök",
        asked_by="Enhetschefen",
        used_by="Handläggaren själv",
        owner=coach,
        times_per_year=Decimal(300),
        minutes_each_time=10,
        usefulness=2,
    )
    norr(
        title="Ärendedragning för enhetschefen före varje beslut om insats",
        kind=Kind.RULE,
        origin=Origin.UNIT,
        asked_by="Enhetschefen",
        used_by="Enhetschefen",
        owner=coach,
        times_per_year=Decimal(120),
        minutes_each_time=30,
        usefulness=2,
    )
    norr(
        title="Rapportering av missförhållanden enligt lex Sarah",
        kind=Kind.REPORTING,
        origin=Origin.LAW,
        origin_detail="SoL 14 kap. 3 §",
        asked_by="Lagstiftaren",
        used_by="Förvaltningens kvalitetsansvarige, IVO",
        times_per_year=Decimal(4),
        minutes_each_time=90,
        usefulness=5,
    )
    norr(
        title="Veckostatistik över inkomna orosanmälningar",
        kind=Kind.REPORTING,
        origin=Origin.ADMINISTRATION,
        origin_detail="Förvaltningsledningens beslut 2021",
        asked_by="Förvaltningsledningen",
        used_by="Förvaltningens controller",
        owner=lead,
        times_per_year=Decimal(52),
        minutes_each_time=30,
        usefulness=2,
    )
    monthly_report = administration(
        title="Månadsrapport till förvaltningsledningen",
        kind=Kind.REPORTING,
        origin=Origin.ADMINISTRATION,
        origin_detail="Förvaltningens styrmodell",
        asked_by="Förvaltningsledningen",
        used_by="Förvaltningsledningen, som säger att den sällan läses i sin helhet",
        owner=lead,
        times_per_year=Decimal(12),
        minutes_each_time=360,
        usefulness=2,
    )
    administration(
        title="Kvalitetsuppföljning till socialnämnden",
        kind=Kind.REPORTING,
        origin=Origin.POLITICAL,
        origin_detail="Socialnämndens internkontrollplan 2026",
        asked_by="Socialnämnden",
        used_by="Socialnämnden",
        owner=lead,
        times_per_year=Decimal(2),
        minutes_each_time=1200,
        usefulness=3,
    )
    administration(
        title="Kvartalsstatistik till Socialstyrelsen",
        kind=Kind.REPORTING,
        origin=Origin.LAW,
        origin_detail="Lag (2001:99) om den officiella statistiken",
        asked_by="Socialstyrelsen",
        used_by="Socialstyrelsen, SCB och forskare",
        times_per_year=Decimal(4),
        minutes_each_time=240,
        usefulness=3,
    )
    administration(
        title="Protokoll från varje arbetsplatsträff skickas till HR",
        kind=Kind.POLICY,
        origin=Origin.ADMINISTRATION,
        origin_detail="Förvaltningens HR-policy 2020",
        asked_by="HR-avdelningen",
        used_by="Ingen som vi vet",
        owner=facilitator,
        times_per_year=Decimal(11),
        minutes_each_time=30,
        usefulness=1,
    )
    administration(
        title="Riktlinjer för handläggning av barnavårdsärenden",
        kind=Kind.GUIDELINE,
        origin=Origin.POLITICAL,
        origin_detail="Antagna av socialnämnden 2024",
        asked_by="Socialnämnden",
        used_by="Handläggarna",
        owner=lead,
        times_per_year=Decimal(1),
        minutes_each_time=480,
        usefulness=4,
    )

    now = timezone.now()
    today = timezone.localdate()
    # Removed: the team asked its coach, who owns the routine, for advice, and Anna decided.
    removal = inventory.requirement_propose_change(
        actor=anna,
        requirement=double_time_report,
        change=Requirement.Change.REMOVE,
        reason="Vi rapporterar samma tid två gånger. Heroma räcker för lön och planering, och ingen har använt"
        " siffrorna i verksamhetssystemet sedan 2023.",
        in_team=team,
        deadline=now + datetime.timedelta(days=5),
    )
    decisions.proposal_respond(
        actor=coach,
        proposal=removal,
        position=Response.Position.ADVICE,
        reason="Ta bort den. Jag hämtar det jag behöver ur Heroma.",
    )
    decisions.proposal_decide(
        actor=anna,
        proposal=removal,
        outcome="Tidrapporten i verksamhetssystemet tas bort från och med nästa vecka. Tiden rapporteras bara i"
        " Heroma.",
        decided_on=today - datetime.timedelta(days=40),
    )
    # Simplified: one digital checklist instead of two copies.
    simpler = inventory.requirement_propose_change(
        actor=colleague,
        requirement=checklist,
        change=Requirement.Change.SIMPLIFY,
        proposed_minutes=4,
        reason="Vi fyller i samma checklista två gånger. Ett digitalt formulär på surfplattan under besöket räcker.",
        in_team=team,
        deadline=now + datetime.timedelta(days=5),
    )
    decisions.proposal_respond(
        actor=coach,
        proposal=simpler,
        position=Response.Position.ADVICE,
        reason="Bra. Se till att formuläret sparas i akten samma dag.",
    )
    decisions.proposal_decide(
        actor=colleague,
        proposal=simpler,
        outcome="Checklistan fylls i en gång, digitalt, under hembesöket.",
        decided_on=today - datetime.timedelta(days=12),
    )
    # Waiting for advice from the development lead, who owns the monthly report.
    inventory.requirement_propose_change(
        actor=anna,
        requirement=monthly_report,
        change=Requirement.Change.SIMPLIFY,
        proposed_minutes=60,
        reason="Månadsrapporten tar en arbetsdag i månaden att skriva, och ledningen läser mest sammanfattningen."
        " Fem nyckeltal ur systemet och några rader om det viktigaste skulle räcka.",
        in_team=team,
        deadline=now + datetime.timedelta(days=6),
    )
