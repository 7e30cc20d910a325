"""The citizen panel from the resident's side: joining by consent to the text they were shown, their own page
by its link, changing, downloading and deleting what they gave, and getting the link again."""

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from tests.organisation.factories import TeamFactory
from tillit.citizens import services
from tillit.citizens.models import Feedback, PanelMember
from tillit.core.models import HistoryEntry

from .factories import (
    CONSENT_EN,
    CONSENT_SV,
    PERSONNUMMER,
    administrator,
    consent,
    feedback,
    invitation,
    member,
    team_member,
    where_stored,
)

pytestmark = pytest.mark.django_db

JOIN = "/medverka/panelen/ga-med/"
EMAIL = "zelda.quist@example.org"
PHONE = "070-987 65 43"


def page(response: Any) -> str:
    return str(response.content.decode())


def join_data(version: int, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Zelda Q.",
        "email": EMAIL,
        "phone": PHONE,
        "area": "Västra staden",
        "consented": "on",
        "consent_version": str(version),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def said(message: str) -> str:
    """A message as the page shows it: in the site's language, whether or not it is translated yet."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(escape(gettext(message)))


def input_value(response: Any, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page(response))
    if found is None:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


# Joining.


def test_a_resident_joins_with_the_consent_they_were_shown(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = consent().version
    norr, home_care = TeamFactory.create(name="Team Norr"), TeamFactory.create(name="Hemtjänst Centrum")
    shown = client.get(JOIN)
    assert shown.status_code == 200
    assert CONSENT_SV in page(shown)
    assert f'name="consent_version" value="{version}"' in page(shown)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, {**join_data(version), "services": [norr.pk, home_care.pk]})
    joined = PanelMember.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/medverka/panelen/{joined.token}/"
    assert (joined.name, joined.email, joined.phone, joined.area) == (
        "Zelda Q.",
        EMAIL,
        PHONE,
        "Västra staden",
    )
    assert set(joined.services.all()) == {norr, home_care}
    assert joined.consent.version == version and joined.consented_at is not None
    assert HistoryEntry.objects.filter(action="panel.member_joined", object_id=str(joined.pk)).exists()
    # The welcome e-mail carries their own link, to the address they gave and no other.
    (sent,) = mail.outbox
    assert sent.to == [EMAIL]
    assert f"/medverka/panelen/{joined.token}/" in sent.body


def test_no_welcome_e_mail_to_a_resident_who_gave_only_a_phone_number(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = consent().version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(JOIN, join_data(version, email=""))
    assert response.status_code == 302
    assert PanelMember.objects.get().phone == PHONE
    assert mail.outbox == []


def test_joining_without_agreeing_is_refused_and_the_input_kept(client: Any) -> None:
    version = consent().version
    response = client.post(JOIN, join_data(version, consented=None))
    assert response.status_code == 400
    assert not PanelMember.objects.exists()
    assert input_value(response, "name") == "Zelda Q."
    assert input_value(response, "email") == EMAIL
    assert 'id="id_consented_error"' in page(response)


def test_a_form_shown_before_a_new_consent_text_was_published_is_refused(client: Any) -> None:
    admin = administrator()
    old = consent(actor=admin)
    assert f'value="{old.version}"' in page(client.get(JOIN))
    new = consent(actor=admin, text_sv="Ny text: vi sparar också ditt område.", text_en="New text.")
    assert new.version == old.version + 1
    response = client.post(JOIN, join_data(old.version))
    assert response.status_code == 400
    assert not PanelMember.objects.exists()
    shown = page(response)
    assert 'class="error-summary"' in shown
    assert said("The consent text has just changed. Read the new one and join again.") in shown
    # The new text is shown to read, with its version, and what they wrote is still there.
    assert "Ny text: vi sparar också ditt område." in shown
    assert f'name="consent_version" value="{new.version}"' in shown
    assert input_value(response, "name") == "Zelda Q."
    # Agreeing to the text now shown goes through, with the new version.
    assert client.post(JOIN, join_data(new.version)).status_code == 302
    assert PanelMember.objects.get().consent == new


@pytest.mark.parametrize("version", ["", "abc", "99"])
def test_a_join_without_a_known_consent_version_is_refused(client: Any, version: str) -> None:
    consent()
    response = client.post(JOIN, {**join_data(1), "consent_version": version})
    assert response.status_code == 400
    assert not PanelMember.objects.exists()


def test_the_panel_is_closed_until_a_consent_text_is_published(client: Any) -> None:
    response = client.get(JOIN)
    assert response.status_code == 200
    assert 'name="consented"' not in page(response)
    client.post(JOIN, join_data(1))
    assert not PanelMember.objects.exists()
    assert JOIN not in page(client.get("/medverka/"))
    consent()
    assert JOIN in page(client.get("/medverka/"))


def test_an_e_mail_address_or_a_phone_number_is_required(client: Any) -> None:
    version = consent().version
    response = client.post(JOIN, join_data(version, email="", phone=""))
    assert response.status_code == 400
    assert not PanelMember.objects.exists()
    assert input_value(response, "name") == "Zelda Q."
    assert client.post(JOIN, join_data(version, email="", phone=PHONE)).status_code == 302
    assert client.post(JOIN, join_data(version, email=EMAIL, phone="")).status_code == 302
    assert PanelMember.objects.count() == 2


@pytest.mark.parametrize(
    "phone", ["ring mig", "12", "070-ABC 45 67", "070 123 45 67 ext 4", "070-123 45 67-"]
)
def test_a_phone_number_that_is_not_one_is_refused(client: Any, phone: str) -> None:
    version = consent().version
    response = client.post(JOIN, join_data(version, phone=phone))
    assert response.status_code == 400
    assert 'id="id_phone_error"' in page(response)
    assert not PanelMember.objects.exists()


@pytest.mark.parametrize("phone", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "08-123 456"])
def test_phone_numbers_as_people_write_them_are_accepted(client: Any, phone: str) -> None:
    version = consent().version
    assert client.post(JOIN, join_data(version, email="", phone=phone)).status_code == 302
    assert PanelMember.objects.get().phone == phone


@pytest.mark.parametrize("phone", ["0701230013", "0701230021"])
def test_any_mobile_number_written_without_spaces_is_accepted(client: Any, phone: str) -> None:
    version = consent().version
    assert client.post(JOIN, join_data(version, email="", phone=phone)).status_code == 302


@pytest.mark.parametrize("field", ["name", "area"])
@pytest.mark.parametrize("number", [PERSONNUMMER, "121212-1212", "1212121212"])
def test_a_personal_identity_number_in_the_name_or_area_is_refused_and_the_rest_kept(
    client: Any, field: str, number: str
) -> None:
    version = consent().version
    response = client.post(JOIN, join_data(version, **{field: f"Zelda {number}"}))
    assert response.status_code == 400
    assert "personnummer" in page(response).lower()
    assert f'id="id_{field}_error"' in page(response)
    assert not PanelMember.objects.exists()
    assert where_stored("1212") == []
    assert input_value(response, "email") == EMAIL
    assert input_value(response, "phone") == PHONE
    other = "area" if field == "name" else "name"
    assert input_value(response, other) == join_data(version)[other]


# The resident's own page.


@pytest.fixture
def joined() -> PanelMember:
    norr = TeamFactory.create(name="Barn, unga, familj – team Norr")
    made = member(name="Zelda Q.", email=EMAIL, phone=PHONE, area="Västra staden", services_=[norr])
    invitation(team_member(norr), norr, title="Workshop om första mötet", place="Familjens hus")
    feedback(norr, member=made, name="Zelda Q.", email=EMAIL, text="Bra bemötande men lång väntan.")
    return made


def test_the_member_page_shows_everything_kept_and_is_not_passed_on(client: Any, joined: PanelMember) -> None:
    response = client.get(f"/medverka/panelen/{joined.token}/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    shown = page(response)
    for value in ("Zelda Q.", EMAIL, PHONE, "Västra staden", "Barn, unga, familj – team Norr"):
        assert value in shown
    assert CONSENT_SV in shown  # the text they agreed to
    assert "Workshop om första mötet" in shown and "Familjens hus" in shown
    assert "Bra bemötande men lång väntan." in shown
    assert joined.feedback.get().get_absolute_url() in shown
    for suffix in ("andra/", "mina-uppgifter.json", "lamna/"):
        assert f"/medverka/panelen/{joined.token}/{suffix}" in shown
    assert f"/medverka/synpunkt/?panel={joined.token}" in shown


def test_the_member_page_keeps_the_member_active(client: Any, joined: PanelMember) -> None:
    long_ago = timezone.now() - timezone.timedelta(days=400)
    PanelMember.objects.filter(pk=joined.pk).update(last_active_at=long_ago)
    client.get(f"/medverka/panelen/{joined.token}/")
    assert PanelMember.objects.get(pk=joined.pk).last_active_at > long_ago


@pytest.mark.parametrize("suffix", ["", "andra/", "mina-uppgifter.json", "lamna/"])
def test_a_wrong_link_finds_nothing(client: Any, joined: PanelMember, suffix: str) -> None:
    assert client.get(f"/medverka/panelen/{joined.token}x/{suffix}").status_code == 404
    assert client.get(f"/medverka/panelen/fel-nyckel/{suffix}").status_code == 404
    assert client.post(f"/medverka/panelen/fel-nyckel/{suffix}").status_code == 404
    assert PanelMember.objects.filter(pk=joined.pk).exists()


def test_the_download_holds_everything_kept(client: Any, joined: PanelMember) -> None:
    response = client.get(f"/medverka/panelen/{joined.token}/mina-uppgifter.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Referrer-Policy"] == "same-origin" and response["X-Robots-Tag"] == "noindex"
    data = json.loads(response.content)
    assert (data["name"], data["email"], data["phone"], data["area"]) == (
        "Zelda Q.",
        EMAIL,
        PHONE,
        "Västra staden",
    )
    assert data["services"] == ["Barn, unga, familj – team Norr"]
    assert data["consent"]["version"] == joined.consent.version
    assert (data["consent"]["text_sv"], data["consent"]["text_en"]) == (CONSENT_SV, CONSENT_EN)
    assert data["consent"]["consented_at"]
    [invited] = data["invitations"]
    assert invited["title"] == "Workshop om första mötet" and invited["place"] == "Familjens hus"
    assert invited["team"] == "Barn, unga, familj – team Norr" and invited["starts_at"]
    [given] = data["feedback"]
    assert given["text"] == "Bra bemötande men lång väntan."
    assert given["service"] == "Barn, unga, familj – team Norr"
    assert (given["name"], given["email"], given["status"]) == ("Zelda Q.", EMAIL, "received")


def test_the_member_changes_their_details(client: Any, joined: PanelMember) -> None:
    home_care = TeamFactory.create(name="Hemtjänst Centrum")
    url = f"/medverka/panelen/{joined.token}/andra/"
    shown = client.get(url)
    assert shown.status_code == 200
    assert input_value(shown, "email") == EMAIL
    response = client.post(
        url, {"name": "Zelda", "email": "", "phone": "0701112233", "area": "", "services": [home_care.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/medverka/panelen/{joined.token}/"
    joined.refresh_from_db()
    assert (joined.name, joined.email, joined.phone, joined.area) == ("Zelda", "", "0701112233", "")
    assert list(joined.services.all()) == [home_care]


@pytest.mark.parametrize(
    "change",
    [
        {"name": f"Zelda {PERSONNUMMER}"},
        {"area": PERSONNUMMER},
        {"email": "", "phone": ""},
        {"phone": "ring"},
    ],
)
def test_a_bad_change_is_refused_and_nothing_changes(
    client: Any, joined: PanelMember, change: dict[str, str]
) -> None:
    data = {"name": "Zelda Q.", "email": EMAIL, "phone": PHONE, "area": "Västra staden", **change}
    response = client.post(f"/medverka/panelen/{joined.token}/andra/", data)
    assert response.status_code == 400
    for name, value in change.items():
        assert input_value(response, name) == value
    fresh = PanelMember.objects.get(pk=joined.pk)
    assert (fresh.name, fresh.email, fresh.phone, fresh.area) == ("Zelda Q.", EMAIL, PHONE, "Västra staden")
    assert fresh.services.count() == 1


# Leaving.


def test_leaving_deletes_the_member_and_every_trace_of_how_to_reach_them(
    client: Any, joined: PanelMember
) -> None:
    given = joined.feedback.get()
    invited = joined.invitations.get()
    anonymous = feedback(given.team, text="Anonym synpunkt.", anonymous=True)
    url = f"/medverka/panelen/{joined.token}/lamna/"
    assert client.get(url).status_code == 200
    assert PanelMember.objects.filter(pk=joined.pk).exists()  # only the button leaves
    assert where_stored(EMAIL) and where_stored(PHONE)
    response = client.post(url)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert not PanelMember.objects.filter(pk=joined.pk).exists()
    given.refresh_from_db()
    assert (given.member, given.name, given.email) == (None, "", "")
    assert given.text == "Bra bemötande men lång väntan."
    assert Feedback.objects.filter(pk=anonymous.pk).exists()
    assert not invited.members.exists()
    assert HistoryEntry.objects.filter(action="panel.member_left", object_id=str(joined.pk)).exists()
    # No e-mail address and no phone number of theirs is left anywhere in the database.
    assert where_stored(EMAIL) == []
    assert where_stored(PHONE) == []
    assert where_stored("987 65 43") == []
    # Their link is dead.
    assert client.get(f"/medverka/panelen/{joined.token}/").status_code == 404
    assert client.get(f"/medverka/panelen/{joined.token}/mina-uppgifter.json").status_code == 404


def test_leaving_after_changing_contacts_leaves_neither_the_old_nor_the_new(
    client: Any, joined: PanelMember
) -> None:
    client.post(
        f"/medverka/panelen/{joined.token}/andra/",
        {"name": "Zelda Q.", "email": "ny.adress@example.org", "phone": "0709998877", "area": ""},
    )
    client.post(f"/medverka/panelen/{joined.token}/lamna/")
    for value in (EMAIL, PHONE, "ny.adress@example.org", "0709998877"):
        assert where_stored(value) == [], value


def test_leaving_leaves_not_even_the_name_they_gave(client: Any, joined: PanelMember) -> None:
    PanelMember.objects.filter(pk=joined.pk).update(name="Zeldarina Quistberg")
    Feedback.objects.filter(member=joined).update(name="Zeldarina Quistberg")
    client.post(f"/medverka/panelen/{joined.token}/lamna/")
    assert where_stored("Zeldarina Quistberg") == []


def test_the_history_of_a_member_never_keeps_how_to_reach_them(
    client: Any,
) -> None:
    """What the history keeps of a member never includes how to reach them."""
    joined = member(name="Zelda Q.", email=EMAIL, phone=PHONE)
    client.post(f"/medverka/panelen/{joined.token}/lamna/")
    for entry in HistoryEntry.objects.all():
        assert EMAIL not in json.dumps(entry.changes) + entry.object_repr
        assert PHONE not in json.dumps(entry.changes) + entry.object_repr


# Getting the link again.


def test_the_link_is_sent_only_to_a_known_address_and_the_page_says_the_same(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    known = member(email=EMAIL)
    url = "/medverka/panelen/min-lank/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        unknown_response = client.post(url, {"email": "ingen.alls@example.org"})
    assert unknown_response.status_code == 200
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        known_response = client.post(url, {"email": EMAIL.upper()})
    assert known_response.status_code == 200

    def main(response: Any) -> str:
        found = re.search(r"<main.*</main>", page(response), re.S)
        assert found is not None
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", found.group(0))

    assert main(known_response) == main(unknown_response)
    assert said("If the address is in the panel, the link is on its way. Check your inbox.") in main(
        known_response
    )
    (sent,) = mail.outbox
    assert sent.to == [EMAIL]
    assert f"/medverka/panelen/{known.token}/" in sent.body


def test_the_link_form_refuses_something_that_is_not_an_address(client: Any) -> None:
    response = client.post("/medverka/panelen/min-lank/", {"email": "inte en adress"})
    assert response.status_code == 400
    assert input_value(response, "email") == "inte en adress"


def test_the_service_checks_consent_itself() -> None:
    current = consent()
    with pytest.raises(services.ValidationError):
        services.member_join(name="X", email=EMAIL, consent_version=current.version, consented=False)
    with pytest.raises(services.ValidationError):
        services.member_join(name="X", email=EMAIL, consent_version=None, consented=True)
    assert not PanelMember.objects.exists()
