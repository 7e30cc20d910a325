"""The demo HR processes load on top of Exempelstad's demo decisions, and loading them again adds nothing."""

import pytest

from tillit.accounts.models import User
from tillit.hr.demo import load_demo_hr
from tillit.hr.models import Recruitment, RehabAccess, RehabCase, Talk

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once() -> None:
    from tillit.decisions.demo import load_demo_decisions
    from tillit.organisation.demo.exempelstad import load_exempelstad

    load_exempelstad()
    load_demo_decisions()
    load_demo_hr()
    load_demo_hr()
    recruitment = Recruitment.objects.get()
    karin = User.objects.get(email="coach@exempelstad.se")
    assert recruitment.status == Recruitment.Status.ASSESSING
    assert recruitment.delegate == karin  # the delegate of team Norr's staff mandate
    assert recruitment.candidates.count() == 2
    talk = Talk.objects.get()
    assert (talk.employee.email, talk.counterpart) == ("anna@exempelstad.se", karin)
    case = RehabCase.objects.get()
    assert (case.manager, case.hr_contact.email) == (karin, "facilitator@exempelstad.se")
    assert not RehabAccess.objects.exists()
    assert talk.feedback_requests.get().colleague.email == "facilitator@exempelstad.se"


def test_the_demo_hr_pages_open_for_the_demo_logins() -> None:
    """The addresses the all-pages accessibility test is asked to visit, with the login that sees each."""
    from django.test import Client

    from tillit.decisions.demo import load_demo_decisions
    from tillit.hr.models import FeedbackRequest
    from tillit.organisation.demo.exempelstad import load_exempelstad

    load_exempelstad()
    load_demo_decisions()
    load_demo_hr()
    recruitment = Recruitment.objects.get()
    candidate = recruitment.candidates.order_by("number").first()
    assert candidate is not None
    ids = {
        "recruitment": recruitment.pk,
        "candidate": candidate.pk,
        "talk": Talk.objects.get().pk,
        "rehab": RehabCase.objects.get().pk,
        "feedback": FeedbackRequest.objects.get().pk,
    }
    pages = {
        "anna@exempelstad.se": [
            "/hr/",
            "/hr/samtal/nytt/",
            "/hr/samtal/{talk}/",
            "/hr/rekrytering/ny/",
            "/hr/rekrytering/{recruitment}/",
            "/hr/rekrytering/{recruitment}/andra/",
            "/hr/rekrytering/{recruitment}/kandidater/{candidate}/",
        ],
        "coach@exempelstad.se": [
            "/hr/",
            "/hr/samtal/{talk}/",
            "/hr/rekrytering/{recruitment}/",
            "/hr/rekrytering/{recruitment}/beslut/",
            "/hr/rehab/ny/",
            "/hr/rehab/{rehab}/",
        ],
        "facilitator@exempelstad.se": [
            "/hr/",
            "/hr/samtal/aterkoppling/{feedback}/",
            "/hr/rekrytering/{recruitment}/kandidater/{candidate}/",
            "/hr/rehab/ny/",
            "/hr/rehab/{rehab}/",
        ],
        "admin@exempelstad.se": ["/hr/", "/hr/gallring/"],
    }
    for email, urls in pages.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for url in urls:
            assert client.get(url.format(**ids)).status_code == 200, (email, url)
    admin = Client()
    admin.force_login(User.objects.get(email="admin@exempelstad.se"))
    for hidden in ("/hr/samtal/{talk}/", "/hr/rehab/{rehab}/", "/hr/samtal/aterkoppling/{feedback}/"):
        assert admin.get(hidden.format(**ids)).status_code == 404
