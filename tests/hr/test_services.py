"""The HR services: what may happen, what is refused with a clear message, and what history is written."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from tests.decisions.factories import mandate
from tillit.core.models import HistoryEntry
from tillit.decisions.models import Mandate
from tillit.hr import services
from tillit.hr.models import Assessment, Candidate, HrSettings, Recruitment, Reference, Talk
from tillit.notifications.models import Kind, Notification

from .factories import REQUIREMENTS, World, candidate, recruitment, recruitment_in, rehab_case, talk

PNR = "Kontakt: 19811218-9876"


@pytest.fixture(autouse=True)
def english():
    """The messages asserted on are the English ones."""
    with translation.override("en"):
        yield


def _actions(obj: object) -> list[str]:
    return list(HistoryEntry.objects.for_object(obj).order_by("pk").values_list("action", flat=True))  # type: ignore[arg-type]


# Recruitment.


def test_the_delegate_defaults_to_the_delegate_of_the_teams_staff_mandate(world: World) -> None:
    mandate(
        world.team, world["coach"], category=Mandate.Category.STAFF, matter="Rekrytering", amount_limit=None
    )
    found = recruitment(world, delegate=None)
    assert found.delegate == world["coach"]


def test_without_a_staff_mandate_the_team_must_name_who_decides(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        recruitment(world, delegate=None)
    assert "delegate" in error.value.message_dict


def test_only_the_team_starts_its_recruitment_and_the_panel_comes_from_the_team(world: World) -> None:
    with pytest.raises(ValidationError):
        services.recruitment_create(
            actor=world["outsider"],
            team=world.team,
            title="X",
            need="Y",
            requirements="Z",
            delegate=world["delegate"],
        )
    with pytest.raises(ValidationError) as error:
        recruitment(world, panel=[world["outsider"]])
    assert "panel" in error.value.message_dict


def test_free_text_is_guarded_against_identity_numbers(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        recruitment(world, need=PNR)
    assert "need" in error.value.message_dict
    found = recruitment(world)
    with pytest.raises(ValidationError):
        services.candidate_add(actor=world["panel_member"], recruitment=found, name="Sara", summary=PNR)
    assert not Candidate.objects.exists()


def test_a_recruitment_from_need_to_decision_writes_history(world: World) -> None:
    found = recruitment(world, advert="")
    with pytest.raises(ValidationError, match="advert"):
        services.recruitment_advance(actor=world["employee"], recruitment=found)
    found = services.recruitment_update(actor=world["employee"], recruitment=found, advert="Vi söker dig.")
    found = services.recruitment_advance(actor=world["employee"], recruitment=found)
    assert found.status == Recruitment.Status.ADVERT
    with pytest.raises(ValidationError, match="candidate"):
        services.recruitment_advance(actor=world["employee"], recruitment=found)
    first = candidate(world, found)
    second = candidate(world, found, "Johan Ek")
    assert (first.number, second.number) == (1, 2)
    found = services.recruitment_advance(actor=world["employee"], recruitment=found)
    assert found.status == Recruitment.Status.ASSESSING

    scores = [services.ScoreInput(index, 3, "Bra") for index in range(3)]
    services.assessment_save(actor=world["panel_member"], candidate=first, scores=scores)
    services.assessment_save(actor=world["panel_member"], candidate=first, scores=scores[:1])
    assert Assessment.objects.filter(candidate=first).count() == 3
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=world["employee"], candidate=first, scores=scores)
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=world["panel_member"], candidate=first, scores=[services.ScoreInput(7, 3)]
        )
    with pytest.raises(ValidationError, match="requirements"):
        services.recruitment_update(actor=world["employee"], recruitment=found, requirements="Nytt krav")

    with pytest.raises(PermissionDenied):
        services.recruitment_decide(
            actor=world["panel_member"], recruitment=found, chosen=first, reasoning="x"
        )
    with pytest.raises(ValidationError):
        services.recruitment_decide(actor=world["delegate"], recruitment=found, chosen=first, reasoning=" ")
    found = services.recruitment_decide(
        actor=world["delegate"], recruitment=found, chosen=first, reasoning="Bäst på alla krav."
    )
    assert found.status == Recruitment.Status.DECIDED
    assert found.chosen == first
    assert found.decided_at is not None
    with pytest.raises(ValidationError):
        candidate(world, found, "För sent")
    assert _actions(found) == [
        "recruitment.created",
        "recruitment.changed",  # the panel
        "recruitment.changed",  # the advert
        "recruitment.status_changed",
        "recruitment.candidate_added",
        "recruitment.candidate_added",
        "recruitment.status_changed",
        "recruitment.assessed",
        "recruitment.assessed",
        "recruitment.decided",
    ]
    # History names candidates by number only: it is read more widely than the candidates are.
    assert not HistoryEntry.objects.filter(changes__icontains="Sara").exists()


def test_a_declared_conflict_stops_assessing_and_deciding(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    first = found.candidates.get()
    services.conflict_declare(
        actor=world["panel_member"], recruitment=found, candidate=first, reason="Min kusin."
    )
    with pytest.raises(ValidationError, match="conflict"):
        services.assessment_save(
            actor=world["panel_member"], candidate=first, scores=[services.ScoreInput(0, 2)]
        )
    services.assessment_save(
        actor=world["second_panel_member"], candidate=first, scores=[services.ScoreInput(0, 2)]
    )
    services.conflict_declare(actor=world["delegate"], recruitment=found, reason="Tidigare kollega.")
    with pytest.raises(ValidationError, match="deputy"):
        services.recruitment_decide(actor=world["delegate"], recruitment=found, chosen=first, reasoning="x")
    assert "recruitment.conflict_declared" in _actions(found)


def _assessed(world: World) -> tuple[Recruitment, Candidate]:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    first = found.candidates.get()
    services.assessment_save(
        actor=world["panel_member"], candidate=first, scores=[services.ScoreInput(0, 4, "Mycket erfaren")]
    )
    services.reference_add(
        actor=world["panel_member"], candidate=first, referee="Eva Chef", relation="Chef", notes="Pålitlig."
    )
    return found, first


def test_a_candidate_who_asks_has_their_data_removed(world: World) -> None:
    found, first = _assessed(world)
    with pytest.raises(PermissionDenied):
        services.candidate_remove_data(actor=world["panel_member"], candidate=first)
    services.candidate_remove_data(actor=world["hr"], candidate=first)
    first.refresh_from_db()
    assert (first.name, first.email, first.phone, first.summary) == ("", "", "", "")
    assert first.display_name == "Candidate 1"
    assert not Reference.objects.filter(candidate=first).exists()
    kept = Assessment.objects.get(candidate=first)
    assert (kept.score, kept.comment) == (4, "")
    assert "recruitment.candidate_removed" in _actions(found)
    with pytest.raises(ValidationError):
        services.candidate_remove_data(actor=world["delegate"], candidate=first)


def test_retention_erases_candidates_not_hired_after_the_rule(world: World) -> None:
    found = recruitment_in(world, Recruitment.Status.ASSESSING)
    hired = found.candidates.get()
    other = candidate(world, found, "Johan Ek")
    services.recruitment_decide(actor=world["delegate"], recruitment=found, chosen=hired, reasoning="Bäst.")
    recent = recruitment_in(world, Recruitment.Status.CANCELLED)

    assert services.retention_run().candidates == 0
    later = timezone.now() + datetime.timedelta(days=31 * HrSettings.load().candidate_retention_months + 1)
    result = services.retention_run(now=later)

    assert result.candidates == 2  # the other candidate, and the cancelled recruitment's one
    other.refresh_from_db()
    hired.refresh_from_db()
    assert other.removed_at is not None and other.name == ""
    assert hired.name == "Sara Lind"
    assert recent.candidates.get().name == ""
    assert services.retention_run(now=later).candidates == 0


def test_the_retention_command_prints_what_it_did(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    found = recruitment_in(world, Recruitment.Status.CANCELLED)
    Recruitment.objects.filter(pk=found.pk).update(decided_at=timezone.now() - datetime.timedelta(days=800))
    call_command("hr-retention")
    out = capsys.readouterr().out
    assert "1 candidate(s) in 1 recruitment(s)" in out
    assert found.title in out
    assert "Rehabilitation cases erased: 0" in out


def test_retention_settings_are_for_administrators_and_recorded(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=world["hr"], candidate_retention_months=6, rehab_retention_months=6)
    found = services.settings_update(
        actor=world["administrator"], candidate_retention_months=6, rehab_retention_months=36
    )
    assert (found.candidate_retention_months, found.rehab_retention_months) == (6, 36)
    entry = HistoryEntry.objects.for_object(found).get()
    assert entry.changes == {"candidate_retention_months": [24, 6], "rehab_retention_months": [24, 36]}
    with pytest.raises(ValidationError):
        services.settings_update(
            actor=world["administrator"], candidate_retention_months=0, rehab_retention_months=6
        )


# Talks.


def test_the_counterpart_is_a_coach_or_a_manager_above(world: World) -> None:
    assert talk(world, counterpart=world["manager_above"]).counterpart == world["manager_above"]
    for person in ("other_manager", "hr", "team_member", "administrator"):
        with pytest.raises(ValidationError):
            talk(world, counterpart=world[person])


def test_a_talk_from_preparation_to_agreement(world: World) -> None:
    found = talk(world)
    services.talk_prepare(
        actor=world["employee"], talk=found, preparation="Privat.", preparation_shared=False
    )
    asked = services.feedback_ask(
        actor=world["employee"], talk=found, colleague=world["colleague"], question="Hur samarbetar jag?"
    )
    with pytest.raises(ValidationError):
        services.feedback_ask(actor=world["employee"], talk=found, colleague=world["coach"], question="?")
    with pytest.raises(ValidationError):
        services.feedback_share(actor=world["employee"], feedback=asked, shared=True)
    with pytest.raises(PermissionDenied):
        services.feedback_answer(actor=world["team_member"], feedback=asked, answer="Bra.")
    services.feedback_answer(actor=world["colleague"], feedback=asked, answer="Du är lyhörd.")
    with pytest.raises(PermissionDenied):
        services.feedback_share(actor=world["coach"], feedback=asked, shared=True)
    services.feedback_share(actor=world["employee"], feedback=asked, shared=True)
    with pytest.raises(ValidationError):
        services.talk_confirm(actor=world["employee"], talk=found)
    with pytest.raises(PermissionDenied):
        services.talk_record_outcome(actor=world["employee"], talk=found, outcome="Jag bestämmer.")
    services.talk_record_outcome(actor=world["coach"], talk=found, outcome="Ny lön från april.")
    found = services.talk_confirm(actor=world["employee"], talk=found)
    assert found.status == Talk.Status.AGREED
    with pytest.raises(ValidationError):
        services.talk_prepare(
            actor=world["employee"], talk=found, preparation="Sent.", preparation_shared=True
        )
    # History says what happened, never what was written.
    texts = " ".join(str(e.changes) + e.object_repr for e in HistoryEntry.objects.for_object(found))
    for private in ("Privat", "lyhörd", "lön", "Anna", "Karin"):
        assert private not in texts
    assert _actions(found)[-1] == "talk.agreed"


# Rehabilitation.


def test_a_rehab_case_is_opened_by_a_manager_above_or_hr(world: World) -> None:
    for person in ("other_manager", "coach", "team_member", "administrator"):
        with pytest.raises(PermissionDenied):
            services.rehab_open(
                actor=world[person],
                employee=world["employee"],
                manager=world["manager_above"],
                hr_contact=world["hr"],
            )
    with pytest.raises(ValidationError) as error:
        services.rehab_open(
            actor=world["hr"],
            employee=world["employee"],
            manager=world["other_manager"],
            hr_contact=world["coach"],
        )
    assert set(error.value.message_dict) == {"manager", "hr_contact"}
    case = services.rehab_open(
        actor=world["other_hr"],
        employee=world["employee"],
        manager=world["manager_above"],
        hr_contact=world["hr"],
    )
    assert _actions(case) == ["rehab.opened"]


def test_rehab_entries_and_closing(world: World) -> None:
    case = rehab_case(world)
    with pytest.raises(ValidationError):
        services.rehab_add_entry(actor=world["hr"], case=case, kind="follow_up", text="Avstämning.")
    services.rehab_add_entry(
        actor=world["hr"],
        case=case,
        kind="follow_up",
        text="Avstämning.",
        follow_up_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    with pytest.raises(PermissionDenied):
        services.rehab_add_entry(actor=world["employee"], case=case, kind="note", text="Min anteckning.")
    with pytest.raises(ValidationError):
        services.rehab_add_entry(actor=world["hr"], case=case, kind="note", text=PNR)
    services.rehab_close(actor=world["manager_above"], case=case)
    with pytest.raises(ValidationError):
        services.rehab_add_entry(actor=world["hr"], case=case, kind="note", text="Efteråt.")
    assert _actions(case) == ["rehab.opened", "rehab.entry_added", "rehab.closed"]


def test_requirements_become_the_criteria(world: World) -> None:
    assert recruitment(world).requirement_list == REQUIREMENTS.splitlines()


# Who is told, in Tillit (and by e-mail as each person has chosen).


def _told(person: Any) -> list[str]:
    return [n.url for n in Notification.objects.filter(person=person, kind=Kind.HR)]


def test_each_step_that_waits_for_someone_tells_them(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booked = talk(world)
    assert _told(world["coach"]) == [booked.get_absolute_url()]
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.feedback_ask(
            actor=world["employee"], talk=booked, colleague=world["colleague"], question="?"
        )
    assert _told(world["colleague"]) == [asked.get_absolute_url()]
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_record_outcome(actor=world["coach"], talk=booked, outcome="Ny lön från april.")
    assert _told(world["employee"]) == [booked.get_absolute_url()]
    # No one else hears of the talk.
    assert not Notification.objects.exclude(
        person__in=[world["coach"], world["colleague"], world["employee"]]
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assessing = recruitment_in(world, Recruitment.Status.ASSESSING)
    assert _told(world["panel_member"]) == [assessing.get_absolute_url()]
    assert _told(world["second_panel_member"]) == [assessing.get_absolute_url()]
    assert _told(world["team_member"]) == []
