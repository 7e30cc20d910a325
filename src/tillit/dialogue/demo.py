"""A finished dialogue for the demo: the managers' day at four named tables, with notes, the tables'
summaries and an agreement round, so that the results page has words, themes and opinion groups to show.
Fictional throughout; made through the same services as a real session."""

import random

from django.db import transaction

from tillit.dialogue import services
from tillit.dialogue.models import Dialogue, Statement, Step

TABLES = ["Eldkvarn", "Ektorp", "Strömmen", "Hageby"]
NOTES = [
    "Delaktighet i besluten",
    "Vi är delaktiga när vi får ta ansvar",
    "Delaktighet och tillit",
    "Mer delaktighet för medarbetarna",
    "Tydliga mål för teamet",
    "Tydliga mål och uppföljning som lär oss något",
    "Tydligare mål i vardagen",
    "Tid för reflektion",
    "Tid att prata med kollegor",
    "Mer tid för varandra och mindre administration",
    "Mindre administration och färre rapporter",
    "Onödig administration tar tid från brukarna",
    "Tillit från ledningen",
    "Tillit mellan chef och medarbetare",
    "Kommunikation som når alla",
    "Öppen kommunikation i teamet",
    "Brukarens perspektiv först",
    "Att se brukaren som expert",
    "Stöd från coachen när det behövs",
    "Kompetensutveckling",
    "Modet att pröva nytt",
    "Arbetsglädje",
    "Bra kommunikation mellan enheterna",
    "Delaktighet på APT",
]
SUMMARIES = {
    "Eldkvarn": "Delaktighet i besluten\nTydliga mål\nTid för reflektion",
    "Ektorp": "Mindre administration\nTillit från ledningen\nDelaktighet i besluten",
    "Strömmen": "Brukarens perspektiv först\nÖppen kommunikation\nTydliga mål",
    "Hageby": "Stöd från coachen\nModet att pröva nytt\nMindre administration",
}


@transaction.atomic
def load_demo_dialogue(facilitator: object) -> Dialogue:
    """Creates the finished "Chefsdagen" dialogue; returns it."""
    dialogue = services.dialogue_create(
        actor=facilitator,
        title="Chefsdagen 2026",
        description="Framgångsfaktorer för tillitsbaserad styrning, chefsdagen i Exempelstad.",
        table_mode=Dialogue.TableMode.NAMED,
        table_names=TABLES,
    )
    dialogue = services.dialogue_open(actor=facilitator, dialogue=dialogue)
    tables = list(dialogue.tables.order_by("number"))
    people = [
        services.participant_join(dialogue=dialogue, table=tables[number % len(tables)])[0]
        for number in range(len(NOTES))
    ]
    dialogue = services.dialogue_advance(actor=facilitator, dialogue=dialogue)
    for person, text in zip(people, NOTES, strict=True):
        services.note_add(participant=person, text=text)
    dialogue = services.dialogue_advance(actor=facilitator, dialogue=dialogue)
    for table in tables:
        writer = next(person for person in people if person.table_id == table.pk)
        services.summary_save(participant=writer, text=SUMMARIES[table.name], agreed=True)
    dialogue = services.dialogue_advance(actor=facilitator, dialogue=dialogue)
    assert dialogue.current_step is not None and dialogue.current_step.kind == Step.Kind.PLENARY
    # Two camps and a shared core, so that the agreement round has consensus and division to show.
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    statements = list(Statement.objects.filter(dialogue=dialogue).order_by("order"))
    for number, person in enumerate(people):
        camp = number % 2
        for statement in statements:
            if rng.random() < 0.15:
                continue
            text = statement.text.casefold()
            if "delaktighet" in text or "tillit" in text:
                value = 1
            elif "administration" in text or "pröva" in text:
                value = 1 if camp == 0 else -1
            elif "mål" in text:
                value = -1 if camp == 0 else 1
            else:
                value = rng.choice([1, 1, 0, -1])
            services.vote_cast(participant=person, statement=statement, value=value)
    dialogue = services.dialogue_advance(actor=facilitator, dialogue=dialogue)
    services.statement_carry_onward(
        actor=facilitator,
        statement=statements[3],
        onward="Ektorps team kartlägger sina rapporter och föreslår vilka som kan tas bort, till APT i januari.",
    )
    return dialogue
