"""Demo HR processes for Exempelstad: team Norr's recruitment in assessment, Anna's appraisal talk with Karin,
and a rehabilitation case with Karin as responsible manager and Leila as HR contact. Loads nothing twice."""

import datetime

from django.utils import timezone

from tillit.accounts.models import User
from tillit.hr import services
from tillit.hr.models import Recruitment, RehabCase, RehabEntry, Talk
from tillit.notifications.services import without_email
from tillit.organisation.models import Membership, Team


@without_email()
def load_demo_hr() -> None:
    norr = Team.objects.get(name="Barn, unga, familj – team Norr")
    anna = User.objects.get(email="anna@exempelstad.se")
    karin = User.objects.get(email="coach@exempelstad.se")
    leila = User.objects.get(email="facilitator@exempelstad.se")
    others = [
        m.person
        for m in norr.memberships.filter(role=Membership.Role.MEMBER)
        .exclude(person=anna)
        .select_related("person")
        .order_by("person__full_name")
    ]
    today = timezone.localdate()
    if not Recruitment.objects.filter(team=norr).exists():
        recruitment = services.recruitment_create(
            actor=anna,
            team=norr,
            title="Socialsekreterare, barn och unga",
            need=(
                "En kollega går i pension i mars. Vi behöver en socialsekreterare som vill arbeta i ett "
                "självorganiserande team och ta ansvar för utredningar tillsammans med familjerna."
            ),
            requirements=(
                "Socionomexamen\nErfarenhet av utredningar enligt SoL och LVU\n"
                "Vill arbeta självorganiserande och ta gemensamt ansvar\nKörkort"
            ),
            advert=(
                "Vill du arbeta i ett team som själv planerar sitt arbete? Team Norr på Barn, unga, familj söker "
                "en socialsekreterare. Vi arbetar nära familjerna och tar beslut tillsammans."
            ),
            panel=[anna, others[0]],
        )
        services.recruitment_advance(actor=anna, recruitment=recruitment)
        first = services.candidate_add(
            actor=anna,
            recruitment=recruitment,
            name="Sara Lind",
            email="sara.lind@exempel.test",
            summary="Socionom sedan 2019, fem år med utredningar av barn och unga i en grannkommun.",
        )
        services.candidate_add(
            actor=anna,
            recruitment=recruitment,
            name="Johan Ek",
            email="johan.ek@exempel.test",
            summary="Socionom 2025, praktik på mottagningen och sommarvikariat i ekonomiskt bistånd.",
        )
        services.recruitment_advance(actor=anna, recruitment=recruitment)
        services.assessment_save(
            actor=anna,
            candidate=first,
            scores=[
                services.ScoreInput(0, 3),
                services.ScoreInput(1, 4, "Lång erfarenhet av utredningar."),
                services.ScoreInput(2, 3),
                services.ScoreInput(3, 3),
            ],
        )
    if not Talk.objects.filter(employee=anna).exists():
        talk = services.talk_create(
            actor=anna, kind=Talk.Kind.APPRAISAL, date=today + datetime.timedelta(days=14), counterpart=karin
        )
        services.talk_prepare(
            actor=anna,
            talk=talk,
            preparation="Jag vill prata om hur jag kan ta mer ansvar för teamets planering.",
            preparation_shared=False,
        )
        services.feedback_ask(
            actor=anna,
            talk=talk,
            colleague=leila,
            question="Hur fungerar jag i samarbetet med HR-utveckling?",
        )
    if others and not RehabCase.objects.exists():
        case = services.rehab_open(actor=karin, employee=others[-1], manager=karin, hr_contact=leila)
        services.rehab_add_entry(
            actor=karin,
            case=case,
            kind=RehabEntry.Kind.PLAN,
            text="Arbetar 50 procent i fyra veckor, sedan 75 procent. Inga hembesök under perioden.",
        )
        services.rehab_add_entry(
            actor=leila,
            case=case,
            kind=RehabEntry.Kind.FOLLOW_UP,
            text="Avstämning av planen.",
            follow_up_on=today + datetime.timedelta(days=21),
        )
