"""Letters beyond the beschikking: the texts per municipality (`LetterTemplate`)
and every letter made from them (`Letter`), stored as a PDF and never changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.files import PrivateStorage
from apps.core.models import (
    AppendOnlyManager,
    AppendOnlyModel,
    EditedByModel,
    MunicipalityOwned,
    VersionedModel,
)
from apps.letters.placeholders import LetterKind, validate_placeholders


class LetterTemplate(MunicipalityOwned, VersionedModel, EditedByModel):
    """The subject and body of one kind of letter in one municipality, with
    placeholders such as `{naam}` (`apps.letters.placeholders`). The text is
    never rendered by the template engine; the layout of the letter is the fixed
    file `templates/pdf/letter.html`."""

    kind = models.CharField(_("soort brief"), max_length=30, choices=LetterKind.choices)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"), max_length=10_000)

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="lettertemplate_one_per_kind"
            )
        ]

    def __str__(self):
        return str(self.get_kind_display())

    def clean(self):
        validate_placeholders(kind=self.kind, subject=self.subject, body=self.body)


class Letter(AppendOnlyModel, MunicipalityOwned):
    """A letter as sent (made and stored for dispatch): the subject and text as
    filled in, the PDF, who made it and when. Never changed or deleted."""

    kind = models.CharField(_("soort brief"), max_length=30, choices=LetterKind.choices)
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    question = models.ForeignKey(
        "intake.Question",
        verbose_name=_("vraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # The report of the investigation (verslag) is about a case.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # The notice that the decision deadline of an application was extended.
    proposal = models.ForeignKey(
        "decisions.Proposal",
        verbose_name=_("voorstel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"), max_length=20_000)
    # The invitation: when and where the talk is.
    meeting_at = models.DateTimeField(_("datum en tijd gesprek"), null=True, blank=True)
    place = models.CharField(_("plaats gesprek"), max_length=200, blank=True)
    # The postponement: the extension it tells about.
    deadline_change = models.ForeignKey(
        "decisions.DeadlineChange",
        verbose_name=_("termijnwijziging"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("bestand"), storage=PrivateStorage(), upload_to="letters/%Y/%m/")
    created_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("gemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["-created_at", "-pk"]
        base_manager_name = "append_only_base"

    def __str__(self):
        return _("Brief %(number)s (%(kind)s)") % {
            "number": self.pk,
            "kind": self.get_kind_display(),
        }

    @property
    def filename(self) -> str:
        return f"brief-{self.pk}.pdf"
