"""No answer in an anonymous survey can be tied to a person: not through the models, not through any table of the
database, not through the history or the notifications, not through the API, the session or the cookies.

The people who answer get distinctive ids (seven digits, far from any other number in the database), so that a
search of every cell of every table for the id finds it wherever it is, and nowhere by chance."""

import datetime
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.organisation.factories import MembershipFactory, PersonFactory, TeamFactory
from tillit.accounts import services as accounts
from tillit.core.models import HistoryEntry
from tillit.followup import surveys
from tillit.followup.models import Answer, Recipient, Response, Survey
from tillit.followup.views.surveys import LINK_COOKIE
from tillit.notifications.models import Notification

from .survey_factories import (
    SCALE_QUESTION,
    TEXT_QUESTION,
    answer,
    answer_and_get_id,
    close,
    coach_of,
    facilitator,
    sent,
    sheet,
    survey,
    today,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
FIRST_ID = 7_310_001
ID_STEP = 1_013

# Tables that name people for reasons that have nothing to do with what they answered: the people themselves,
# their teams, that they were asked (and whether they have answered), what they were told, their login.
UNRELATED_TO_ANSWERS = {
    "accounts_user",
    "organisation_membership",
    "followup_recipient",
    "notifications_notification",
    "django_session",
    "axes_accesslog",
}


def people(team: Any, count: int, first: int = FIRST_ID) -> list[Any]:
    """Members with distinctive ids and names."""
    members = []
    for number in range(count):
        pk = first + number * ID_STEP
        person = PersonFactory.create(
            id=pk, full_name=f"Namnsson Nr{pk}", email=f"svarande{pk}@exempel.test", title="Handläggare"
        )
        MembershipFactory.create(team=team, person=person)
        members.append(person)
    return members


# --- Reading the whole database ---------------------------------------------------------------------


def plain(cell: Any) -> str:
    if isinstance(cell, uuid.UUID):
        return f"{cell.hex} {cell}"
    if isinstance(cell, memoryview | bytes):
        return bytes(cell).decode("latin-1")
    return str(cell)


Database = dict[str, tuple[list[str], set[tuple[str, ...]]]]


def everything() -> Database:
    """Every row of every table, as text."""
    found: Database = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            found[table] = (columns, {tuple(plain(cell) for cell in row) for row in cursor.fetchall()})
    return found


def rows_holding(database: Database, needle: str) -> Iterator[tuple[str, dict[str, str]]]:
    for table, (columns, rows) in database.items():
        for row in rows:
            if any(needle in cell for cell in row):
                yield table, dict(zip(columns, row, strict=True))


def tables_holding(database: Database, needle: str) -> set[str]:
    return {table for table, _row in rows_holding(database, needle)}


def changes(
    before: Database, after: Database
) -> dict[str, tuple[set[tuple[str, ...]], set[tuple[str, ...]]]]:
    """Per table: (rows that went, rows that came)."""
    found = {}
    for table, (_columns, rows) in after.items():
        old = before.get(table, ([], set()))[1]
        if rows != old:
            found[table] = (old - rows, rows - old)
    return found


def identities(person: Any) -> list[str]:
    return [str(person.pk), person.email, person.full_name]


def response_keys(response_id: Any) -> list[str]:
    return [response_id.hex, str(response_id)]


# --- The world --------------------------------------------------------------------------------------


@pytest.fixture
def world() -> dict[str, Any]:
    """An anonymous survey sent to a team of six with distinctive ids, made and sent by the coach."""
    team = TeamFactory.create(name="Team Norr")
    members = people(team, 6)
    coach = coach_of(team)
    made = sent(survey(actor=coach, team=team))
    return {"team": team, "members": members, "coach": coach, "survey": made}


def answer_everyone(world: dict[str, Any]) -> list[Any]:
    made = world["survey"]
    return [
        answer_and_get_id(made, person, value=1 + number % 5, text=f"Text nummer {number}")
        for number, person in enumerate(world["members"])
    ]


# --- (a) The answer sheets carry no identity -------------------------------------------------------------


def user_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("model", [Response, Answer, Recipient])
def test_no_time_finer_than_a_day_is_kept(model: type[models.Model]) -> None:
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField | models.DurationField), (
            field.name
        )


