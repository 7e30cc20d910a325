"""Demo labs for Exempelstad: the hypothesis lab "Självstyrande team" with two tracks, a stopped initiative with
its learnings, a running one with measurements, a draft, and ideas at different steps of the intake."""

import datetime
from decimal import Decimal

from tillit.accounts.models import User
from tillit.labs import services
from tillit.labs.models import Idea, Indicator, Initiative
from tillit.notifications.services import without_email
from tillit.organisation.models import Team, Unit


@without_email()
def load_demo_labs() -> None:
    lead = User.objects.get(email="utveckling@exempelstad.se")
    anna = User.objects.get(email="anna@exempelstad.se")
    social = Unit.objects.get(name="Socialförvaltningen")
    school = Unit.objects.get(name="Skol- och fritidsförvaltningen")
    lab = services.lab_create(
        actor=lead,
        name="Självstyrande team",
        description=(
            "Ett hypoteslabb inom Den utforskande staden. Vi utforskar alternativa sätt att organisera "
            "kommunens verksamhet med utgångspunkt i tillitsbaserad styrning, inspirerade av Buurtzorg och "
            "av försöken med självstyrande team på Försäkringskassan."
        ),
        hypothesis=(
            "När medarbetare som möter invånarna organiserar sig i självstyrande team och involverar invånaren "
            "som expertanvändare skapas nya och mer värdeskapande tjänster, och invånarna upplever tjänsterna "
            "som mer värdefulla."
        ),
        research_partners="Centrum för tjänsteforskning, Karlstads universitet",
    )
    social_track = services.track_add(actor=lead, lab=lab, name="Socialtjänst", unit=social)
    services.track_add(actor=lead, lab=lab, name="Skola och fritid", unit=school)

    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    stopped = services.initiative_create(
        actor=lead,
        teams=[norr],
        title="Självorganiserat arbetssätt i myndighetsutövning",
        lab=lab,
        track=social_track,
        area="Lärande och etablering",
        administration=social,
        what=(
            "Vad innebär ett självorganiserande team i myndighetsutövningen? Varje initiativ utgår från sin "
            "egen kontext, som sätter ramar som kan vara både begränsande och möjliggörande."
        ),
        why=(
            "En hierarkiskt styrd organisation skapar ramar och processer som på handläggarnivå kan hindra "
            "samverkan för invånarnas bästa. Därför prövas ett arbetssätt där handläggarna får större mandat "
            "att utmana arbetssätt som inte gynnar invånarna."
        ),
        how=(
            "Ett team på Barn, unga, familj utforskar arbetssättet under två år. Teamet består av sex "
            "medarbetare och har stöd av två chefer."
        ),
        hypothesis="Med större mandat hittar teamet arbetssätt som ger rätt insats i rätt tid.",
        success_factors="Kundens perspektiv\nTeamets kommunikation och relationer\nBeslutsfattandet\nLedarskapet",
        questions=(
            "Vad krävs för att bli ett team som styr och organiserar sig själv?\n"
            "Vilken grad av självorganisering är möjlig i en myndighet?\n"
            "Hur inkluderar teamet kollegor och invånare i utvecklingen av sociala tjänster?"
        ),
        pilot_start=datetime.date(2025, 4, 1),
        pilot_end=datetime.date(2026, 10, 31),
        support="Förvaltningens innovationsledare, en extern konsult inom självorganisering och frigjord tid.",
        citizen_involvement="Familjerna är med och formar insatserna som expertanvändare.",
        contact_name="Kristina Holmér",
        contact_email="utveckling@exempelstad.se",
        stage=Initiative.Stage.PILOT,
    )
    goal = services.effect_goal_add(
        actor=lead,
        initiative=stopped,
        title="Ökat medarbetarinflytande, ökad samverkan och ökad utvecklingstakt",
    )
    influence = services.indicator_add(
        actor=lead,
        goal=goal,
        name="Medarbetarinflytande",
        unit="index 1–5",
        direction=Indicator.Direction.INCREASE,
        baseline=Decimal("3.1"),
        baseline_on=datetime.date(2025, 3, 15),
        target=Decimal("4.0"),
        target_on=datetime.date(2026, 10, 31),
    )
    for day, value in ((datetime.date(2025, 10, 15), "3.4"), (datetime.date(2026, 4, 15), "3.7")):
        services.measurement_add(actor=lead, indicator=influence, measured_on=day, value=Decimal(value))
    services.initiative_set_status(
        actor=lead,
        initiative=stopped,
        status=Initiative.Status.STOPPED,
        stage=Initiative.Stage.PILOT,
        learned_worked=(
            "Vi blev starka som team när vi tillsammans måste reflektera och enas om det vi ställdes inför. "
            "Att arbeta samskapande med familjerna ökar möjligheten till rätt insats i rätt tid."
        ),
        learned_not_worked=(
            "Vissa mål i projektplanen fick vi inte tid att fördjupa oss i. Förutsättningarna – tid, utrymme "
            "och en genomtänkt plan – gick inte att lösa under projektets gång, så vi valde att avbryta."
        ),
        learned_for_others=(
            "Det krävs tid, utrymme, erfarenhet och en tydlig plan med mandat att styra, genomföra och följa "
            "upp innan man sätter igång."
        ),
    )
    services.link_add(
        actor=lead,
        initiative=stopped,
        title="Centrum för tjänsteforskning",
        url="https://www.kau.se/ctf",
    )
    services.initiative_publish(actor=lead, initiative=stopped, published=True)

    eldkvarn = Team.objects.get(name="Fritidsgården Eldkvarn")
    youth = services.initiative_create(
        actor=lead,
        teams=[eldkvarn],
        title="Fritidsgården som unga driver själva",
        lab=lab,
        track=lab.tracks.get(name="Skola och fritid"),
        area="Fritid",
        administration=school,
        what="Personalen på Eldkvarn organiserar sig som ett självstyrande team och planerar verksamheten med de unga.",
        why="Unga som är med och bestämmer kommer oftare tillbaka, och verksamheten blir deras.",
        how="Ett ungdomsråd möts varannan vecka med teamet; teamet beslutar själv om aktiviteter och budget.",
        pilot_start=datetime.date(2026, 1, 1),
        pilot_end=datetime.date(2027, 6, 30),
        citizen_involvement="Ungdomsrådet är expertanvändare och beslutar om halva aktivitetsbudgeten.",
        contact_name="Kristina Holmér",
        stage=Initiative.Stage.PILOT,
    )
    visits = services.indicator_add(
        actor=lead,
        goal=services.effect_goal_add(
            actor=lead, initiative=youth, title="Fler unga hittar till fritidsgården"
        ),
        name="Besökande unga per vecka",
        unit="personer",
        direction=Indicator.Direction.INCREASE,
        baseline=Decimal("120"),
        baseline_on=datetime.date(2025, 12, 1),
        target=Decimal("180"),
        target_on=datetime.date(2027, 6, 30),
    )
    services.measurement_add(
        actor=lead, indicator=visits, measured_on=datetime.date(2026, 6, 1), value=Decimal("141")
    )
    services.initiative_publish(actor=lead, initiative=youth, published=True)

    resident_idea = services.idea_submit(
        actor=None,
        title="Läxhjälp på biblioteket på kvällstid",
        problem="Många barn har ingen som kan hjälpa dem med läxorna hemma.",
        idea="Volontärer och lärarstudenter ger läxhjälp på biblioteket två kvällar i veckan.",
        beneficiaries="Barn i årskurs 4–9 och deras föräldrar.",
        area="Skola",
        submitter_name="Maja",
    )
    services.idea_assess(
        actor=lead,
        idea=resident_idea,
        status=Idea.Status.ASSESSING,
        message="Tack! Vi pratar med biblioteket och skolorna i området och återkommer i maj.",
    )
    services.idea_submit(
        actor=anna,
        title="Gemensam planeringsdag med familjebehandlarna",
        problem="Vi och familjebehandlarna planerar var för sig och familjerna får vänta.",
        idea="En gemensam planeringsdag i månaden där vi fördelar och följer upp ärendena tillsammans.",
        beneficiaries="Familjerna, som får snabbare och samordnad hjälp.",
    )
