"""Storstad, a large generated municipality for performance work. Every person here is fictional.

The whole organisation is planned in memory from one seeded random generator, then written with
`bulk_create` in one transaction: the same seed on the same database gives the same municipality, and a
failure leaves nothing behind. Bulk creation writes no per-object history; one history entry on the
municipality notes the generation.
"""

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from tillit.accounts.models import User
from tillit.core.history import record
from tillit.organisation import services
from tillit.organisation.models import Membership, RoleAssignment, Team, Unit

DOMAIN = "storstad.example"
MUNICIPALITY_NAME = "Storstad kommun"
LARGE_PASSWORD = "storstad-demo"  # noqa: S105 - published password of the generated logins, printed by the command
# (e-mail, what the login is for); the coach and the team member are picked from the generated teams.
ADMINISTRATOR_EMAILS = [f"admin@{DOMAIN}", f"admin2@{DOMAIN}"]
COACH_EMAIL = f"coach@{DOMAIN}"
MEMBER_EMAIL = f"medarbetare@{DOMAIN}"

MIN_TEAM_SIZE, MAX_TEAM_SIZE = 5, 20
MIN_PEOPLE_PER_TEAM, MAX_PEOPLE_PER_TEAM = 5, 17  # on average; leaves room for coaches and second teams
TEAMS_PER_COACH = 1.6
SHARE_IN_A_SECOND_TEAM = 0.08
MAX_DEPTH = 4  # municipality 0, administration 1, department 2, unit 3, group 4

