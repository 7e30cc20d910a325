import pytest

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.core.history import changes_between, describe, record
from tillit.core.models import AppendOnlyError, HistoryEntry

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

    assert describe("team.created") == "Team created"
    assert describe("unknown.action") == "unknown.action"
