"""HR processes a self-managing team runs: recruitment, salary and appraisal talks, rehabilitation follow-up.

Each keeps only what its process needs, and each has its own confidentiality: see rules.py."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField, FreeTextField

USER = settings.AUTH_USER_MODEL


class HrSettings(models.Model):
    """The retention rules, one row for the whole municipality."""

    candidate_retention_months = models.PositiveSmallIntegerField(
        _("keep candidates' data for (months after the decision)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this, the data of candidates who were not hired is erased."),
    )
    rehab_retention_months = models.PositiveSmallIntegerField(
        _("keep rehabilitation cases for (months after closing)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this, a closed case is erased with its entries and its access log."),
    )

    class Meta:
        verbose_name = _("HR retention settings")
        verbose_name_plural = _("HR retention settings")

    def __str__(self) -> str:
        return str(_("HR retention settings"))

    @classmethod
    def load(cls) -> "HrSettings":
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class Recruitment(models.Model):
    class Status(models.TextChoices):
        NEED = "need", _("Need described")
        ADVERT = "advert", _("Advertised")
        ASSESSING = "assessing", _("Assessing candidates")
        DECIDED = "decided", _("Decided")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="recruitments", verbose_name=_("team")
    )
    title = FreeCharField(_("role to fill"), max_length=200)
    need = FreeTextField(_("the need"), help_text=_("Why the team needs someone, and for what work."))
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("the team's decision"),
        help_text=_("The team's decision to recruit, if there is one."),
    )
    requirements = FreeTextField(
        _("requirements"),
        help_text=_("One per line. Each requirement is a criterion the panel assesses every candidate on."),
    )
    advert = FreeTextField(_("advert"), blank=True)
    delegate = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="hr_recruitments_to_decide",
        verbose_name=_("who decides"),
        help_text=_(
            "The named person who decides on delegation. Empty: the delegate of the team's staff mandate."
        ),
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="hr_recruitment_panels",
        verbose_name=_("interview panel"),
        blank=True,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEED)
    chosen = models.ForeignKey(
        "Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chosen candidate"),
    )
    reasoning = FreeTextField(_("reasoning"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    candidates_erased_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment")
        verbose_name_plural = _("recruitments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("hr:recruitment", args=[self.pk])

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DECIDED, self.Status.CANCELLED)


class Candidate(models.Model):
    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveIntegerField(_("number"))
    name = FreeCharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone (optional)"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]*$", _("Only digits, spaces, +, - and brackets."))],
    )
    summary = FreeTextField(
        _("summary of the application"),
        blank=True,
        help_text=_(
            "Only what the process needs: experience and qualifications that bear on the requirements. No"
            " personal identity numbers, health, family or other private details."
        ),
    )
    removed_at = models.DateTimeField(_("data removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["recruitment", "number"], name="hr_one_candidate_number")
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("hr:candidate", args=[self.recruitment_id, self.pk])

    @property
    def display_name(self) -> str:
        if self.removed_at is not None or not self.name:
            return str(_("Candidate %(number)s") % {"number": self.number})
        return str(self.name)


class Score(models.IntegerChoices):
    NOT_MET = 1, _("1 – does not meet the requirement")
    PARTLY = 2, _("2 – partly meets it")
    MEETS = 3, _("3 – meets it")
    EXCEEDS = 4, _("4 – clearly exceeds it")


class Assessment(models.Model):
    """One panel member's score of one candidate against one requirement (by its line number)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requirement = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = FreeTextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "assessor", "requirement"], name="hr_one_score_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}/{self.requirement}: {self.score}"


class Reference(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="references")
    referee = FreeCharField(_("referee"), max_length=200)
    relation = FreeCharField(_("relation to the candidate"), max_length=200)
    notes = FreeTextField(
        _("notes"), help_text=_("What the referee said about the requirements, nothing else.")
    )
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.referee)


class RecruitmentConflict(models.Model):
    """A declared conflict of interest (jäv): the person neither assesses the candidate nor decides."""

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = FreeTextField(_("reason"))
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recruitment", "person", "candidate"], name="hr_one_conflict")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.reason}"


class Talk(models.Model):
    """An employee's appraisal or salary talk. Everything in it is the employee's until they share it."""

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("Appraisal talk")
        SALARY = "salary", _("Salary talk")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        HELD = "held", _("Held, outcome recorded")
        AGREED = "agreed", _("Agreed")

    employee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="hr_talks")
    counterpart = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="hr_talks_held", verbose_name=_("with")
    )
    kind = models.CharField(_("kind of talk"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREPARING)
    preparation = FreeTextField(
        _("my preparation"), blank=True, help_text=_("Private: only you see it, unless you share it.")
    )
    preparation_shared = models.BooleanField(_("share my preparation with the person I meet"), default=False)
    outcome = FreeTextField(_("agreed outcome"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        # History rows show this to whoever may read them: no names, no content.
        return str(_("Talk %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("hr:talk", args=[self.pk])


class FeedbackRequest(models.Model):
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="feedback_requests")
    colleague = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="hr_feedback_requests")
    question = FreeTextField(_("question"))
    answer = FreeTextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["talk", "colleague"], name="hr_one_request_per_colleague")
        ]

    def __str__(self) -> str:
        return str(_("Feedback request %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("hr:feedback", args=[self.pk])


class RehabCase(models.Model):
    employee = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="hr_rehab_cases", verbose_name=_("employee")
    )
    manager = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible manager")
    )
    hr_contact = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("HR contact")
    )
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        # History rows show this: no name, no content.
        return str(_("Rehabilitation case %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("hr:rehab", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RehabEntry(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Rehabilitation plan")
        FOLLOW_UP = "follow_up", _("Follow-up")
        NOTE = "note", _("Note")

    case = models.ForeignKey(RehabCase, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = FreeTextField(
        _("text"),
        help_text=_(
            "Write no medical details beyond what the follow-up needs: what was agreed, what support is"
            " given, when you follow up."
        ),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class RehabAccess(models.Model):
    """One view of a case page: who looked and when. The employee reads this on the case page."""

    case = models.ForeignKey(RehabCase, on_delete=models.CASCADE, related_name="accesses")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.at:%Y-%m-%d %H:%M}"