# (administration, departments, job titles, weight: how large a share of the teams it holds)
LARGE_WEIGHT = 3  # administrations this heavy are always there
ADMINISTRATIONS: list[tuple[str, list[str], list[str], int]] = [
    (
        "Socialförvaltningen",
        ["Barn och unga", "Vuxen och försörjning", "Funktionsstöd", "Familjerätt", "Beroende och boende"],
        ["Socialsekreterare", "Familjebehandlare", "Biståndshandläggare", "Boendestödjare"],
        3,
    ),
    (
        "Utbildningsförvaltningen",
        ["Grundskola", "Förskola", "Gymnasium", "Elevhälsa", "Vuxenutbildning"],
        ["Lärare", "Förskollärare", "Barnskötare", "Fritidspedagog", "Skolsköterska", "Speciallärare"],
        4,
    ),
    (
        "Vård- och omsorgsförvaltningen",
        ["Hemtjänst", "Särskilt boende", "Hemsjukvård", "Korttidsvård", "Dagverksamhet"],
        ["Undersköterska", "Sjuksköterska", "Vårdbiträde", "Arbetsterapeut", "Fysioterapeut"],
        4,
    ),
    (
        "Kultur- och fritidsförvaltningen",
        ["Bibliotek", "Fritidsgårdar", "Idrott och anläggningar", "Kulturskola"],
        ["Bibliotekarie", "Fritidsledare", "Kulturpedagog", "Anläggningsvärd"],
        1,
    ),
    (
        "Stadsbyggnadsförvaltningen",
        ["Bygglov", "Detaljplan", "Lantmäteri", "Kart och geodata"],
        ["Bygglovshandläggare", "Planarkitekt", "Lantmätare", "GIS-ingenjör"],
        1,
    ),
    (
        "Tekniska förvaltningen",
        ["Gata och park", "Vatten och avlopp", "Fastighet", "Avfall och återvinning"],
        ["Parkarbetare", "Drifttekniker", "Fastighetsskötare", "Ingenjör"],
        2,
    ),
    (
        "Stadsledningsförvaltningen",
        ["HR", "Ekonomi", "Kommunikation", "Digitalisering", "Utveckling"],
        ["HR-konsult", "Controller", "Kommunikatör", "Systemutvecklare", "Verksamhetsutvecklare"],
        1,
    ),
    (
        "Arbetsmarknadsförvaltningen",
        ["Jobbcentrum", "Etablering", "Ungdomsjobb", "Daglig verksamhet"],
        ["Arbetskonsulent", "Jobbcoach", "Studie- och yrkesvägledare", "Handledare"],
        1,
    ),
    (
        "Miljöförvaltningen",
        ["Miljötillsyn", "Livsmedelskontroll", "Klimat och natur"],
        ["Miljöinspektör", "Livsmedelsinspektör", "Ekolog"],
        1,
    ),
    (
        "Räddningstjänsten",
        ["Utryckning", "Förebyggande", "Räddningscentral"],
        ["Brandman", "Brandinspektör", "Räddningsledare"],
        1,
    ),
    (
        "Överförmyndarförvaltningen",
        ["Ställföreträdarskap", "Granskning"],
        ["Handläggare", "Granskare"],
        1,
    ),
    (
        "Serviceförvaltningen",
        ["Måltidsservice", "Lokalvård", "Kontaktcenter", "Fordon och transport"],
        ["Kock", "Lokalvårdare", "Kundtjänstmedarbetare", "Transportplanerare"],
        2,
    ),
]
COACH_TITLES = ["Enhetschef och coach", "Teamcoach", "Verksamhetsledare", "Gruppledare"]
AREAS = ["Norr", "Söder", "Öster", "Väster", "Centrum"]
PLACES = [
    "Ekbacken", "Björkhagen", "Sjöstaden", "Lindängen", "Granbacka", "Åsen", "Hagaby", "Furulund",
    "Tallmon", "Ängsby", "Bergsjö", "Strandvik", "Kvarnholmen", "Rosendal", "Ljungby", "Nyhem",
    "Solbacka", "Vallby", "Östergården", "Mossen", "Älvsdal", "Hällby", "Kyrkbyn", "Björnäs",
]  # fmt: skip
TEAM_WORDS = [
    "Lärkan", "Svalan", "Ugglan", "Tranan", "Eken", "Linden", "Rönnen", "Blåklockan", "Vitsippan",
    "Näktergalen", "Tallen", "Ekorren", "Havsörnen", "Smultronet", "Lingonet", "Vallmon", "Forsen", "Fjället",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Mikael", "Elin", "Ahmed", "Fatima", "Nils",
    "Ida", "Oskar", "Leila", "Per", "Emma", "Jonas", "Sofia", "Mattias", "Linnea", "Ali", "Hanna", "Gustav",
    "Amira", "Björn", "Maja", "Daniel", "Ebba", "Hassan", "Frida", "Viktor", "Noor", "Henrik", "Alva", "Kalle",
    "Astrid", "Olle", "Wilma", "Axel", "Elsa", "Hugo", "Saga", "Liam", "Agnes", "Omar", "Yasmin", "Tove",
    "Mohammed", "Aisha", "Kerstin", "Göran", "Birgitta", "Stefan", "Eva", "Magnus", "Ingrid", "Peter",
    "Malin", "Fredrik", "Jenny", "Andreas", "Camilla", "Tobias", "Zeynep", "Mehmet", "Dragana", "Milan",
    "Hiba", "Yusuf", "Päivi", "Jukka", "Selma", "Ville", "Klara", "Arvid", "Greta", "Isak", "Lova", "Edvin",
]  # fmt: skip
LAST_NAMES = [
    "Lindqvist", "Berglund", "Nyström", "Håkansson", "Sundberg", "Ekström", "Lundgren", "Holm", "Axelsson",
    "Öberg", "Åström", "Sjöberg", "Forsberg", "Wallin", "Engström", "Dahl", "Hedlund", "Karimi", "Nordin",
    "Falk", "Hassan", "Björk", "Strand", "Mohammadi", "Lind", "Blom", "Sandberg", "Vik", "Andersson",
    "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
    "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Lindström", "Olofsson", "Lindgren", "Mattsson", "Bergström", "Fredriksson", "Henriksson",
    "Ali", "Yilmaz", "Hussein", "Abdi", "Nguyen", "Petrović", "Virtanen", "Korhonen", "Kowalski", "Rahimi",
    "Åberg", "Ström", "Ek", "Nyberg", "Holmberg", "Sundqvist", "Söderberg", "Isaksson", "Hägg", "Löfgren",
]  # fmt: skip
PURPOSES = [
    "Vi finns till för invånarna i {place} och utvecklar arbetet tillsammans med dem.",
    "Ett självorganiserande team inom {department}: vi planerar, fördelar och förbättrar arbetet själva.",
    "Vi prövar nya arbetssätt inom {department} och delar det vi lär oss med andra team.",
    "",
]
ROLE_TITLES: dict[str, str] = {
    RoleAssignment.Role.FACILITATOR: "HR-utvecklare",
    RoleAssignment.Role.DEVELOPMENT_LEAD: "Utvecklingschef",
    RoleAssignment.Role.RESEARCHER: "Forskare i tjänsteforskning",
    RoleAssignment.Role.ADMINISTRATOR: "Systemförvaltare",
}


class AlreadyGenerated(Exception):
    """The database already holds a generated municipality; generating again would mix two."""


