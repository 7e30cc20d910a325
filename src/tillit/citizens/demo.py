"""Demo citizen panel for Exempelstad: the consent text, three residents, an invitation from team Norr, and
feedback at each step of "what came of it". Loaded after the demo decisions and labs."""

import datetime

from django.utils import timezone

from tillit.accounts.models import User
from tillit.citizens import services
from tillit.citizens.models import Feedback, Invitation
from tillit.decisions import services as decisions
from tillit.decisions.models import Proposal
from tillit.notifications.services import without_email
from tillit.organisation.models import Team

CONSENT_SV = """Vad vi sparar: det namn eller alias du väljer, den e-postadress eller det mobilnummer du ger oss, vilka tjänster du bryr dig om och, om du vill, vilken del av kommunen du bor i. Inget personnummer.

Varför: för att bjuda in dig till dialoger och workshoppar där kommunens team utvecklar tjänster tillsammans med invånare. Inget annat. Medarbetare ser inte dina kontaktuppgifter; Tillit skickar inbjudningarna.

Hur länge: så länge du är med i panelen. Lämnar du raderas dina uppgifter direkt. Har du inte använt din sida eller deltagit på 24 månader tas du bort. Synpunkter du lämnat finns kvar utan namn och adress.

Du kan när som helst se, ändra, ladda ner och radera dina uppgifter på din egen sida. Personuppgiftsansvarig är kommunstyrelsen."""

CONSENT_EN = """What we keep: the name or alias you choose, the e-mail address or mobile number you give us, which services you care about and, if you like, which part of the municipality you live in. No personal identity number.

Why: to invite you to dialogues and workshops where the municipality's teams develop services together with residents. Nothing else. Employees do not see your contact details; Tillit sends the invitations.

For how long: as long as you are in the panel. If you leave, your details are deleted at once. If you have not used your page or taken part for 24 months, you are removed. Feedback you gave stays, without name or address.

You can see, change, download and delete your details at any time on your own page. The municipal executive board is the controller of your personal data."""


@without_email()
def load_demo_citizens() -> None:
    admin = User.objects.get(email="admin@exempelstad.se")
    anna = User.objects.get(email="anna@exempelstad.se")
    consent = services.consent_publish(actor=admin, text_sv=CONSENT_SV, text_en=CONSENT_EN)
    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    home_care = Team.objects.get(name="Hemtjänst Centrum")
    version = consent.version
    services.member_join(
        name="Samira",
        email="samira@example.org",
        area="Norr",
        services=[norr],
        consent_version=version,
        consented=True,
    )
    services.member_join(
        name="Gunnel A.", phone="070-123 45 67", services=[home_care], consent_version=version, consented=True
    )
    services.member_join(
        name="Familjen Berg",
        email="berg@example.org",
        services=[norr, home_care],
        consent_version=version,
        consented=True,
    )
    services.invitation_send(
        actor=anna,
        team=norr,
        services=[norr],
        kind=Invitation.Kind.WORKSHOP,
        title="Hur ska ett första möte med familjebehandlingen vara?",
        description="Vi gör om hur familjer möter oss första gången. Kom och berätta hur det var för er, och pröva våra skisser.",
        starts_at=(timezone.localtime() + datetime.timedelta(days=14)).replace(
            hour=18, minute=0, second=0, microsecond=0
        ),
        place="Familjens hus, Norra torget 4",
    )
    waiting = services.feedback_submit(
        team=norr,
        text="Det tog tre veckor innan någon ringde tillbaka efter att jag sökt stöd. Kan ni ha en telefontid?",
        public=True,
    )
    services.feedback_submit(
        team=home_care,
        text="Personalen är fantastisk, men vi vet aldrig vem som kommer. Ett schema per vecka skulle hjälpa.",
        anonymous=True,
        public=True,
    )
    declined = services.feedback_submit(
        team=home_care, text="Kan hemtjänsten också klippa gräsmattan på sommaren?", public=True
    )
    services.feedback_set_status(
        actor=admin,
        feedback=declined,
        status=Feedback.Status.DECLINED,
        message="Trädgårdsarbete ingår inte i hemtjänsten enligt socialtjänstlagen. Vi har tipsat om kommunens fixartjänst.",
    )
    services.feedback_answer(
        actor=anna,
        feedback=waiting,
        answer="Tack! Vi prövar en telefontid varje vardag 8–9 från januari och berättar här hur det går.",
    )
    decided = services.feedback_submit(
        team=norr,
        text="Familjer som väntar på besked vet inte vem de ska ringa. Skriv namnet på handläggaren i första brevet.",
        public=True,
    )
    proposal = services.feedback_to_proposal(
        actor=anna,
        feedback=decided,
        title="Handläggarens namn och telefonnummer i första brevet till familjen",
        background=f"Synpunkt från en invånare:\n\n{decided.text}",
        process=Proposal.Process.ADVICE,
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    decisions.proposal_decide(
        actor=anna,
        proposal=proposal,
        outcome="Från och med nästa månad står handläggarens namn och direktnummer i första brevet.",
    )
