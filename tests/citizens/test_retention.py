"""The retention rule an administrator sets, applied by `citizen-retention`; and publishing consent texts."""

import datetime
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.organisation.factories import TeamFactory
from tillit.citizens import services
from tillit.citizens.models import ConsentText, Feedback, PanelMember, PanelSettings
from tillit.core.models import HistoryEntry

from .factories import (
    CONSENT_SV,
    administrator,
    consent,
    feedback,
    invitation,
    member,
    team_member,
    where_stored,
)

pytestmark = pytest.mark.django_db


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def inactive_since(made: PanelMember, days: int) -> None:
    PanelMember.objects.filter(pk=made.pk).update(last_active_at=ago(days))


def unchanged_since(made: Feedback, days: int) -> None:
    Feedback.objects.filter(pk=made.pk).update(updated_at=ago(days))


def retention() -> str:
    out = io.StringIO()
    call_command("citizen-retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def six_months() -> PanelSettings:
    return services.settings_update(actor=administrator(), retention_months=6)


def test_members_inactive_longer_than_the_rule_are_removed_and_no_one_else(six_months: PanelSettings) -> None:
    team = TeamFactory.create()
    stale = member(name="Gammal", email="gammal@example.org", phone="070-555 11 22", services_=[team])
    fresh = member(name="Aktiv", email="aktiv@example.org")
    almost = member(name="Nästan", email="nastan@example.org")
    their_feedback = feedback(team, member=stale, name="Gammal", email="gammal@example.org")
    invited = invitation(team_member(team), team)
    inactive_since(stale, 200)
    inactive_since(fresh, 10)
    inactive_since(almost, 170)
    output = retention()
    assert set(PanelMember.objects.values_list("name", flat=True)) == {"Aktiv", "Nästan"}
    assert re.search(r"\b6\b\D+\b1\b\D+\b0\b", output), output  # 6 months: 1 removed, 0 feedback cleared
    their_feedback.refresh_from_db()
    assert (their_feedback.member, their_feedback.name, their_feedback.email) == (None, "", "")
    assert their_feedback.text  # what they said stays
    assert set(invited.members.all()) == {fresh, almost}
    assert where_stored("gammal@example.org") == [] and where_stored("070-555 11 22") == []
    assert HistoryEntry.objects.filter(action="panel.member_removed", object_id=str(stale.pk)).exists()
    # Run again, nothing more happens.
    retention()
    assert PanelMember.objects.count() == 2


def test_finished_feedback_unchanged_for_as_long_loses_its_contact_details_and_nothing_else(
    six_months: PanelSettings,
) -> None:
    team = TeamFactory.create()
    staff = team_member(team)

    def made(text: str, status: str, days: int) -> Feedback:
        item = feedback(team, text=text, name="Maja", email="maja@example.org")
        if status == "declined":
            services.feedback_set_status(actor=staff, feedback=item, status="declined", message="Nej.")
        elif status == "considering":
            services.feedback_set_status(actor=staff, feedback=item, status="considering")
        unchanged_since(item, days)
        return item

    old_declined = made("Gammal och avböjd.", "declined", 200)
    new_declined = made("Ny och avböjd.", "declined", 30)
    old_open = made("Gammal och öppen.", "received", 400)
    old_considering = made("Gammal och övervägd.", "considering", 400)
    retention()
    contacts = {
        item.text: (item.name, item.email)
        for item in Feedback.objects.filter(
            pk__in=[old_declined.pk, new_declined.pk, old_open.pk, old_considering.pk]
        )
    }
    assert contacts == {
        "Gammal och avböjd.": ("", ""),
        "Ny och avböjd.": ("Maja", "maja@example.org"),
        "Gammal och öppen.": ("Maja", "maja@example.org"),
        "Gammal och övervägd.": ("Maja", "maja@example.org"),
    }
    assert Feedback.objects.count() == 4
    old_declined.refresh_from_db()
    assert old_declined.status == Feedback.Status.DECLINED and old_declined.text == "Gammal och avböjd."


def test_the_default_rule_is_two_years() -> None:
    assert PanelSettings.current().retention_months == 24
    kept = member(name="Ett år", email="ett@example.org")
    gone = member(name="Tre år", email="tre@example.org")
    inactive_since(kept, 365)
    inactive_since(gone, 3 * 365)
    retention()
    assert list(PanelMember.objects.all()) == [kept]


def test_the_administrator_changes_the_rule_on_the_settings_page_with_history(client: Any) -> None:
    admin = administrator()
    client.force_login(admin)
    url = "/synpunkter/panelen/"
    assert client.get(url).status_code == 200
    for months in ("0", "121", "sex"):
        response = client.post(url, {"form": "retention", "retention-retention_months": months})
        assert response.status_code == 400
        assert f'value="{months}"' in response.content.decode()
    assert PanelSettings.current().retention_months == 24
    response = client.post(url, {"form": "retention", "retention-retention_months": "3"})
    assert response.status_code == 302 and response["Location"] == url
    assert PanelSettings.current().retention_months == 3
    entry = HistoryEntry.objects.get(action="panel.settings_changed")
    assert entry.changes == {"retention_months": [24, 3]} and entry.actor == admin
    # The new rule is the one applied.
    kept = member(name="Två månader", email="tva@example.org")
    gone = member(name="Fyra månader", email="fyra@example.org")
    inactive_since(kept, 60)
    inactive_since(gone, 120)
    retention()
    assert list(PanelMember.objects.all()) == [kept]


def test_publishing_a_new_consent_text_makes_a_new_version_and_members_keep_theirs(client: Any) -> None:
    admin = administrator()
    first = consent(actor=admin)
    joined = member(name="Zelda", email="zelda@example.org")
    client.force_login(admin)
    url = "/synpunkter/panelen/"
    response = client.post(
        url, {"form": "consent", "consent-text_sv": "Ny svensk text.", "consent-text_en": ""}
    )
    assert response.status_code == 400
    assert ConsentText.objects.count() == 1
    response = client.post(
        url, {"form": "consent", "consent-text_sv": "Ny svensk text.", "consent-text_en": "New English text."}
    )
    assert response.status_code == 302
    newest = ConsentText.objects.get(version=first.version + 1)
    assert (newest.text_sv, newest.text_en, newest.published_by) == (
        "Ny svensk text.",
        "New English text.",
        admin,
    )
    assert HistoryEntry.objects.filter(action="panel.consent_published", object_id=str(newest.pk)).exists()
    first.refresh_from_db()
    assert first.text_sv == CONSENT_SV  # an earlier version never changes
    joined.refresh_from_db()
    assert joined.consent == first
    client.logout()
    shown = client.get(joined.get_absolute_url()).content.decode()
    assert CONSENT_SV in shown and "Ny svensk text." not in shown
    assert "Ny svensk text." in client.get("/medverka/panelen/ga-med/").content.decode()
    assert member(name="Ny", email="ny@example.org").consent == newest


def test_a_consent_text_with_a_personal_identity_number_is_refused(client: Any) -> None:
    client.force_login(administrator())
    response = client.post(
        "/synpunkter/panelen/",
        {"form": "consent", "consent-text_sv": "Ring 19121212-1212.", "consent-text_en": "Text."},
    )
    assert response.status_code == 400
    assert not ConsentText.objects.exists()


def test_only_an_administrator_reaches_the_settings(client: Any) -> None:
    team = TeamFactory.create()
    client.force_login(team_member(team))
    assert client.get("/synpunkter/panelen/").status_code == 403
    response = client.post("/synpunkter/panelen/", {"form": "retention", "retention-retention_months": "1"})
    assert response.status_code == 403
    assert PanelSettings.current().retention_months == 24


def test_giving_feedback_from_the_panel_counts_as_taking_part(six_months: PanelSettings) -> None:
    team = TeamFactory.create()
    joined = member(name="Deltar", email="deltar@example.org")
    inactive_since(joined, 300)
    feedback(team, member=joined, text="Jag deltar fortfarande.")
    retention()
    assert PanelMember.objects.filter(pk=joined.pk).exists()