TIME_FIELDS = models.DateField | models.DateTimeField | models.TimeField | models.DurationField


@pytest.mark.parametrize("model", [Response, Answer])
def test_an_answer_sheet_holds_no_date_or_time_at_all(model: type[models.Model]) -> None:
    """Not even the day: the day of answering would single out whoever answered after a reminder."""
    assert [field.name for field in model._meta.concrete_fields if isinstance(field, TIME_FIELDS)] == []


def test_an_answer_sheet_holds_only_its_key_survey_team_and_person() -> None:
    """Whatever else a sheet held (a day, a running number, a session) could set it against who answered when."""
    assert {field.attname for field in Response._meta.concrete_fields} == {
        "id",
        "survey_id",
        "team_id",
        "person_id",
    }


@pytest.mark.parametrize("model", [Response, Answer])
def test_an_answer_sheets_key_is_random(model: type[models.Model]) -> None:
    key = model._meta.pk
    assert isinstance(key, models.UUIDField)
    assert key.default is uuid.uuid4


def test_an_answer_has_no_person_and_no_sheet_has_one_in_an_anonymous_survey(world: dict[str, Any]) -> None:
    ids = answer_everyone(world)
    assert user_fields(Answer) == []
    fields = user_fields(Response)
    assert [field.name for field in fields] == ["person"]
    for response in Response.objects.filter(pk__in=ids):
        for field in fields:
            assert getattr(response, field.attname) is None
        # The team whose results it counts in, and nothing else: no time, not even the day.
        assert not any(isinstance(field, TIME_FIELDS) for field in Response._meta.concrete_fields)
        assert response.team == world["team"]
        assert response.survey == world["survey"]
    assert Response.objects.filter(survey=world["survey"], person__isnull=False).count() == 0


def test_the_keys_do_not_give_away_the_order_of_answering() -> None:
    team = TeamFactory.create()
    members = people(team, 30)
    made = sent(survey(team=team, threshold=5))
    order = [answer_and_get_id(made, person) for person in members]
    assert len(set(order)) == 30
    assert all(key.version == 4 for key in order)
    assert sorted(order) != order
    assert sorted(order, key=str) != order
    assert sorted(order, reverse=True) != order
    # Nor do the answers' keys, sheet by sheet.
    first_answers = [Answer.objects.filter(response=key).order_by("item__order").first().pk for key in order]
    assert sorted(first_answers) != first_answers
    # Sorting the sheets by anything they hold gives back no order: every column but the key is the same.
    columns = {
        tuple(sorted((name, value) for name, value in row.items() if name != "id"))
        for row in Response.objects.filter(survey=made).values()
    }
    assert columns == {(("person_id", None), ("survey_id", made.pk), ("team_id", team.pk))}


# --- (b) "Who has answered" is kept apart from "what was answered" -------------------------------------


def test_who_has_answered_holds_no_time_and_no_link_to_what(world: dict[str, Any]) -> None:
    made, anna = world["survey"], world["members"][0]
    recipient = Recipient.objects.get(survey=made, person=anna)
    before = {field.attname: getattr(recipient, field.attname) for field in Recipient._meta.concrete_fields}
    answer(made, anna, 3, "Något")
    recipient.refresh_from_db()
    after = {field.attname: getattr(recipient, field.attname) for field in Recipient._meta.concrete_fields}
    assert {name for name in after if after[name] != before[name]} == {"answered"}
    assert after["answered"] is True and after["reminded_on"] is None
    related = {field.related_model for field in Recipient._meta.concrete_fields if field.is_relation}
    assert Response not in related and Answer not in related
    for model in (Response, Answer):
        assert Recipient not in {
            field.related_model for field in model._meta.concrete_fields if field.is_relation
        }


# --- (c) The whole database -------------------------------------------------------------------------


