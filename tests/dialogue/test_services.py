from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.core.models import HistoryEntry
from tillit.dialogue import services
from tillit.dialogue.models import Dialogue, Statement, Step

from .factories import facilitator, join_many, make_dialogue

pytestmark = pytest.mark.django_db


def opened(**kwargs) -> Dialogue:
    actor = facilitator()
    dialogue = make_dialogue(actor, **kwargs)
    return services.dialogue_open(actor=actor, dialogue=dialogue)


def test_the_norrkoping_template_gives_the_three_steps():
    dialogue = make_dialogue(template="norrkoping")
    steps = list(dialogue.steps.order_by("order"))
    assert [s.kind for s in steps] == ["reflection", "table", "plenary"]
    assert steps[0].question == "Hur har vi det nu?"
    assert len(dialogue.join_code) == 6 and dialogue.status == "draft"
    assert HistoryEntry.objects.for_object(dialogue).get().action == "dialogue.created"


def test_named_tables_need_names_that_differ():
    with pytest.raises(ValidationError):
        make_dialogue(table_mode="named", table_names=[])
    with pytest.raises(ValidationError):
        make_dialogue(table_mode="named", table_names=["Eldkvarn", "eldkvarn"])
    dialogue = make_dialogue(table_mode="named", table_names=["Eldkvarn", "Strömvirveln"])
    assert list(dialogue.tables.values_list("name", flat=True)) == ["Eldkvarn", "Strömvirveln"]


def test_automatic_tables_fill_evenly_as_people_arrive():
    dialogue = opened(table_size=4)
    people = join_many(dialogue, 10)
    assert dialogue.tables.count() == 3
    assert sorted(t.participants.count() for t in dialogue.tables.all()) == [2, 4, 4]
    assert all(p.table is not None for p in people)


def test_a_participant_keeps_their_place_with_their_token():
    dialogue = opened()
    participant, token = services.participant_join(dialogue=dialogue)
    again, same_token = services.participant_join(dialogue=dialogue, token=token)
    assert again.pk == participant.pk and same_token == token
    assert dialogue.participants.count() == 1


def test_nobody_joins_a_draft_or_finished_dialogue_and_named_dialogues_need_a_name():
    actor = facilitator()
    draft = make_dialogue(actor)
    with pytest.raises(ValidationError):
        services.participant_join(dialogue=draft)
    named = services.dialogue_open(actor=actor, dialogue=make_dialogue(actor, anonymous=False))
    with pytest.raises(ValidationError):
        services.participant_join(dialogue=named, name="  ")
    participant, _token = services.participant_join(dialogue=named, name="Pontus")
    assert participant.display_name == "Pontus"


def test_steps_run_in_order_with_a_timer_that_can_be_extended_and_paused():
    actor = facilitator()
    dialogue = services.dialogue_open(actor=actor, dialogue=make_dialogue(actor))
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    assert dialogue.current_step.kind == "reflection" and dialogue.status == "running"
    ends = dialogue.step_ends_at
    assert ends - dialogue.step_started_at == timedelta(minutes=5)
    dialogue = services.dialogue_extend(actor=actor, dialogue=dialogue)
    assert dialogue.step_ends_at >= ends + timedelta(seconds=59)
    dialogue = services.dialogue_pause(actor=actor, dialogue=dialogue)
    assert dialogue.status == "paused" and dialogue.paused_remaining > timedelta(minutes=5)
    dialogue = services.dialogue_pause(actor=actor, dialogue=dialogue)
    assert dialogue.status == "running" and dialogue.step_ends_at > timezone.now() + timedelta(minutes=5)
    for kind in ("table", "plenary"):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
        assert dialogue.current_step.kind == kind
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    assert dialogue.status == "finished" and dialogue.current_step is None
    with pytest.raises(ValidationError):
        services.dialogue_advance(actor=actor, dialogue=dialogue)
    actions = list(HistoryEntry.objects.for_object(dialogue).values_list("action", flat=True))
    assert actions == ["dialogue.finished", "dialogue.started", "dialogue.opened", "dialogue.created"]


def test_the_three_steps_from_notes_to_votes():
    actor = facilitator()
    dialogue = services.dialogue_open(
        actor=actor, dialogue=make_dialogue(actor, table_mode="named", table_names=["Eldkvarn", "Ektorp"])
    )
    eldkvarn, ektorp = dialogue.tables.order_by("number")
    a = services.participant_join(dialogue=dialogue, table=eldkvarn)[0]
    b = services.participant_join(dialogue=dialogue, table=eldkvarn)[0]
    c = services.participant_join(dialogue=dialogue, table=ektorp)[0]
    with pytest.raises(ValidationError):
        services.note_add(participant=a, text="För tidigt")
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.note_add(participant=a, text="Delaktighet")
    services.note_add(participant=b, text="Tid att reflektera")
    services.note_add(participant=c, text="Kommunikation")
    with pytest.raises(ValidationError) as error:
        services.note_add(participant=c, text="Ring 811218-9876")
    assert "811218-9876" in str(error.value)
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    with pytest.raises(ValidationError):
        services.note_add(participant=a, text="Nu är det bordssamtal")
    services.summary_save(participant=a, text="Tid\nFörberedelse och reflektion")
    summary = services.summary_save(
        participant=b, text="Tid\nFörberedelse och reflektion\nUthållighet", agreed=True
    )
    assert summary.agreed and summary.version == 2 and summary.points[-1] == "Uthållighet"
    services.summary_save(participant=c, text="- Kommunikation\n- Tydlighet")
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    statements = list(dialogue.statements.order_by("order").values_list("text", flat=True))
    assert statements == ["Tid", "Förberedelse och reflektion", "Uthållighet", "Kommunikation", "Tydlighet"]
    first = Statement.objects.get(text="Tid")
    services.vote_cast(participant=c, statement=first, value=1)
    services.vote_cast(participant=c, statement=first, value=-1)
    assert first.votes.get().value == -1
    with pytest.raises(ValidationError):
        services.vote_cast(participant=c, statement=first, value=5)


def test_a_hidden_statement_gets_no_votes():
    actor = facilitator()
    dialogue = services.dialogue_open(actor=actor, dialogue=make_dialogue(actor))
    participant = services.participant_join(dialogue=dialogue)[0]
    for _ in range(2):
        dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    services.summary_save(participant=participant, text="Olämpligt")
    dialogue = services.dialogue_advance(actor=actor, dialogue=dialogue)
    statement = dialogue.statements.get()
    services.statement_hide(actor=actor, statement=statement)
    with pytest.raises(ValidationError):
        services.vote_cast(participant=participant, statement=statement, value=1)


def test_step_questions_and_durations_can_be_changed_until_the_end():
    actor = facilitator()
    dialogue = make_dialogue(actor)
    step = dialogue.steps.get(order=1)
    services.step_update(actor=actor, step=step, question="Hur mår vi?", minutes=7)
    step.refresh_from_db()
    assert (step.question, step.duration) == ("Hur mår vi?", timedelta(minutes=7))
    with pytest.raises(ValidationError):
        services.step_update(actor=actor, step=step, question="Hur mår vi?", minutes=0)
    assert Step.objects.get(pk=step.pk).duration == timedelta(minutes=7)
