"""A team's economy: budget, monthly outcomes from the financial system and the team's own forecast, and the
attestation of transactions by two people under the municipality's attestation rules (attestreglemente)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.core.fields import FreeCharField, FreeTextField

MONTHS = range(1, 13)


class CostCentre(models.Model):
    """A cost centre (ansvar / kostnadsställe) in the financial system, usually one team's."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = FreeCharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="cost_centres", verbose_name=_("unit")
    )
    team = models.ForeignKey(
        "organisation.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cost_centres",
        verbose_name=_("team"),
    )
    deviation_threshold = models.PositiveSmallIntegerField(
        _("deviation that needs an explanation (%)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A month whose outcome differs from its budget by more than this asks for an explanation."
        ),
    )

    class Meta:
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("economy:cost_centre", args=[self.code])


class AccountGroup(models.Model):
    """A group of accounts in the chart of accounts (e.g. 50 Personnel costs); budgets are set per group.
    Amounts are net costs as the financial system books them: costs positive, income negative."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = FreeCharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("account group")
        verbose_name_plural = _("account groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetLine(models.Model):
    """The year's budget for one account group of a cost centre, spread evenly over the months."""

    cost_centre = models.ForeignKey(CostCentre, on_delete=models.PROTECT, related_name="budget_lines")
    account_group = models.ForeignKey(
        AccountGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("account group")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget for the year (kronor)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["account_group__code"]
        constraints = [
            models.UniqueConstraint(fields=["cost_centre", "account_group", "year"], name="one_budget_line")
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.account_group.code} {self.year}"


class OutcomeImport(models.Model):
    """One CSV file from the financial system, as imported."""

    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class Outcome(models.Model):
    """The booked outcome of one month for one account group of a cost centre. A later import of the same
    month replaces it (the financial system's figure is the truth)."""

    cost_centre = models.ForeignKey(CostCentre, on_delete=models.PROTECT, related_name="outcomes")
    account_group = models.ForeignKey(AccountGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.ForeignKey(OutcomeImport, on_delete=models.PROTECT, related_name="outcomes")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cost_centre", "account_group", "year", "month"], name="one_outcome_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.account_group.code} {self.year}-{self.month:02}"


class Forecast(models.Model):
    """The team's forecast of a month's net cost, with its reasons."""

    cost_centre = models.ForeignKey(CostCentre, on_delete=models.PROTECT, related_name="forecasts")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField(_("forecast (kronor)"), max_digits=14, decimal_places=2)
    comment = FreeTextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cost_centre", "year", "month"], name="one_forecast_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.year}-{self.month:02}"


class DeviationExplanation(models.Model):
    """Why a month's outcome differs from its budget by more than the cost centre's threshold."""

    cost_centre = models.ForeignKey(CostCentre, on_delete=models.PROTECT, related_name="explanations")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    text = FreeTextField(_("explanation"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cost_centre", "year", "month"], name="one_explanation_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.year}-{self.month:02}"


class Attestant(models.Model):
    """A line of the year's list of attestants: who may attest for a cost centre, in which step, up to which
    amount, and whether as someone's deputy (acting only while that person is recorded as absent)."""

    class Step(models.TextChoices):
        DECISION = "decision", _("Decision attestation")
        REVIEW = "review", _("Review attestation")

    cost_centre = models.ForeignKey(
        CostCentre, on_delete=models.PROTECT, related_name="attestants", verbose_name=_("cost centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attestant_lines",
        verbose_name=_("person"),
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    amount_limit = models.DecimalField(
        _("highest amount (kronor)"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit."),
        max_digits=14,
        decimal_places=2,
    )
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deputy for"),
        help_text=_("A deputy attests only while this person is recorded as absent."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attestant")
        verbose_name_plural = _("attestants")
        ordering = ["cost_centre__code", "step", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_centre", "year", "person", "step"],
                condition=Q(removed_at__isnull=True),
                name="one_attestant_line",
                violation_error_message=_("This person is already on the list for this step."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.cost_centre.code} {self.year} ({self.get_step_display()})"


class Absence(models.Model):
    """A recorded absence of an attestant, during which their deputies act."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("person")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to and including"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_it_starts",
                violation_error_message=_("The absence cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"


class CloseRelation(models.Model):
    """A close relative (närstående) a person has declared, whose payments they may not attest."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="close_relations"
    )
    relative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("close relative")
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="one_close_relation"),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relation_to_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.relative}"


class Transaction(models.Model):
    """A supplier invoice or an expense to be attested before it is paid."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Supplier invoice")
        EXPENSE = "expense", _("Expense")

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", _("Awaiting decision attestation")
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review attestation")
        ATTESTED = "attested", _("Attested")
        REJECTED = "rejected", _("Rejected")

    cost_centre = models.ForeignKey(
        CostCentre, on_delete=models.PROTECT, related_name="transactions", verbose_name=_("cost centre")
    )
    account_group = models.ForeignKey(
        AccountGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("account group")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INVOICE)
    reference = FreeCharField(_("invoice or voucher number"), max_length=60)
    counterparty = FreeCharField(_("supplier or payee"), max_length=200)
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("paid to an employee"),
        help_text=_("For an expense or anything else paid to a person in the organisation."),
    )
    description = FreeTextField(_("what it is for"))
    amount = models.DecimalField(_("amount (kronor)"), max_digits=14, decimal_places=2)
    dated = models.DateField(_("date"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_DECISION
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    attested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-created_at"]
        permissions = [("attest", "May attest transactions")]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_centre", "counterparty", "reference"],
                name="one_transaction_per_reference",
                violation_error_message=_(
                    "This invoice or voucher is already registered for the cost centre."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="transaction_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counterparty} {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("economy:transaction", args=[self.pk])

    @property
    def open(self) -> bool:
        return self.status in (self.Status.AWAITING_DECISION, self.Status.AWAITING_REVIEW)


class Attestation(models.Model):
    """One step of attestation as it was taken: who, in which capacity, and what they said."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="attestations")
    step = models.CharField(_("step"), max_length=10, choices=Attestant.Step.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    comment = FreeTextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.transaction} {self.step} {self.person}"


class AttestConflict(models.Model):
    """A declared conflict of interest (jäv) in a transaction: the person may not attest it."""

    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = FreeTextField(_("why"))
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["transaction", "person"], name="one_attest_conflict")]

    def __str__(self) -> str:
        return f"{self.transaction} – {self.person}"