def test_answering_adds_nothing_to_the_database_that_names_the_person(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    made, members = world["survey"], world["members"]
    before = everything()
    history, notifications = HistoryEntry.objects.count(), Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        ids = answer_everyone(world)
    after = everything()
    changed = changes(before, after)
    assert set(changed) == {"followup_response", "followup_answer", "followup_recipient"}
    # Answer sheets and answers were only added; the recipients only had "answered" turned on.
    assert not changed["followup_response"][0] and not changed["followup_answer"][0]
    columns = after["followup_recipient"][0]
    went, came = changed["followup_recipient"]
    assert len(went) == len(came) == len(members)
    for old in went:
        new = only_row(came, columns, old[columns.index("id")])
        differing = {c for c, a, b in zip(columns, old, new, strict=True) if a != b}
        assert differing == {"answered"}
    # Nothing that came names anyone who answered, and no recipient row names a sheet.
    for table, (_went, came_rows) in changed.items():
        for row in came_rows:
            for person in members:
                for identity in identities(person):
                    if table == "followup_recipient" and identity == str(person.pk):
                        continue
                    assert not any(identity in cell for cell in row), (table, row, identity)
            if table == "followup_recipient":
                for key in ids:
                    assert not any(k in cell for k in response_keys(key) for cell in row)
    # No history entry and no notification was made by answering.
    assert HistoryEntry.objects.count() == history
    assert Notification.objects.count() == notifications
    assert not HistoryEntry.objects.filter(actor__in=members).exists()
    assert Response.objects.filter(pk__in=ids).count() == len(members) == made.responses.count()


def only_row(rows: set[tuple[str, ...]], columns: list[str], pk: str) -> tuple[str, ...]:
    (row,) = [row for row in rows if row[columns.index("id")] == pk]
    return row


def test_a_persons_id_is_found_only_in_tables_unrelated_to_answers(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ids = answer_everyone(world)
    surveys.survey_close(actor=world["coach"], survey=world["survey"])
    surveys.results_release(actor=world["coach"], survey=world["survey"], team=world["team"])
    database = everything()
    for person in world["members"]:
        for identity in identities(person):
            assert tables_holding(database, identity) <= UNRELATED_TO_ANSWERS, identity
        # The id is there where the person is asked, never beside a sheet or an answer.
        assert "followup_recipient" in tables_holding(database, str(person.pk))
    # Closing rewrote the sheets under new keys: the keys seen while the survey was open are nowhere.
    for key in ids:
        assert not tables_holding(database, key.hex) and not tables_holding(database, str(key)), key
    keys = list(Response.objects.filter(survey=world["survey"]).values_list("pk", flat=True))
    assert len(keys) == len(ids) and not set(keys) & set(ids)
    for key in keys:
        assert tables_holding(database, key.hex) | tables_holding(database, str(key)) == {
            "followup_response",
            "followup_answer",
        }
        for _table, row in rows_holding(database, key.hex):
            for person in world["members"]:
                assert not any(identity in cell for identity in identities(person) for cell in row.values())


def test_no_row_ties_a_person_to_an_answer_value(world: dict[str, Any]) -> None:
    answer_everyone(world)
    database = everything()
    for person in world["members"]:
        for table, row in rows_holding(database, str(person.pk)):
            assert table in UNRELATED_TO_ANSWERS
            # Nothing in the row holds an answer or points at an answer sheet.
            assert not {"value", "chosen", "item_id"} & set(row), (table, row)
            assert not any(name.startswith("response") for name in row), (table, row)


def test_history_and_notifications_say_only_that_the_survey_was_sent(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    made, members = world["survey"], world["members"]
    with django_capture_on_commit_callbacks(execute=True):
        answer_everyone(world)
    for entry in HistoryEntry.objects.all():
        text = json.dumps(entry.changes) + entry.object_repr + entry.object_id
        for person in members:
            assert entry.actor_id != person.pk
            assert not any(identity in text for identity in identities(person))
    actions = set(HistoryEntry.objects.for_object(made).values_list("action", flat=True))
    assert not {action for action in actions if "answer" in action or "response" in action}
    # The notification each was sent when the survey went out is all there is.
    assert {(n.person_id, n.key) for n in Notification.objects.filter(person__in=members)} <= {
        (person.pk, f"survey:{made.pk}") for person in members
    }


def sheets_as_stored(made: Survey) -> list[tuple[Any, str]]:
    """The survey's sheets in the database's own order (no ORDER BY: SQLite's rowid, PostgreSQL's heap), each with
    its key and the free text written on it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM followup_response WHERE survey_id = %s", [made.pk])
        stored = [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
    texts = dict(
        Answer.objects.filter(response__survey=made, item__text=TEXT_QUESTION).values_list(
            "response_id", "text"
        )
    )
    return [(key, texts[key]) for key in stored]


def answer_texts_as_stored(made: Survey) -> list[str]:
    """The free texts of the survey in the order the answer rows lie in the database (no ORDER BY)."""
    item = made.items.get(text=TEXT_QUESTION)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM followup_answer WHERE item_id = %s", [item.pk])
        return [row[0] for row in cursor.fetchall()]


def test_the_day_of_answering_does_not_single_out_who_was_reminded(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five answer on the first day; the sixth is reminded and answers later. Whoever reads the database must
    not be able to tell which sheet is the reminded person's from the day it was written."""
    made, members = world["survey"], world["members"]
    for person in members[:5]:
        answer(made, person, 5, "Tidigt svar")
    assert surveys.send_reminders(today=made.closes_on - datetime.timedelta(days=2)) == 1
    late = made.closes_on - datetime.timedelta(days=1)
    real_localdate, real_now = timezone.localdate, timezone.now
    later = real_now() + datetime.timedelta(days=(late - today()).days)
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: late if value is None else real_localdate(value, tz),
    )
    monkeypatch.setattr(timezone, "now", lambda: later)
    answer(made, members[5], 1, "Sent svar")
    monkeypatch.undo()
    # What the database says: who was reminded and then answered...
    reminded = Recipient.objects.get(survey=made, answered=True, reminded_on__isnull=False)
    assert reminded.person == members[5]
    # ...but the sheets are alike in every column but their random key: none says when it was written.
    rows = list(Response.objects.filter(survey=made).values())
    assert len(rows) == 6
    assert len({tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows}) == 1
    for row in rows:
        assert not any(isinstance(value, datetime.date) for value in row.values()), row
    answer_rows = list(Answer.objects.filter(response__survey=made).values())
    for row in answer_rows:
        assert not any(isinstance(value, datetime.date) for value in row.values()), row
    # And once closed, not even the order the sheets are stored in follows the order of answering.
    close(made)
    assert {text for _key, text in sheets_as_stored(made)} == {"Tidigt svar", "Sent svar"}


def test_the_order_in_which_sheets_are_stored_does_not_give_away_who_answered_last() -> None:
    """The sheet written last is the one of whoever answered last (e.g. the one person reminded). While the survey
    is open the sheets lie in the order they came (a known risk, documented); when it closes they are rewritten in
    random order under new keys, so that neither the database's own order of the rows nor the keys follow the
    order of answering, and the keys seen while it was open are gone."""
    team = TeamFactory.create()
    members = people(team, 30)
    made = sent(survey(team=team))
    # Each sheet is told apart by its text: the number of the person in the order of answering.
    order = [
        answer_and_get_id(made, person, text=f"Svar {number:02d}") for number, person in enumerate(members)
    ]
    in_order = [f"Svar {number:02d}" for number in range(30)]
    old_answer_keys = set(Answer.objects.filter(response__survey=made).values_list("pk", flat=True))
    # The check sees the order while the survey is open: the sheets and answers lie as they came.
    assert [key for key, _text in sheets_as_stored(made)] == order
    assert [text for _key, text in sheets_as_stored(made)] == in_order
    assert answer_texts_as_stored(made) == in_order
    close(made)
    stored = sheets_as_stored(made)
    assert sorted(text for _key, text in stored) == in_order
    # A random order of 30 sheets matches the order of answering once in 30! (about 1e-32): never by chance.
    assert [text for _key, text in stored] != in_order
    assert [text for _key, text in stored] != in_order[::-1]
    assert answer_texts_as_stored(made) != in_order
    assert sorted(answer_texts_as_stored(made)) == in_order
    # New keys, sheets and answers alike; sorted by key, the sheets are in no order of answering either.
    keys = [key for key, _text in stored]
    assert not set(keys) & set(order)
    assert not Response.objects.filter(pk__in=order).exists()
    assert (
        not set(Answer.objects.filter(response__survey=made).values_list("pk", flat=True)) & old_answer_keys
    )
    assert all(key.version == 4 for key in keys)
    by_key = dict(stored)
    assert [by_key[key] for key in sorted(keys)] != in_order
    assert [by_key[key] for key in sorted(keys, key=str)] != in_order


@pytest.mark.parametrize("how", ["by_date", "by_hand"])
def test_a_closed_survey_cannot_be_reopened_for_one_more_answer(world: dict[str, Any], how: str) -> None:
    """After the team has seen the results, one more answer would be given away by the difference between the
    two sets of results (a free text appears in the list): a closed survey never opens again."""
    made, members = world["survey"], world["members"]
    for person in members[:5]:
        answer(made, person, 4, "Tidigt svar")
    if how == "by_date":
        Survey.objects.filter(pk=made.pk).update(
            opens_on=made.opens_on - datetime.timedelta(days=10),
            closes_on=today() - datetime.timedelta(days=1),
        )
    else:
        close(made)
    made.refresh_from_db()
    closes_on = made.closes_on
    assert surveys.is_closed(made)
    for later in (today(), today() + datetime.timedelta(days=3), closes_on + datetime.timedelta(days=30)):
        with pytest.raises(ValidationError) as error:
            surveys.survey_update(actor=world["coach"], survey=made, closes_on=later)
        assert "closes_on" in error.value.message_dict
    made.refresh_from_db()
    assert made.closes_on == closes_on
    assert surveys.is_closed(made) and not surveys.is_open(made)
    with pytest.raises(ValidationError):
        answer(made, members[5], 1, "Sent svar")
    assert made.responses.count() == 5
    assert not Answer.objects.filter(response__survey=made, text="Sent svar").exists()


def test_closing_rewrites_only_the_sheets_the_survey_and_its_history(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Closing rewrites the sheets and answers (same content, new keys, new order), marks the survey closed and
    records that it was: nothing else changes, and nothing it writes names anyone who answered."""
    made, members = world["survey"], world["members"]
    ids = answer_everyone(world)

    def content() -> list[tuple[Any, ...]]:
        return sorted(
            Answer.objects.filter(response__survey=made).values_list(
                "response__team_id", "response__person_id", "item_id", "value", "chosen", "text"
            ),
            key=str,
        )

    answered = content()
    before = everything()
    with django_capture_on_commit_callbacks(execute=True):
        close(made)
    changed = changes(before, everything())
    assert set(changed) == {
        "followup_response",
        "followup_answer",
        "followup_survey",
        HistoryEntry._meta.db_table,
    }
    # Every sheet and answer went, and came back with the same content under new keys.
    assert len(changed["followup_response"][0]) == len(changed["followup_response"][1]) == len(members)
    assert len(changed["followup_answer"][0]) == len(changed["followup_answer"][1])
    assert content() == answered
    assert not Response.objects.filter(pk__in=ids).exists()
    # The survey only got its closing time, and the history one entry that says it closed.
    went, came = changed["followup_survey"]
    columns = before["followup_survey"][0]
    ((old,), (new,)) = (went, came)
    assert {c for c, a, b in zip(columns, old, new, strict=True) if a != b} == {"closed_at"}
    assert not changed[HistoryEntry._meta.db_table][0]
    assert [entry.action for entry in HistoryEntry.objects.filter(action="survey.closed")] == [
        "survey.closed"
    ]
    for table, (_went, came_rows) in changed.items():
        for row in came_rows:
            for person in members:
                assert not any(identity in cell for identity in identities(person) for cell in row), (
                    table,
                    row,
                )
            for key in ids:
                assert not any(k in cell for k in response_keys(key) for cell in row), (table, row)
    assert not HistoryEntry.objects.filter(actor__in=members).exists()


# --- (d) The API gives only aggregates --------------------------------------------------------------------


def api_for(person: Any) -> Client:
    _token, key = accounts.api_token_create(actor=person, user=person, name="Rapportverktyg")
    return Client(headers={"Authorization": f"Bearer {key}"})


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value)
        for inner in value.values():
            found |= keys_in(inner)
        return found
    if isinstance(value, list):
        return set().union(*(keys_in(inner) for inner in value)) if value else set()
    return set()


GROUP_KEYS = {"label", "team", "answered", "shown", "items"}
ITEM_KEYS = {"key", "question", "kind", "answered", "mean", "counts", "texts"}


def test_the_api_gives_aggregates_only(world: dict[str, Any]) -> None:
    made, coach = world["survey"], world["coach"]
    ids = answer_everyone(world)
    close(made)
    response = api_for(coach).get(f"/api/surveys/{made.pk}/results")
    assert response.status_code == 200
    (group,) = response.json()
    assert set(group) == GROUP_KEYS
    assert (group["team"], group["answered"], group["shown"]) == (world["team"].slug, 6, True)
    for found in group["items"]:
        assert set(found) == ITEM_KEYS
        assert all(isinstance(count, int) for count in found["counts"].values())
    scale = next(found for found in group["items"] if found["question"] == SCALE_QUESTION)
    assert scale["mean"] == pytest.approx((1 + 2 + 3 + 4 + 5 + 1) / 6, abs=0.05)
    assert sum(scale["counts"].values()) == 6
    text = next(found for found in group["items"] if found["question"] == TEXT_QUESTION)
    assert text["texts"] == sorted((f"Text nummer {n}" for n in range(6)), key=str.casefold)
    body = response.content.decode()
    for key in ids:
        assert key.hex not in body and str(key) not in body
    for person in world["members"]:
        assert not any(identity in body for identity in identities(person))
    for forbidden in ("person", "respondent", "response_id", "submitted", "recipient", "email"):
        assert forbidden not in keys_in(response.json())


def test_the_api_gives_nothing_for_a_group_below_the_threshold(world: dict[str, Any]) -> None:
    made, members = world["survey"], world["members"]
    for number, person in enumerate(members[:4]):
        answer(made, person, number + 1, f"Hemlig text {number}")
    close(made)
    for viewer in (world["coach"], members[0], members[5]):
        response = api_for(viewer).get(f"/api/surveys/{made.pk}/results")
        assert response.status_code == 200
        assert response.json() == [
            {
                "label": world["team"].name,
                "team": world["team"].slug,
                "answered": 4,
                "shown": False,
                "items": [],
            }
        ]
        assert "Hemlig" not in response.content.decode()


def test_the_api_over_the_session_gives_the_same(world: dict[str, Any], client: Client) -> None:
    made = world["survey"]
    answer_everyone(world)
    close(made)
    client.force_login(world["members"][0])
    response = client.get(f"/api/surveys/{made.pk}/results")
    assert response.status_code == 200
    (group,) = response.json()
    assert group["shown"] is True
    assert set(group) == GROUP_KEYS
    # Anna answered, and five others did too: the texts are shown to her as well.
    assert all(found["texts"] is not None for found in group["items"] if found["kind"] == "text")


def test_the_api_refuses_those_not_asked_and_those_without_credentials(world: dict[str, Any]) -> None:
    made = world["survey"]
    answer_everyone(world)
    close(made)
    outsider = MembershipFactory.create(team=TeamFactory.create()).person
    assert api_for(outsider).get(f"/api/surveys/{made.pk}/results").status_code == 403
    assert Client().get(f"/api/surveys/{made.pk}/results").status_code == 401
    assert Client().get("/api/surveys").status_code == 401


def test_the_api_has_no_way_to_an_answer_sheet(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    survey_paths = {path: item for path, item in schema["paths"].items() if "survey" in path}
    assert set(survey_paths) == {"/api/surveys", "/api/surveys/{survey_id}/results"}
    for item in survey_paths.values():
        assert set(item) == {"get"}
    for path in schema["paths"]:
        assert "response" not in path and "answer" not in path and "recipient" not in path
    components = schema["components"]["schemas"]
    for name in ("GroupOut", "ItemOut", "SurveyOut"):
        properties = set(components[name]["properties"])
        assert not {"person", "person_id", "response", "responses", "submitted_on", "recipients"} & properties
    assert set(components["GroupOut"]["properties"]) == GROUP_KEYS
    assert set(components["ItemOut"]["properties"]) == ITEM_KEYS


# --- (e) The answer flow leaves nothing in the session or the cookies ------------------------------------

AUTH_SESSION_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash"}


def test_answering_on_the_page_keeps_nothing_in_the_session_or_cookies(
    world: dict[str, Any], client: Client
) -> None:
    made, anna = world["survey"], world["members"][0]
    client.force_login(anna)
    url = reverse("followup:answer", args=[made.pk])
    assert client.get(url).status_code == 200
    session_before = dict(client.session.items())
    before = everything()
    data = {f"item_{pk}": value for pk, value in sheet(made, 4, "Mer tid till reflektion").items()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert made.responses.count() == 1
    key = made.responses.get().pk
    assert dict(client.session.items()) == session_before
    assert set(client.session.keys()) <= AUTH_SESSION_KEYS
    for name, morsel in response.cookies.items():
        assert not any(k in morsel.value for k in response_keys(key)), name
        assert str(made.pk) not in name
    for morsel in client.cookies.values():
        assert key.hex not in morsel.value and str(key) not in morsel.value
    # The page saved only the sheet, its answers and that Anna has answered.
    assert set(changes(before, everything())) == {
        "followup_response",
        "followup_answer",
        "followup_recipient",
    }
    assert Response.objects.get().person is None
    assert key.hex not in response.content.decode() and str(key) not in response.content.decode()


def test_a_link_survey_remembers_only_that_this_browser_answered(client: Client) -> None:
    made = sent(survey(actor=facilitator(), audience="link"))
    url = reverse("followup:answer_link", args=[made.link_token])
    assert client.get(url).status_code == 200
    data = {f"item_{pk}": value for pk, value in sheet(made, 2, "Bra möte").items()}
    response = client.post(url, data)
    assert response.status_code == 200
    cookie = LINK_COOKIE.format(pk=made.pk)
    assert response.cookies[cookie].value == "1"
    assert set(response.cookies) <= {cookie, "csrftoken"}
    assert response.cookies[cookie]["httponly"]
    assert "sessionid" not in client.cookies
    assert Response.objects.filter(survey=made).count() == 1


def test_a_link_answer_from_someone_logged_in_carries_no_identity(client: Client) -> None:
    made = sent(survey(actor=facilitator(), audience="link"))
    person = people(TeamFactory.create(), 1)[0]
    client.force_login(person)
    url = reverse("followup:answer_link", args=[made.link_token])
    session_before = dict(client.session.items())
    data = {f"item_{pk}": value for pk, value in sheet(made, 2, "Bra").items()}
    assert client.post(url, data).status_code == 200
    saved = Response.objects.get(survey=made)
    assert (saved.person, saved.team) == (None, None)
    assert dict(client.session.items()) == session_before
    assert not Recipient.objects.filter(person=person).exists()
    assert tables_holding(everything(), str(person.pk)) <= UNRELATED_TO_ANSWERS


# --- (f) A named survey does keep the person: the checks above can fail ----------------------------------


def test_a_named_survey_keeps_the_person_and_the_checks_see_it() -> None:
    team = TeamFactory.create()
    members = people(team, 5, first=7_520_003)
    made = sent(survey(actor=coach_of(team), team=team, anonymous=False))
    keys = [answer_and_get_id(made, person, 4, "Med namn") for person in members]
    for person, key in zip(members, keys, strict=True):
        assert Response.objects.get(pk=key).person == person
    database = everything()
    for person in members:
        assert "followup_response" in tables_holding(database, str(person.pk))
        assert not tables_holding(database, str(person.pk)) <= UNRELATED_TO_ANSWERS


def test_anonymity_cannot_be_turned_off_once_sent(world: dict[str, Any]) -> None:
    made = world["survey"]
    answer_everyone(world)
    with pytest.raises(ValidationError):
        surveys.survey_update(actor=world["coach"], survey=made, anonymous=False)
    made.refresh_from_db()
    assert made.anonymous is True
    assert not Response.objects.filter(survey=made, person__isnull=False).exists()
