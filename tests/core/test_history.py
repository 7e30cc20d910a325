import pytest
from django.utils import translation

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.core.history import changes_between, describe, record
from tillit.core.models import AppendOnlyError, HistoryEntry
from tillit.core.templatetags.tillit import change_text

pytestmark = pytest.mark.django_db


def test_history_can_be_written_but_never_changed_or_deleted():
    team = TeamFactory()
    actor = PersonFactory()
    entry = record(actor=actor, obj=team, action="team.changed", changes={"purpose": ["a", "b"]})
    entry.action = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.all().delete()
    stored = HistoryEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.actor, stored.changes) == ("team.changed", actor, {"purpose": ["a", "b"]})


def test_history_belongs_to_its_object_newest_first():
    team, other = TeamFactory(), TeamFactory()
    record(actor=None, obj=team, action="team.created")
    record(actor=None, obj=other, action="team.created")
    record(actor=None, obj=team, action="team.changed")
    assert [e.action for e in HistoryEntry.objects.for_object(team)] == ["team.changed", "team.created"]
    assert HistoryEntry.objects.for_object(team).first().actor is None


def test_changes_between_lists_only_differences():
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_actions_are_described_in_words():
    import tillit.organisation.services  # noqa: F401 - registers the organisation's action labels

    with translation.override("sv"):
        assert describe("team.created") == "Team skapat"
    with translation.override("en"):
        assert describe("team.created") == "Team created"
    assert describe("unknown.action") == "unknown.action"


def test_stored_choices_are_shown_in_the_readers_language():
    import tillit.organisation.services  # noqa: F401 - registers the organisation's value labels

    with translation.override("sv"):
        assert change_text(["member", "coach"], "role") == "Teammedlem → Coach"
    with translation.override("en"):
        assert change_text(["member", "coach"], "role") == "Team member → Coach"
    assert change_text(None, "role") == "–"
