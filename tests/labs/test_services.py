"""What may happen to labs, initiatives, effect goals and ideas, checked in the services."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.organisation.factories import PersonFactory, TeamFactory
from tillit.core.models import HistoryEntry
from tillit.labs import services
from tillit.labs.models import (
    LEARNING_FIELDS,
    Attachment,
    EffectGoal,
    Idea,
    IdeaUpdate,
    Indicator,
    Initiative,
    Lab,
    Link,
    Measurement,
    Track,
)
from tillit.notifications.models import Notification

from .factories import (
    LEARNINGS,
    PERSONNUMMER,
    LabFactory,
    days_ago,
    development_lead,
    ended,
    goal,
    idea,
    indicator,
    initiative,
    measurement,
)

pytestmark = pytest.mark.django_db


def history(obj: Any, action: str) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(action=action, object_id=str(obj.pk)).order_by("pk"))


def fields_of(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


@pytest.fixture
def lead() -> Any:
    return development_lead(full_name="Kristina Holmér")


# Labs and tracks.


def test_a_lab_is_created_with_a_slug_and_history(lead: Any) -> None:
    lab = services.lab_create(
        actor=lead,
        name="Självstyrande team",
        description="Ett hypoteslabb.",
        hypothesis="Team som styr sig själva skapar värde.",
        research_partners="Karlstads universitet\n\nCentrum för tjänsteforskning\n",
    )
    assert Lab.objects.get().slug == "sjalvstyrande-team"
    assert lab.partner_list == ["Karlstads universitet", "Centrum för tjänsteforskning"]
    (entry,) = history(lab, "lab.created")
    assert entry.actor == lead and entry.changes["name"] == "Självstyrande team"
    again = services.lab_create(actor=lead, name="Självstyrande team 2", description="x", hypothesis="y")
    assert again.slug != lab.slug


def test_a_track_name_is_unique_within_its_lab_only(lead: Any) -> None:
    lab, other = LabFactory.create(), LabFactory.create()
    services.track_add(actor=lead, lab=lab, name="Socialtjänst")
    with pytest.raises(ValidationError):
        services.track_add(actor=lead, lab=lab, name="Socialtjänst")
    assert Track.objects.filter(lab=lab).count() == 1
    services.track_add(actor=lead, lab=other, name="Socialtjänst")
    assert Track.objects.filter(name="Socialtjänst").count() == 2
    assert [e.changes for e in history(lab, "lab.track_added")] == [{"track": "Socialtjänst"}]


# Initiatives.


def test_an_initiative_is_created_with_history_teams_and_creator(lead: Any) -> None:
    lab = LabFactory.create()
    track = services.track_add(actor=lead, lab=lab, name="Socialtjänst")
    team = TeamFactory.create()
    made = initiative(actor=lead, lab=lab, track=track, teams=[team], title="Ökad delaktighet")
    made = Initiative.objects.get(pk=made.pk)
    assert made.slug == "okad-delaktighet"
    assert made.created_by == lead and list(made.teams.all()) == [team]
    assert made.status == Initiative.Status.ONGOING and made.published_at is None
    (entry,) = history(made, "initiative.created")
    assert entry.changes["title"] == "Ökad delaktighet" and entry.changes["track"] == "Socialtjänst"


def test_an_initiative_track_must_belong_to_its_lab(lead: Any) -> None:
    lab, other = LabFactory.create(), LabFactory.create()
    foreign = services.track_add(actor=lead, lab=other, name="Skola och fritid")
    with pytest.raises(ValidationError) as error:
        initiative(actor=lead, lab=lab, track=foreign)
    assert fields_of(error) == {"track"}
    with pytest.raises(ValidationError):
        initiative(actor=lead, lab=None, track=foreign)
    assert not Initiative.objects.exists()
    made = initiative(actor=lead, lab=lab)
    with pytest.raises(ValidationError) as error:
        services.initiative_update(actor=lead, initiative=made, track=foreign)
    assert fields_of(error) == {"track"}
    assert Initiative.objects.get(pk=made.pk).track is None


def test_a_pilot_period_cannot_end_before_it_starts(lead: Any) -> None:
    with pytest.raises(ValidationError) as error:
        initiative(actor=lead, pilot_start=datetime.date(2026, 4, 1), pilot_end=datetime.date(2026, 3, 31))
    assert fields_of(error) == {"pilot_end"}
    assert not Initiative.objects.exists()
    made = initiative(actor=lead, pilot_start=datetime.date(2026, 4, 1), pilot_end=datetime.date(2026, 4, 1))
    assert made.pilot_end == datetime.date(2026, 4, 1)


def test_an_update_records_what_changed_and_the_teams(lead: Any) -> None:
    first, second = TeamFactory.create(name="Team Norr"), TeamFactory.create(name="Team Söder")
    made = initiative(actor=lead, teams=[first], area="Omsorg")
    services.initiative_update(actor=lead, initiative=made, area="Lärande och etablering", teams=[second])
    made.refresh_from_db()
    assert made.area == "Lärande och etablering"
    assert list(made.teams.all()) == [second]
    changes = [entry.changes for entry in history(made, "initiative.changed")]
    assert {"area": ["Omsorg", "Lärande och etablering"]} in changes
    assert {"teams": ["Team Norr", "Team Söder"]} in changes
    # Saving the same values again records nothing.
    services.initiative_update(actor=lead, initiative=made, area="Lärande och etablering", teams=[second])
    assert len(history(made, "initiative.changed")) == 2


def test_unknown_fields_are_a_programming_error(lead: Any) -> None:
    made = initiative(actor=lead)
    with pytest.raises(TypeError):
        services.initiative_update(actor=lead, initiative=made, status="stopped")
    with pytest.raises(TypeError):
        services.initiative_set_status(
            actor=lead, initiative=made, status="stopped", stage="pilot", title="Annat"
        )


# Status: ending needs the learnings.


@pytest.mark.parametrize("status", [Initiative.Status.STOPPED, Initiative.Status.REALISED])
def test_ending_without_learnings_is_refused_and_nothing_is_saved(lead: Any, status: str) -> None:
    made = initiative(actor=lead)
    with pytest.raises(ValidationError) as error:
        services.initiative_set_status(
            actor=lead, initiative=made, status=status, stage=Initiative.Stage.PILOT
        )
    assert fields_of(error) == set(LEARNING_FIELDS)
    # Two of three is not enough, and the learning that is written is not kept either.
    with pytest.raises(ValidationError) as error:
        services.initiative_set_status(
            actor=lead,
            initiative=made,
            status=status,
            stage=Initiative.Stage.PILOT,
            learned_worked=LEARNINGS["learned_worked"],
            learned_not_worked=LEARNINGS["learned_not_worked"],
            learned_for_others="   ",
        )
    assert fields_of(error) == {"learned_for_others"}
    made.refresh_from_db()
    assert made.status == Initiative.Status.ONGOING
    assert made.stage == Initiative.Stage.EXPLORE_IDEA
    assert made.ended_on is None
    assert not made.has_learnings
    assert not history(made, "initiative.status_changed")


@pytest.mark.parametrize("status", [Initiative.Status.STOPPED, Initiative.Status.REALISED])
def test_ending_with_learnings_sets_the_end_date(lead: Any, status: str) -> None:
    made = initiative(actor=lead)
    services.initiative_set_status(
        actor=lead, initiative=made, status=status, stage=Initiative.Stage.PILOT, **LEARNINGS
    )
    made.refresh_from_db()
    assert made.status == status and made.stage == Initiative.Stage.PILOT
    assert made.ended_on == timezone.localdate()
    assert made.learned_for_others == LEARNINGS["learned_for_others"]
    (entry,) = history(made, "initiative.status_changed")
    assert entry.changes["status"] == ["ongoing", status]


def test_learnings_written_earlier_are_enough_to_end(lead: Any) -> None:
    made = initiative(actor=lead, **LEARNINGS)
    services.initiative_set_status(
        actor=lead, initiative=made, status=Initiative.Status.REALISED, stage=Initiative.Stage.SCALE
    )
    made.refresh_from_db()
    assert made.is_ended and made.ended_on == timezone.localdate()


def test_reopening_clears_the_end_date_and_an_ended_one_keeps_its_date(lead: Any) -> None:
    made = ended(initiative(actor=lead))
    Initiative.objects.filter(pk=made.pk).update(ended_on=datetime.date(2025, 6, 30))
    # Stopped → realised: it ended already, on the same day.
    services.initiative_set_status(
        actor=lead, initiative=made, status=Initiative.Status.REALISED, stage=Initiative.Stage.SCALE
    )
    made.refresh_from_db()
    assert made.ended_on == datetime.date(2025, 6, 30)
    services.initiative_set_status(
        actor=lead, initiative=made, status=Initiative.Status.ONGOING, stage=Initiative.Stage.SCALE
    )
    made.refresh_from_db()
    assert made.status == Initiative.Status.ONGOING and made.ended_on is None
    assert made.learned_worked == LEARNINGS["learned_worked"]


@pytest.mark.parametrize("field", LEARNING_FIELDS)
def test_an_ended_initiative_keeps_its_learnings(lead: Any, field: str) -> None:
    made = ended(initiative(actor=lead))
    with pytest.raises(ValidationError) as error:
        services.initiative_update(actor=lead, initiative=made, **{field: ""})
    assert fields_of(error) == {field}
    made.refresh_from_db()
    assert getattr(made, field) == LEARNINGS[field]
    with pytest.raises(ValidationError):
        services.initiative_set_status(
            actor=lead, initiative=made, status=made.status, stage=made.stage, **{field: " "}
        )
    made.refresh_from_db()
    assert getattr(made, field) == LEARNINGS[field]


def test_publishing_toggles_and_is_recorded_once(lead: Any) -> None:
    made = initiative(actor=lead)
    services.initiative_publish(actor=lead, initiative=made, published=True)
    made.refresh_from_db()
    first = made.published_at
    assert first is not None and made.is_published
    services.initiative_publish(actor=lead, initiative=made, published=True)
    made.refresh_from_db()
    assert made.published_at == first
    assert len(history(made, "initiative.published")) == 1
    services.initiative_publish(actor=lead, initiative=made, published=False)
    made.refresh_from_db()
    assert made.published_at is None
    assert len(history(made, "initiative.unpublished")) == 1


def test_the_search_text_follows_the_saved_text(lead: Any) -> None:
    made = initiative(actor=lead, title="Ökad delaktighet")
    assert "ökad delaktighet" in Initiative.objects.get(pk=made.pk).search_text
    services.initiative_update(actor=lead, initiative=made, title="Bättre ÅTERKOPPLING")
    stored = Initiative.objects.get(pk=made.pk).search_text
    assert "återkoppling" in stored and "ökad" not in stored
    ended(made, learned_for_others="Börja med Ändringarna")
    assert "ändringarna" in Initiative.objects.get(pk=made.pk).search_text


# Effect goals, indicators and measurements.


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [
        (Indicator.Direction.INCREASE, "3.0", "2.5"),
        (Indicator.Direction.INCREASE, "3.0", "3.0"),
        (Indicator.Direction.DECREASE, "30", "35"),
        (Indicator.Direction.DECREASE, "30", "30"),
    ],
)
def test_a_target_on_the_wrong_side_of_the_baseline_is_refused(
    lead: Any, direction: str, baseline: str, target: str
) -> None:
    effect_goal = goal(initiative(actor=lead))
    with pytest.raises(ValidationError) as error:
        indicator(effect_goal, direction=direction, baseline=Decimal(baseline), target=Decimal(target))
    assert fields_of(error) == {"target"}
    assert not Indicator.objects.exists()


def test_the_right_side_is_accepted_in_both_directions(lead: Any) -> None:
    effect_goal = goal(initiative(actor=lead))
    indicator(effect_goal, direction="increase", baseline=Decimal("3"), target=Decimal("4"))
    indicator(
        effect_goal, name="Väntetid", direction="decrease", baseline=Decimal("30"), target=Decimal("10")
    )
    assert Indicator.objects.count() == 2
    assert [
        e.changes["indicator"] for e in history(effect_goal.initiative, "initiative.indicator_added")
    ] == [
        "Medarbetarinflytande",
        "Väntetid",
    ]


@pytest.mark.parametrize("target_on", [datetime.date(2025, 3, 15), datetime.date(2025, 3, 14)])
def test_the_target_date_must_come_after_the_baseline(lead: Any, target_on: datetime.date) -> None:
    effect_goal = goal(initiative(actor=lead))
    with pytest.raises(ValidationError) as error:
        indicator(effect_goal, baseline_on=datetime.date(2025, 3, 15), target_on=target_on)
    assert fields_of(error) == {"target_on"}
    assert not Indicator.objects.exists()


def test_a_measurement_cannot_be_in_the_future_nor_twice_on_a_day(lead: Any) -> None:
    measured = indicator(goal(initiative(actor=lead)))
    with pytest.raises(ValidationError) as error:
        measurement(measured, timezone.localdate() + datetime.timedelta(days=1), "3.5")
    assert fields_of(error) == {"measured_on"}
    assert not Measurement.objects.exists()
    measurement(measured, timezone.localdate(), "3.5")
    with pytest.raises(ValidationError):
        measurement(measured, timezone.localdate(), "3.6")
    assert [m.value for m in Measurement.objects.all()] == [Decimal("3.5")]
    made = measured.goal.initiative
    (entry,) = history(made, "initiative.measurement_added")
    assert entry.changes == {
        "indicator": "Medarbetarinflytande",
        "measured_on": str(timezone.localdate()),
        "value": "3.5",
    }
    assert Measurement.objects.get().created_by == lead


def test_the_same_day_may_be_measured_for_another_indicator(lead: Any) -> None:
    effect_goal = goal(initiative(actor=lead))
    first, second = indicator(effect_goal), indicator(effect_goal, name="Samverkan")
    measurement(first, days_ago(3), "3.2")
    measurement(second, days_ago(3), "3.3")
    assert Measurement.objects.count() == 2


def test_removing_parts_is_recorded_on_the_initiative(lead: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    made = initiative(actor=lead)
    effect_goal = goal(made)
    measured = indicator(effect_goal)
    taken = measurement(measured, days_ago(10), "3.4")
    link = services.link_add(actor=lead, initiative=made, title="Rapport", url="https://example.org/r")
    attachment = services.attachment_add(
        actor=lead,
        initiative=made,
        title="Slutrapport",
        file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
    )
    services.measurement_remove(actor=lead, measurement=taken)
    services.indicator_remove(actor=lead, indicator=measured)
    services.effect_goal_remove(actor=lead, goal=effect_goal)
    services.link_remove(actor=lead, link=link)
    services.attachment_remove(actor=lead, attachment=attachment)
    assert not Measurement.objects.exists() and not Indicator.objects.exists()
    assert not EffectGoal.objects.exists() and not Link.objects.exists() and not Attachment.objects.exists()
    removed = {
        entry.action: entry.changes
        for entry in HistoryEntry.objects.filter(object_id=str(made.pk), action__endswith="_removed")
    }
    value = removed["initiative.measurement_removed"].pop("value")
    assert Decimal(value) == Decimal("3.4")
    assert removed == {
        "initiative.measurement_removed": {
            "indicator": "Medarbetarinflytande",
            "measured_on": str(days_ago(10)),
        },
        "initiative.indicator_removed": {"indicator": "Medarbetarinflytande"},
        "initiative.goal_removed": {"goal": "Ökat medarbetarinflytande"},
        "initiative.link_removed": {"link": "Rapport"},
        "initiative.attachment_removed": {"attachment": "Slutrapport"},
    }
    assert all(entry.actor == lead for entry in HistoryEntry.objects.filter(action__endswith="_removed"))


def test_an_attachment_of_a_kind_not_allowed_is_refused(lead: Any, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    made = initiative(actor=lead)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=lead, initiative=made, title="Skript", file=SimpleUploadedFile("run.exe", b"MZ")
        )
    assert "file" in fields_of(error)
    assert not Attachment.objects.exists()


def test_a_change_to_a_part_updates_the_initiative(lead: Any) -> None:
    made = initiative(actor=lead)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Initiative.objects.filter(pk=made.pk).update(updated_at=long_ago)
    goal(made)
    assert Initiative.objects.get(pk=made.pk).updated_at > long_ago


# Ideas.


def test_an_anonymous_resident_gets_the_status_link_by_e_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submitted = idea(submitter_name="Maja", submitter_email="maja@example.org")
    assert submitted.submitted_by is None
    assert [u.status for u in submitted.updates.all()] == [Idea.Status.RECEIVED]
    (sent,) = mail.outbox
    assert sent.to == ["maja@example.org"]
    assert f"{settings.SITE_URL}/ideer/min/{submitted.token}/" in sent.body
    assert submitted.title in sent.subject
    assert history(submitted, "idea.submitted")


def test_no_e_mail_without_an_address_nor_to_a_logged_in_submitter(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        idea()
        idea(actor=PersonFactory.create(), title="Gemensam planeringsdag")
    assert mail.outbox == []
    assert Idea.objects.count() == 2
    assert Idea.objects.get(title="Gemensam planeringsdag").submitted_by is not None


@pytest.mark.parametrize("field", ["problem", "idea", "beneficiaries", "title"])
def test_a_personal_identity_number_in_an_idea_is_refused(field: str) -> None:
    with pytest.raises(ValidationError) as error:
        idea(**{field: f"Gäller barnet {PERSONNUMMER} i familjen"})
    assert field in fields_of(error)
    assert not Idea.objects.exists() and not IdeaUpdate.objects.exists()


@pytest.mark.parametrize("status", [Idea.Status.DECLINED, Idea.Status.ACCEPTED])
def test_a_yes_or_a_no_needs_a_message(lead: Any, status: str) -> None:
    submitted = idea()
    with pytest.raises(ValidationError) as error:
        services.idea_assess(actor=lead, idea=submitted, status=status, message="  ")
    assert fields_of(error) == {"message"}
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.RECEIVED and submitted.updates.count() == 1
    services.idea_assess(actor=lead, idea=submitted, status=status, message="Vi tar den vidare i labbet.")
    submitted.refresh_from_db()
    assert submitted.status == status


def test_assessing_can_go_on_without_a_message_but_not_to_the_same_status(lead: Any) -> None:
    submitted = idea()
    services.idea_assess(actor=lead, idea=submitted, status=Idea.Status.ASSESSING)
    with pytest.raises(ValidationError) as error:
        services.idea_assess(actor=lead, idea=submitted, status=Idea.Status.ASSESSING)
    assert fields_of(error) == {"message"}
    services.idea_assess(
        actor=lead, idea=submitted, status=Idea.Status.ASSESSING, message="Vi pratar med biblioteket."
    )
    assert [u.status for u in submitted.updates.all()] == ["received", "assessing", "assessing"]


def test_an_idea_becomes_an_initiative_only_by_creating_it(lead: Any) -> None:
    submitted = idea()
    with pytest.raises(ValidationError) as error:
        services.idea_assess(actor=lead, idea=submitted, status=Idea.Status.INITIATIVE, message="Ja")
    assert fields_of(error) == {"status"}
    with pytest.raises(ValidationError):
        services.idea_assess(actor=lead, idea=submitted, status="maybe", message="Kanske")
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.RECEIVED


def test_a_closed_idea_is_not_assessed_again(lead: Any) -> None:
    declined = idea()
    services.idea_assess(actor=lead, idea=declined, status=Idea.Status.DECLINED, message="Finns redan.")
    with pytest.raises(ValidationError):
        services.idea_assess(actor=lead, idea=declined, status=Idea.Status.ASSESSING, message="Igen")
    with pytest.raises(ValidationError):
        services.idea_to_initiative(
            actor=lead, idea=declined, title="Läxhjälp", what="a", why="b", how="c", contact_name="K"
        )
    declined.refresh_from_db()
    assert declined.status == Idea.Status.DECLINED and declined.initiative is None
    assert not Initiative.objects.exists()


def test_a_logged_in_submitter_is_notified_in_tillit(
    lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    anna = PersonFactory.create(full_name="Anna Andersson")
    submitted = idea(actor=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_assess(
            actor=lead, idea=submitted, status=Idea.Status.ACCEPTED, message="Vi provar i höst."
        )
    (notification,) = Notification.objects.filter(person=anna)
    assert notification.kind == "idea"
    assert notification.url == f"/ideer/min/{submitted.token}/"
    assert submitted.title in notification.text
    update = submitted.updates.last()
    assert update is not None
    assert (update.status, update.message, update.by) == ("accepted", "Vi provar i höst.", lead)


def test_an_anonymous_submitter_is_written_to_with_the_feedback(
    lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submitted = idea(submitter_email="maja@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_assess(
            actor=lead, idea=submitted, status=Idea.Status.DECLINED, message="Biblioteket har redan läxhjälp."
        )
    (sent,) = mail.outbox
    assert sent.to == ["maja@example.org"]
    assert "Biblioteket har redan läxhjälp." in sent.body
    assert f"{settings.SITE_URL}/ideer/min/{submitted.token}/" in sent.body
    assert not Notification.objects.exists()


def test_an_idea_becomes_an_initiative_with_its_text(
    lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    anna = PersonFactory.create()
    submitted = idea(actor=anna, area="Skola")
    lab = LabFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.idea_to_initiative(
            actor=lead,
            idea=submitted,
            message="Nu blir det ett initiativ.",
            title="Läxhjälp på kvällstid",
            lab=lab,
            contact_name="Kristina Holmér",
            what=submitted.idea,
            why=submitted.problem,
            how="Planeras.",
            area=submitted.area,
        )
    made.refresh_from_db()
    submitted.refresh_from_db()
    assert (made.title, made.what, made.why, made.area, made.lab) == (
        "Läxhjälp på kvällstid",
        "Volontärer ger läxhjälp på biblioteket två kvällar i veckan.",
        "Många barn har ingen som kan hjälpa dem med läxorna hemma.",
        "Skola",
        lab,
    )
    assert made.published_at is None and made.created_by == lead
    assert submitted.initiative == made and submitted.status == Idea.Status.INITIATIVE
    assert submitted.is_closed
    assert submitted.updates.last().message == "Nu blir det ett initiativ."  # type: ignore[union-attr]
    assert Notification.objects.filter(person=anna, kind="idea").count() == 1


def test_an_idea_that_cannot_become_an_initiative_stays_open(lead: Any) -> None:
    submitted = idea()
    with pytest.raises(ValidationError):
        services.idea_to_initiative(
            actor=lead, idea=submitted, title="Läxhjälp", what="", why="b", how="c", contact_name="K"
        )
    submitted.refresh_from_db()
    assert submitted.status == Idea.Status.RECEIVED and submitted.initiative is None
    assert not Initiative.objects.exists()


def test_a_removed_attachment_leaves_no_file_behind(
    lead: Any, tmp_path: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    made = initiative(actor=lead)
    attachment = services.attachment_add(
        actor=lead, initiative=made, title="Rapport", file=SimpleUploadedFile("rapport.pdf", b"%PDF")
    )
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == b"%PDF"
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=lead, attachment=attachment)
    assert not stored.exists()


def test_a_file_that_is_too_large_is_refused(
    lead: Any, tmp_path: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 10)
    made = initiative(actor=lead)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=lead, initiative=made, title="Stor", file=SimpleUploadedFile("stor.pdf", b"x" * 11)
        )
    assert fields_of(error) == {"file"}
    assert not Attachment.objects.exists() and not list(tmp_path.rglob("*.pdf"))


def test_the_submitter_is_told_in_swedish(lead: Any, django_capture_on_commit_callbacks: Any) -> None:
    anna = PersonFactory.create()
    mine = idea(actor=anna, title="Planeringsdag")
    theirs = idea(title="Läxhjälp", submitter_email="maja@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_assess(actor=lead, idea=mine, status=Idea.Status.ACCEPTED, message="Ja!")
        services.idea_assess(actor=lead, idea=theirs, status=Idea.Status.ASSESSING)
    assert Notification.objects.get(person=anna).text == "Din idé ”Planeringsdag”: Tas vidare"
    by_address = {sent.to[0]: sent for sent in mail.outbox}
    body = by_address["maja@example.org"].body
    assert "Din idé ”Läxhjälp”: Bedöms" in body
    assert f"Se var din idé står: {settings.SITE_URL}/ideer/min/{theirs.token}/" in body
