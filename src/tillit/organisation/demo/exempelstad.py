"""Exempelstad, the demo municipality. Every person here is fictional."""

import itertools
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tillit.accounts.models import User
from tillit.organisation import services
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

DEMO_PASSWORD = "tillit-demo"  # noqa: S105 - published demo password, documented in README
DEMO_LOGINS = [
    ("anna@exempelstad.se", "team member (Barn, unga, familj – team Norr)"),
    ("coach@exempelstad.se", "coach, manager of team Norr's unit"),
    ("facilitator@exempelstad.se", "facilitator / HR developer, HR specialist"),
    ("admin@exempelstad.se", "administrator"),
    ("utveckling@exempelstad.se", "development lead (labs, portfolio, idea intake)"),
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Mikael",
    "Elin",
    "Ahmed",
    "Fatima",
    "Nils",
    "Ida",
    "Oskar",
    "Leila",
    "Per",
    "Emma",
    "Jonas",
    "Sofia",
    "Mattias",
    "Linnea",
    "Ali",
    "Hanna",
    "Gustav",
    "Amira",
    "Björn",
    "Maja",
    "Daniel",
    "Ebba",
    "Hassan",
    "Frida",
    "Viktor",
    "Noor",
    "Henrik",
    "Alva",
    "Kalle",
]
LAST_NAMES = [
    "Lindqvist",
    "Berglund",
    "Nyström",
    "Håkansson",
    "Sundberg",
    "Ekström",
    "Lundgren",
    "Holm",
    "Axelsson",
    "Öberg",
    "Åström",
    "Sjöberg",
    "Forsberg",
    "Wallin",
    "Engström",
    "Dahl",
    "Hedlund",
    "Karimi",
    "Nordin",
    "Falk",
    "Hassan",
    "Björk",
    "Strand",
    "Mohammadi",
    "Lind",
    "Blom",
    "Sandberg",
    "Vik",
]

# (administration, [(unit, [(team, members, coaches, purpose)])])
TREE: list[tuple[str, list[tuple[str, list[tuple[str, int, int, str]]]]]] = [
    (
        "Socialförvaltningen",
        [
            (
                "Barn, unga och familj",
                [
                    (
                        "Barn, unga, familj – team Norr",
                        6,
                        2,
                        "Vi är sex socialsekreterare som utforskar hur ett självorganiserat team kan arbeta i "
                        "myndighetsutövningen – närmare familjerna, med mer flexibelt samarbete och samskapande.",
                    ),
                    (
                        "Barn, unga, familj – team Söder",
                        7,
                        1,
                        "Utredningar och insatser för barn och unga i söder.",
                    ),
                ],
            ),
            (
                "Vuxen och försörjning",
                [("Försörjningsstöd – team Väst", 8, 1, "Vägen till egen försörjning.")],
            ),
        ],
    ),
    (
        "Skol- och fritidsförvaltningen",
        [
            (
                "Grundskola Norr",
                [("Ektorpsskolan – arbetslag 4–6", 9, 1, "Lärare och fritidspedagoger för årskurs 4–6.")],
            ),
            (
                "Fritid",
                [("Fritidsgården Eldkvarn", 5, 1, "En mötesplats för unga, byggd tillsammans med dem.")],
            ),
        ],
    ),
    (
        "Vård- och omsorgsförvaltningen",
        [
            (
                "Hemtjänst",
                [
                    (
                        "Hemtjänst Centrum",
                        12,
                        1,
                        "Ett självstyrande hemtjänstteam i Buurtzorgs anda: vi planerar, fördelar och utvecklar "
                        "arbetet själva, nära dem vi är till för.",
                    ),
                    ("Hemtjänst Öster", 10, 1, "Hemtjänst i östra stadsdelarna."),
                ],
            ),
            ("Särskilt boende", [("Solgården – avdelning 2", 8, 1, "Omsorg och gemenskap på Solgården.")]),
        ],
    ),
    (
        "Stadsledningsförvaltningen",
        [
            (
                "HR-avdelningen",
                [("HR-utveckling", 4, 0, "Stöd till chefer och team i delaktighet och ledarskap.")],
            ),
            (
                "Utvecklingsenheten",
                [("Innovationsteamet", 4, 0, "Hypoteslabb, idéslussen och innovationsstöd.")],
            ),
        ],
    ),
]

ASCII_EMAIL = str.maketrans("åäöé", "aaoe")