@dataclass(frozen=True)
class Login:
    email: str
    full_name: str
    what: str


@dataclass(frozen=True)
class GeneratedMunicipality:
    municipality: Unit
    people: int
    teams: int
    units: int  # below the municipality
    memberships: int
    role_assignments: int
    depth: int  # levels below the municipality
    logins: list[Login]


@dataclass
class _Department:
    """A branch of one administration while it is planned: its units and the teams in its leaves."""

    name: str
    titles: list[str]
    units: list[Unit] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


def check_size(*, people: int, teams: int) -> None:
    if teams < 1:
        raise ValueError("There must be at least one team.")
    if not MIN_PEOPLE_PER_TEAM * teams <= people <= MAX_PEOPLE_PER_TEAM * teams:
        raise ValueError(
            f"{people} people do not fill {teams} teams of {MIN_TEAM_SIZE}–{MAX_TEAM_SIZE}: "
            f"choose between {MIN_PEOPLE_PER_TEAM * teams} and {MAX_PEOPLE_PER_TEAM * teams} people."
        )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` as `parts` positive whole numbers, cut at random places."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _share(total: int, weights: list[int]) -> list[int]:
    """`total` shared by weight, at least one each, the remainder to the largest fractions."""
    rest = total - len(weights)
    exact = [rest * w / sum(weights) for w in weights]
    shares = [1 + math.floor(x) for x in exact]
    by_fraction = sorted(range(len(weights)), key=lambda i: exact[i] - math.floor(exact[i]), reverse=True)
    for i in by_fraction[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _slugs(existing: Iterable[str]) -> Callable[[str], str]:
    taken = set(existing)

    def unique(name: str) -> str:
        base = slugify(name)[:180] or "x"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    return unique


_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "ć": "c"})


def _emails() -> Callable[[str], str]:
    used: dict[str, int] = {}

    def email(full_name: str) -> str:
        base = ".".join(full_name.lower().translate(_ASCII).split(" ", 1))
        used[base] = used.get(base, 0) + 1
        return f"{base}{used[base] if used[base] > 1 else ''}@{DOMAIN}"

    return email


def _plan_branch(
    administration: Unit,
    titles: list[str],
    department_names: list[str],
    team_count: int,
    rng: random.Random,
    unit_slug: Callable[[str], str],
    team_slug: Callable[[str], str],
) -> list[_Department]:
    """Departments under an administration, local units (sometimes split in groups) under them, teams in leaves."""
    leaf_count = max(1, min(team_count, round(team_count / rng.uniform(2.5, 5))))
    department_count = max(1, min(leaf_count, round(math.sqrt(leaf_count) * rng.uniform(0.8, 1.3))))
    places = rng.sample(PLACES, len(PLACES))
    departments: list[_Department] = []
    leaves: list[tuple[_Department, Unit]] = []

    def unit(name: str, parent: Unit) -> Unit:
        return Unit(name=name, slug=unit_slug(name), kind=Unit.Kind.UNIT, parent=parent)

    for d, leaves_here in enumerate(_split(leaf_count, department_count, rng)):
        name = department_names[d % len(department_names)]
        if d >= len(department_names):
            name = f"{name} {AREAS[(d // len(department_names) - 1) % len(AREAS)]}"
        department = _Department(name=name, titles=titles, units=[unit(name, administration)])
        remaining = leaves_here
        while remaining:
            local = unit(f"{name} {places[len(leaves) % len(places)]}", department.units[0])
            department.units.append(local)
            groups = rng.randint(2, min(3, remaining)) if remaining >= 2 and rng.random() < 0.3 else 0
            for g in range(1, groups + 1):
                group = unit(f"{local.name} – grupp {g}", local)
                department.units.append(group)
                leaves.append((department, group))
            if not groups:
                leaves.append((department, local))
            remaining -= groups or 1
        departments.append(department)
    for (department, leaf), teams_here in zip(leaves, _split(team_count, len(leaves), rng), strict=True):
        words = rng.sample(TEAM_WORDS, len(TEAM_WORDS))
        for t in range(teams_here):
            word = words[t % len(words)] + (f" {t // len(words) + 1}" if t >= len(words) else "")
            name = f"{leaf.name} – team {word}"
            purpose = rng.choice(PURPOSES).format(
                place=leaf.name.split(" ")[-1], department=department.name.lower()
            )
            department.teams.append(Team(name=name, slug=team_slug(name), unit=leaf, purpose=purpose))
    return departments


def _depth(unit: Unit) -> int:
    """How far below the municipality an unwritten unit is (its parents are followed in memory)."""
    depth = 1
    while unit.kind != Unit.Kind.ADMINISTRATION and unit.parent is not None:
        unit, depth = unit.parent, depth + 1
    return depth


def _team_sizes(member_total: int, coach_counts: list[int], rng: random.Random) -> list[int]:
    """How many members besides the coaches each team gets, so that together they are `member_total`.

    Each team is left room for two people from other teams, so that no team grows beyond the largest size.
    """
    lowest = [MIN_TEAM_SIZE - c for c in coach_counts]
    room = [MAX_TEAM_SIZE - 2 - c - low for c, low in zip(coach_counts, lowest, strict=True)]
    spread = member_total - sum(lowest)
    if not 0 <= spread <= sum(room):
        raise ValueError(f"{member_total} members do not fit in {len(coach_counts)} teams.")
    weights = [rng.uniform(0.1, 1.9) for _ in coach_counts]
    extra = [min(r, math.floor(spread * w / sum(weights))) for r, w in zip(room, weights, strict=True)]
    order = rng.sample(range(len(extra)), len(extra))
    left = spread - sum(extra)
    while left:
        for i in order:
            if left and extra[i] < room[i]:
                extra[i] += 1
                left -= 1
    return [low + e for low, e in zip(lowest, extra, strict=True)]


@transaction.atomic
def generate_municipality(
    *, people: int = 12_000, teams: int = 1_000, seed: int = 1
) -> GeneratedMunicipality:
    """Generates people in teams under a tree of administrations and units: all of it, or nothing."""
    check_size(people=people, teams=teams)
    if User.objects.filter(email__iendswith=f"@{DOMAIN}").exists():
        raise AlreadyGenerated(
            f"People with @{DOMAIN} addresses are already in the database, so the municipality has been "
            "generated here before. Generate into an empty database instead."
        )
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not secrets
    municipality = Unit.objects.filter(kind=Unit.Kind.MUNICIPALITY).first() or services.unit_create(
        actor=None,
        name=MUNICIPALITY_NAME,
        kind=Unit.Kind.MUNICIPALITY,
        parent=None,
        description="En genererad, påhittad kommun för prestandaarbete. Alla personer är fiktiva.",
    )
    unit_slug = _slugs(Unit.objects.values_list("slug", flat=True))
    team_slug = _slugs(Team.objects.values_list("slug", flat=True))

    # The tree: administrations not yet under the municipality, sharing the teams by their weight.
    present = set(Unit.objects.filter(parent=municipality).values_list("name", flat=True))
    available = [a for a in ADMINISTRATIONS if a[0] not in present] or ADMINISTRATIONS
    # The large administrations every municipality has come first; the others are drawn.
    wanted = min(rng.randint(6, 10), len(available), max(1, teams // 3))
    large = [i for i, a in enumerate(available) if a[3] >= LARGE_WEIGHT][:wanted]
    others = [i for i in range(len(available)) if i not in large]
    plan = [available[i] for i in sorted(large + rng.sample(others, wanted - len(large)))]
    administrations: list[Unit] = []
    branches: list[list[_Department]] = []
    for (name, department_names, titles, _weight), team_count in zip(
        plan, _share(teams, [weight for *_rest, weight in plan]), strict=True
    ):
        administration = Unit(
            name=name,
            slug=unit_slug(name),
            kind=Unit.Kind.ADMINISTRATION,
            parent=municipality,
            description=f"En påhittad förvaltning i {municipality.name}.",
        )
        administrations.append(administration)
        branches.append(
            _plan_branch(administration, titles, department_names, team_count, rng, unit_slug, team_slug)
        )

    # The people, as indexes into `persons` until they are written: a pool of coaches per administration
    # who coach one or two teams each, members filling the teams, and a few members in a second team.
    unusable = make_password(None)
    email_for = _emails()
    persons: list[User] = []

    def new_person(title: str) -> int:
        full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        persons.append(User(email=email_for(full_name), full_name=full_name, title=title, password=unusable))
        return len(persons) - 1

    placed = [
        (a, department, team)
        for a, branch in enumerate(branches)
        for department in branch
        for team in department.teams
    ]
    coach_counts = [2 if rng.random() < 0.3 else 1 for _ in placed]
    coach_slots = [0] * len(branches)
    for (a, _department, _team), coaches in zip(placed, coach_counts, strict=True):
        coach_slots[a] += coaches
    coach_pools = [
        [new_person(rng.choice(COACH_TITLES)) for _ in range(math.ceil(slots / TEAMS_PER_COACH))]
        for slots in coach_slots
    ]
    sizes = _team_sizes(people - len(persons), coach_counts, rng)
    joined: list[tuple[int, int, str]] = []  # (team, person, role)
    in_team: list[set[int]] = [set() for _ in placed]
    teams_of: dict[int, list[int]] = {a: [] for a in range(len(branches))}
    members_of: dict[int, list[int]] = {a: [] for a in range(len(branches))}
    turns = [0] * len(branches)

    def join(team: int, person: int, role: str) -> None:
        joined.append((team, person, role))
        in_team[team].add(person)

    for t, ((a, department, _team), coaches, size) in enumerate(
        zip(placed, coach_counts, sizes, strict=True)
    ):
        teams_of[a].append(t)
        pool = coach_pools[a]
        for _ in range(min(coaches, len(pool))):  # round the pool, so every coach gets a team
            join(t, pool[turns[a] % len(pool)], Membership.Role.COACH)
            turns[a] += 1
        for _ in range(size):
            member = new_person(rng.choice(department.titles))
            join(t, member, Membership.Role.MEMBER)
            members_of[a].append(member)
    for _ in range(round(SHARE_IN_A_SECOND_TEAM * sum(sizes))):
        a = rng.randrange(len(branches))
        member, t = rng.choice(members_of[a]), rng.choice(teams_of[a])
        if len(in_team[t]) < MAX_TEAM_SIZE and member not in in_team[t]:
            join(t, member, Membership.Role.MEMBER)

    # Logins with the known password (hashed once), and roles beyond the teams.
    login_hash = make_password(LARGE_PASSWORD)
    # Members in random order: the logins come first (every team has at least three members, so they fit),
    # the other roles take as many as there are.
    picked = [persons[i] for members in members_of.values() for i in members]
    rng.shuffle(picked)
    logins: list[Login] = []
    roles: list[RoleAssignment] = []

    def login(user: User, email: str, what: str) -> None:
        user.email, user.password = email, login_hash
        logins.append(Login(email=email, full_name=user.full_name, what=what))

    def give(user: User, role: str, unit: Unit | None = None) -> None:
        user.title = ROLE_TITLES[role] if unit is None else f"{ROLE_TITLES[role]}, {unit.name}"
        roles.append(RoleAssignment(person=user, role=role, unit=unit))

    for email in ADMINISTRATOR_EMAILS:
        admin = picked.pop()
        login(admin, email, "administrator")
        give(admin, RoleAssignment.Role.ADMINISTRATOR)
    login(persons[coach_pools[0][0]], COACH_EMAIL, "coach")
    login(picked.pop(), MEMBER_EMAIL, "team member")
    wanted_roles: list[tuple[str, Unit | None]] = [
        *[(RoleAssignment.Role.RESEARCHER, None)] * 2,
        *[(RoleAssignment.Role.FACILITATOR, None)] * max(1, people // 1500),
        *[(RoleAssignment.Role.DEVELOPMENT_LEAD, administration) for administration in administrations],
    ]
    for (role, unit), user in zip(wanted_roles, reversed(picked), strict=False):
        give(user, role, unit)

    # Written level by level: bulk_create gives each parent its key before its children are written.
    levels: dict[int, list[Unit]] = {1: administrations}
    for branch in branches:
        for department in branch:
            for unit in department.units:
                levels.setdefault(_depth(unit), []).append(unit)
    for depth in sorted(levels):
        Unit.objects.bulk_create(levels[depth])
    all_teams = [team for _a, _d, team in placed]
    Team.objects.bulk_create(all_teams)
    for user in persons:  # what User.save would store; bulk_create does not call it
        user.search_text = " ".join((user.full_name, user.email, user.title)).casefold()
    User.objects.bulk_create(persons)
    Membership.objects.bulk_create(
        Membership(team=all_teams[t], person=persons[p], role=role) for t, p, role in joined
    )
    RoleAssignment.objects.bulk_create(roles)
    unit_count = sum(len(level) for level in levels.values())
    record(
        actor=None,
        obj=municipality,
        action="unit.generated",
        changes={"people": len(persons), "teams": len(all_teams), "units": unit_count, "seed": seed},
    )
    return GeneratedMunicipality(
        municipality=municipality,
        people=len(persons),
        teams=len(all_teams),
        units=unit_count,
        memberships=len(joined),
        role_assignments=len(roles),
        depth=max(levels),
        logins=logins,
    )
