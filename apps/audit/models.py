"""The access log (toegangslog): who looked at or changed whose file, when,
from where and why. NEN 7513 asks this of systems holding health data; the
GDPR lets a resident ask who saw their file.

Entries are append-only, and so are the rows naming the residents a list
showed (AccessLogResident): the model, its manager and its queryset refuse
updates and deletes, the admin is read-only, and on PostgreSQL a trigger refuses
UPDATE and DELETE on the tables themselves.

The one exception is the purge of entries past the municipality's retention
period (apps.audit.services.access_log_purge): on PostgreSQL only through the
database function `portal_purge_access_log` (audit/0007_access_log_purge), on
other databases through `_raw_delete` of the managers below, open only inside
`purge_allowed()`, which only that service enters."""

import contextlib
import contextvars

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.models import AppendOnlyError as AppendOnlyError  # re-exported for callers
from apps.core.models import AppendOnlyModel, AppendOnlyQuerySet

_PURGING = contextvars.ContextVar("audit_access_log_purging", default=False)


@contextlib.contextmanager
def purge_allowed():
    """Open the delete path of the access log managers for the purge of the
    retention period (SQLite and other databases without the PostgreSQL
    function). Only apps.audit.services.access_log_purge enters it."""
    token = _PURGING.set(True)
    try:
        yield
    finally:
        _PURGING.reset(token)


class AccessLogQuerySet(AppendOnlyQuerySet):
    """Append-only, except the raw delete of the retention purge."""

    def _raw_delete(self, using):
        if not _PURGING.get():
            return super()._raw_delete(using)  # refuses
        return models.QuerySet._raw_delete(self, using)


AccessLogManager = models.Manager.from_queryset(AccessLogQuerySet)


class AccessLogEntry(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        SEARCH = "search", _("gezocht")
        CREATE = "create", _("aangemaakt")
        CHANGE = "change", _("gewijzigd")
        FORWARD = "forward", _("doorgestuurd")
        ASSIGN = "assign", _("opgepakt")
        DECIDE = "decide", _("besloten")
        EXPORT = "export", _("geëxporteerd")
        DOWNLOAD = "download", _("gedownload")
        SHARE = "share", _("gedeeld")
        UNSHARE = "unshare", _("delen ingetrokken")

    class Channel(models.TextChoices):
        WEB = "web", _("portaal")
        API = "api", _("API")
        SYSTEM = "system", _("systeem")

    municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
        # The composite indexes below all start with the municipality; a separate
        # one would only slow down every insert.
        db_index=False,
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too: the entry must read the same after a rename.
    user_label = models.CharField(_("gebruiker (zoals toen)"), max_length=300, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=100)
    object_id = models.CharField(_("nummer"), max_length=64, blank=True)
    object_label = models.CharField(_("gegeven"), max_length=300, blank=True)
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De inwoner wiens dossier het betreft."),
    )
    # A list or search shows many objects at once: one entry per request names
    # them all, the ids of `object_type` shown here (a JSON list: nothing queries
    # it) and their residents as AccessLogResident rows, so the overview for a
    # resident finds list reads too (NEN 7513 counts lists).
    object_ids = models.JSONField(_("getoonde nummers"), default=list, blank=True)
    remote_addr = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    channel = models.CharField(_("via"), max_length=10, choices=Channel.choices, default="web")
    reason = models.TextField(_("reden"), blank=True)
    # Who the user was when they acted: roles and team memberships as they were
    # then, with team and organisation names as text (see
    # apps.audit.services.acted_as). The overview for a resident names these,
    # not the person.
    acted_as = models.JSONField(_("rol en teams (zoals toen)"), default=dict, blank=True)

    objects = ScopedManager(
        municipality="municipality",
        _manager_class=AccessLogManager,
    )
    append_only_base = AccessLogManager()

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        base_manager_name = "append_only_base"
        indexes = [
            models.Index(fields=["municipality", "-at"], name="audit_muni_at"),
            models.Index(fields=["municipality", "user", "-at"], name="audit_muni_user_at"),
            models.Index(fields=["municipality", "resident", "-at"], name="audit_muni_resident_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.object_label}"


class AccessLogResident(AppendOnlyModel):
    """One resident shown by a list or search that `entry` logged: a row per
    resident, so the overview for a resident finds the lists that showed them
    (on any database). Append-only like the entry itself; written with it, all
    rows of an entry in one INSERT."""

    municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
        # Always read through the entry or the resident (both of the same
        # municipality); a separate index would only slow down every insert.
        db_index=False,
    )
    entry = models.ForeignKey(
        AccessLogEntry,
        verbose_name=_("toegangslogregel"),
        on_delete=models.PROTECT,
        related_name="shown_residents",
        db_index=False,  # the unique constraint below starts with it
    )
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the index below starts with it
    )

    objects = ScopedManager(
        municipality="municipality",
        _manager_class=AccessLogManager,
    )
    append_only_base = AccessLogManager()

    class Meta:
        verbose_name = _("getoonde inwoner")
        verbose_name_plural = _("getoonde inwoners")
        ordering = ["pk"]
        default_permissions = ("view",)
        base_manager_name = "append_only_base"
        constraints = [
            models.UniqueConstraint(fields=["entry", "resident"], name="audit_shown_resident_once")
        ]
        indexes = [
            # The filter on a resident: their rows, and per entry whether it showed them.
            models.Index(fields=["resident", "entry"], name="audit_shown_resident_entry"),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.resident_id}"