TITLES = {
    "Socialförvaltningen": "Socialsekreterare",
    "Skol- och fritidsförvaltningen": "Lärare",
    "Vård- och omsorgsförvaltningen": "Undersköterska",
    "Stadsledningsförvaltningen": "Utvecklare",
}


def _names() -> Iterator[str]:
    """Endless fictional names; first and last names advance at different strides, so neighbours differ."""
    taken = {"Anna Lindqvist", "Karin Sundberg", "Leila Karimi", "Per Wallin"}  # the demo logins
    for i in itertools.count():
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 5 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        if name not in taken:
            yield name


@transaction.atomic
def load_exempelstad() -> bool:
    """Creates Exempelstad; returns False (and changes nothing) when it is already there."""
    if Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).exists():
        return False
    password = make_password(DEMO_PASSWORD)
    names = _names()
    used_emails: set[str] = set()

    def person(full_name: str, title: str, email: str | None = None) -> User:
        if email is None:
            base = full_name.lower().replace(" ", ".").translate(ASCII_EMAIL)
            email, n = f"{base}@exempelstad.se", 1
            while email in used_emails:
                n += 1
                email = f"{base}{n}@exempelstad.se"
        used_emails.add(email)
        user = services.person_create(actor=None, email=email, full_name=full_name, title=title)
        return user

    def login(email: str, full_name: str, title: str) -> User:
        user = person(full_name, title, email)
        user.password = password
        user.save(update_fields=["password"])
        return user

    anna = login("anna@exempelstad.se", "Anna Lindqvist", "Socialsekreterare")
    coach = login("coach@exempelstad.se", "Karin Sundberg", "Enhetschef och coach")
    facilitator = login("facilitator@exempelstad.se", "Leila Karimi", "HR-utvecklare")
    admin = login("admin@exempelstad.se", "Per Wallin", "Systemförvaltare")

    municipality = services.unit_create(
        actor=None,
        name="Exempelstad kommun",
        kind=Unit.Kind.MUNICIPALITY,
        parent=None,
        description="En påhittad kommun för att prova Tillit. Alla personer är fiktiva.",
    )
    for admin_name, units in TREE:
        administration = services.unit_create(
            actor=None, name=admin_name, kind=Unit.Kind.ADMINISTRATION, parent=municipality
        )
        for unit_name, teams in units:
            unit = services.unit_create(
                actor=None, name=unit_name, kind=Unit.Kind.UNIT, parent=administration
            )
            for team_name, members, coaches, purpose in teams:
                team = services.team_create(actor=None, name=team_name, unit=unit, purpose=purpose)
                team_members: list[User] = []
                team_coaches: list[User] = []
                if team_name.endswith("team Norr"):
                    team_members.append(anna)
                if team_name.endswith("team Norr") or team_name == "Hemtjänst Centrum":
                    team_coaches.append(coach)
                if team_name == "HR-utveckling":
                    team_members.append(facilitator)
                while len(team_members) < members:
                    team_members.append(person(next(names), TITLES[admin_name]))
                while len(team_coaches) < coaches:
                    team_coaches.append(person(next(names), "Enhetschef och coach"))
                for member in team_members:
                    services.membership_add(actor=None, team=team, person=member, role=Membership.Role.MEMBER)
                for team_coach in team_coaches:
                    services.membership_add(
                        actor=None, team=team, person=team_coach, role=Membership.Role.COACH
                    )

    social = Unit.objects.get(name="Socialförvaltningen")
    services.role_assign(actor=None, person=facilitator, role=RoleAssignment.Role.FACILITATOR)
    services.role_assign(actor=None, person=admin, role=RoleAssignment.Role.ADMINISTRATOR)
    lead = login("utveckling@exempelstad.se", "Kristina Holmér", "Utvecklingschef")
    services.role_assign(actor=None, person=lead, role=RoleAssignment.Role.DEVELOPMENT_LEAD, unit=social)
    norr = Team.objects.select_related("unit").get(name__endswith="team Norr")
    services.role_assign(actor=None, person=coach, role=RoleAssignment.Role.MANAGER, unit=norr.unit)
    services.role_assign(actor=None, person=facilitator, role=RoleAssignment.Role.HR)
    researcher = person("Jonas Strandell", "Forskare i tjänsteforskning")
    services.role_assign(actor=None, person=researcher, role=RoleAssignment.Role.RESEARCHER)
    return True
