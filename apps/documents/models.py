"""Documents and attachments (bijlagen): a medical advice, a quote, a signed plan,
an incoming letter, kept on a resident's file, a case or a question.

A document is never deleted: it is withdrawn (ingetrokken) with a reason, and
then stays listed as withdrawn. Its file lives in the private storage under a
random name; only the checked and logged views send it."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.files import PrivateStorage
from apps.core.models import MunicipalityOwned, VersionedModel
from apps.documents.content import ALLOWED_TYPES


class DocumentDeleteError(TypeError):
    """A document is withdrawn with a reason, never deleted."""


def document_path(instance, filename: str) -> str:
    """`documents/<municipality>/<random>`: never the name the user gave (that is
    kept in `original_filename`), so the path says nothing about the content."""
    return f"documents/{instance.municipality_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def delete(self):
        raise DocumentDeleteError(_("Een document wordt ingetrokken, nooit verwijderd."))

    def _raw_delete(self, using):
        raise DocumentDeleteError(_("Een document wordt ingetrokken, nooit verwijderd."))


DocumentManager = models.Manager.from_queryset(DocumentQuerySet)


class Document(MunicipalityOwned, VersionedModel):
    """Document: a file kept on a resident's file, and on one of their cases or
    questions (never both). `resident` is always set: for a case's or a
    question's document it is the case's or question's resident."""

    class Kind(models.TextChoices):
        MEDICAL_ADVICE = "medical_advice", _("medisch advies")
        QUOTE = "quote", _("offerte")
        SIGNED_PLAN = "signed_plan", _("ondertekend plan")
        INCOMING_LETTER = "incoming_letter", _("inkomende brief")
        OTHER = "other", _("overig")

    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    question = models.ForeignKey(
        "intake.Question",
        verbose_name=_("vraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    document_date = models.DateField(_("datum van het document"))
    file = models.FileField(_("bestand"), storage=PrivateStorage(), upload_to=document_path)
    original_filename = models.CharField(_("oorspronkelijke bestandsnaam"), max_length=255)
    # The type detected from the content (apps.documents.content), never the
    # browser's claim: one of the allowed types, sent back as Content-Type.
    content_type = models.CharField(
        _("soort bestand"),
        max_length=120,
        choices=[(mime, mime) for mime in ALLOWED_TYPES],
    )
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("toegevoegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reden van intrekken"), max_length=2000, blank=True)

    objects = ScopedManager(municipality="municipality", _manager_class=DocumentManager)
    # Django's own lookups (related objects, the admin): refuses deletes too.
    base_objects = DocumentManager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        base_manager_name = "base_objects"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(case__isnull=False) & models.Q(question__isnull=False)),
                name="document_case_or_question_not_both",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(withdrawn_at__isnull=True, withdrawn_reason="")
                    | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawn_reason=""))
                ),
                name="document_withdrawn_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-uploaded_at"], name="document_case_idx"),
            models.Index(fields=["question", "-uploaded_at"], name="document_question_idx"),
            models.Index(fields=["resident", "-uploaded_at"], name="document_resident_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def clean(self):
        errors = {}
        if self.case_id and self.question_id:
            errors["question"] = _(
                "Een document hoort bij een casus of bij een vraag, niet bij beide."
            )
        for name in ("resident", "case", "question"):
            related = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if related is not None and related.municipality_id != self.municipality_id:
                errors[name] = _("Kies een gegeven van deze gemeente.")
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        raise DocumentDeleteError(_("Een document wordt ingetrokken, nooit verwijderd."))
