"""The delegation order as data (committees and mandates), proposals and the decisions they lead to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.core.fields import FreeCharField, FreeTextField


class Committee(models.Model):
    """A committee (nämnd): the body that delegates, and to which delegated decisions are reported."""

    name = FreeCharField(_("name"), max_length=200, unique=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("administration"),
        help_text=_("The administration that prepares the committee's matters."),
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class Mandate(models.Model):
    """One line of the delegation order: a matter that may be decided below the committee, by a named person."""

    class Kind(models.TextChoices):
        DELEGATED = "delegated", _("Delegated decision (reported to the committee)")
        EXECUTION = "execution", _("Execution (not a delegated decision, not reported)")

    class Category(models.TextChoices):
        # Matters that may be delegated.
        OPERATIONS = "operations", _("Running the team's work (planning, schedules, methods)")
        PURCHASE = "purchase", _("Purchases and costs within the budget")
        STAFF = "staff", _("Staff matters (recruitment, leave, working hours)")
        AUTHORITY = "authority", _("Routine exercise of public authority")
        OTHER = "other", _("Other matter that may be delegated")
        # Matters that may never be delegated (6 kap. 38 § KL).
        GOALS = "goals", _("Goals, direction, scope or quality of the activity")
        COUNCIL = "council", _("Submissions and statements to the council (fullmäktige)")
        PRINCIPLE = (
            "principle",
            _("Public authority over individuals in a matter of principle or greater importance"),
        )
        CITIZEN_PROPOSAL = "citizen_proposal", _("Citizens' proposals referred to the committee")
        SPECIAL_LAW = "special_law", _("Matters that a special law says the committee itself must decide")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("committee")
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="mandates", verbose_name=_("unit")
    )
    team = models.ForeignKey(
        "organisation.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("team"),
        help_text=_("The team whose matters this is, if it belongs to one team."),
    )
    number = FreeCharField(_("number in the delegation order"), max_length=30, blank=True)
    matter = FreeCharField(_("matter"), max_length=300)
    category = models.CharField(_("kind of matter"), max_length=30, choices=Category.choices)
    kind = models.CharField(_("delegated decision or execution"), max_length=20, choices=Kind.choices)
    basis_reference = FreeCharField(
        _("the committee's delegation decision"),
        max_length=200,
        blank=True,
        help_text=_("The reference of the decision that delegated the matter, e.g. “SN 2026-02-12 § 14”."),
    )
    basis_date = models.DateField(_("date of the delegation decision"), null=True, blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("delegate"),
    )
    delegate_role = FreeCharField(
        _("the delegate's role"), max_length=200, help_text=_("The role in which the person decides.")
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputy_mandates",
        verbose_name=_("deputy"),
    )
    amount_limit = models.DecimalField(
        _("highest amount (kronor)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty if the matter has no amount."),
    )
    scope = FreeTextField(_("limits and conditions"), blank=True)
    further_delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("further delegated by"),
        help_text=_("If the head of administration passed the matter on (vidaredelegation): who."),
    )
    further_delegated_on = models.DateField(_("further delegated on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["committee__name", "number", "matter"]
        permissions = [("manage_mandates", "May keep the delegation order")]

    def __str__(self) -> str:
        return f"{self.number} {self.matter}".strip()

    def get_absolute_url(self) -> str:
        return reverse("decisions:mandate", args=[self.pk])

    @property
    def reported(self) -> bool:
        return self.kind == self.Kind.DELEGATED


NON_DELEGABLE = {
    Mandate.Category.GOALS,
    Mandate.Category.COUNCIL,
    Mandate.Category.PRINCIPLE,
    Mandate.Category.CITIZEN_PROPOSAL,
    Mandate.Category.SPECIAL_LAW,
}

MANDATE_CONTENT = (
    "committee",
    "unit",
    "team",
    "number",
    "matter",
    "category",
    "kind",
    "basis_reference",
    "basis_date",
    "delegate",
    "delegate_role",
    "deputy",
    "amount_limit",
    "scope",
    "further_delegated_by",
    "further_delegated_on",
)


class MandateVersion(models.Model):
    """A mandate as it read in one version; a mandate's page lists them all."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    proposal = models.ForeignKey(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposal"),
    )
    created_at = models.DateTimeField(_("from"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["mandate", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "number"], name="one_mandate_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id} v{self.number}"


class Proposal(models.Model):
    class Process(models.TextChoices):
        ADVICE = "advice", _("Advice process")
        CONSENT = "consent", _("Consent")
        VOTE = "vote", _("Vote")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("proposal status", "Open")
        DECIDED = "decided", pgettext_lazy("proposal status", "Decided")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("team")
    )
    title = FreeCharField(_("title"), max_length=200)
    background = FreeTextField(_("background"))
    options = FreeTextField(
        _("options"), blank=True, help_text=_("If there are alternatives, write one per line.")
    )
    mandate = models.ForeignKey(
        Mandate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("under mandate"),
    )
    amount = models.DecimalField(_("amount (kronor)"), max_digits=14, decimal_places=2, null=True, blank=True)
    process = models.CharField(_("process"), max_length=20, choices=Process.choices, default=Process.CONSENT)
    deadline = models.DateTimeField(_("deadline"))
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="advice_requests",
        verbose_name=_("ask for advice from"),
        help_text=_("People affected and people with expertise, inside the team or outside it."),
    )
    hide_results = models.BooleanField(
        _("hide the responses until you have responded or the deadline has passed"), default=False
    )
    mandate_change = models.JSONField(
        null=True, blank=True, help_text="The new content of `mandate`, when the proposal is to change it."
    )
    effect = models.JSONField(
        null=True,
        blank=True,
        help_text="What the decision does beyond being recorded, e.g. who takes a role: {'kind': ..., ...}.",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("decisions:proposal", args=[self.pk])

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ProposalVersion(models.Model):
    """The text of a proposal before it was amended, and why it was amended."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = FreeCharField(_("title"), max_length=200)
    background = FreeTextField(_("background"))
    options = FreeTextField(_("options"), blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reason = FreeTextField(_("why it was amended"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_proposal_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Response(models.Model):
    """One person's response to one version of a proposal. A changed response is a new row; the old one stays,
    marked as replaced, so the record shows how positions moved."""

    class Position(models.TextChoices):
        ADVICE = "advice", _("Advice")
        CONSENT = "consent", _("Consent")
        OBJECT = "object", _("Objection")
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        DISAGREE = "disagree", _("Disagree")
        BLOCK = "block", _("Block")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    version = models.PositiveIntegerField(_("on version"))
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    option = FreeCharField(_("preferred option"), max_length=200, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True, help_text="In a vote: option → 0 to 5.")
    reason = FreeTextField(_("reason or advice"), blank=True)
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person"], condition=Q(current=True), name="one_current_response"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_position_display()}"

    @property
    def score_pairs(self) -> list[tuple[str, int]]:
        """The scores as (option, score), for a template (a dict's own "items" would hide an option so named)."""
        return list(self.scores.items())


MAX_SCORE = 5

PROCESS_POSITIONS: dict[str, list[str]] = {
    Proposal.Process.ADVICE: [Response.Position.ADVICE],
    Proposal.Process.CONSENT: [Response.Position.CONSENT, Response.Position.OBJECT],
    Proposal.Process.VOTE: [
        Response.Position.AGREE,
        Response.Position.ABSTAIN,
        Response.Position.DISAGREE,
        Response.Position.BLOCK,
    ],
}


class Conflict(models.Model):
    """A declared conflict of interest (jäv, 6 kap. 28–32 §§ KL): the person neither responds nor decides."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    reason = FreeTextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("declared by")
    )
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="one_conflict_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.reason}"


class CommitteeReport(models.Model):
    """A report of delegated decisions (anmälan av delegationsbeslut) for one committee and period."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="reports", verbose_name=_("committee")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    reported_on = models.DateField(_("reported to the committee on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report of delegated decisions")
        verbose_name_plural = _("reports of delegated decisions")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee} {self.period_start}–{self.period_end}"


class Decision(models.Model):
    """A decision is a record: amended only by a new version (a new row that replaces it), never edited."""

    number = models.CharField(_("reference"), max_length=30, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("proposal")
    )
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("team")
    )
    mandate = models.ForeignKey(
        Mandate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("mandate"),
    )
    mandate_version = models.PositiveIntegerField(null=True, blank=True)
    outcome = FreeTextField(_("what was decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    as_deputy = models.BooleanField(_("decided as deputy"), default=False)
    decided_on = models.DateField(_("decided on"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    amendment_reason = FreeTextField(_("why it was amended"), blank=True)
    report = models.ForeignKey(
        CommitteeReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("reported in"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["number", "version"], name="one_decision_version")]

    def __str__(self) -> str:
        return f"{self.number} {self.proposal.title}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:decision", args=[self.pk])

    @property
    def is_delegated(self) -> bool:
        return self.mandate is not None and self.mandate.kind == Mandate.Kind.DELEGATED

    @property
    def reference(self) -> str:
        return self.number if self.version == 1 else f"{self.number}/{self.version}"
