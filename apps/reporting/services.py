"""The rules of the monitoring reports: who may see and request them, which
periods are valid, that a period is never built twice at the same time, and
how a build ends — ready with both files, or failed with the reason and no
half file."""

import logging
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.exceptions import DomainError
from apps.reporting import dashboard
from apps.reporting.models import MAX_PERIOD_MONTHS, Report, ReportSettings
from apps.reporting.periods import month_end, month_start, parse_month, validate_period
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Action, require_action

logger = logging.getLogger("portal.reporting")

# A build that has run this long without finishing is taken to have died with
# its worker: the sweep and a redelivered task may start it again.
# Just over the task's hard time limit (tasks.build_report): past that, no
# worker is still at it.
STALE_RUNNING = timedelta(minutes=12)
# A request whose task never reached a worker (broker down): the sweep sends it again.
STALE_QUEUED = timedelta(minutes=10)
# A database or disk that is away for a moment; worth trying again. A bug is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
# How often a build is tried in all (a redelivery after a lost worker included).
MAX_ATTEMPTS = 5


class ReportQuotaExceeded(DomainError):
    """A person asked for more new reports today than REPORT_REQUESTS_PER_DAY."""


class MunicipalityBusy(Exception):
    """The municipality already has its share of builds running
    (REPORT_BUILDS_PER_MUNICIPALITY): the build waits its turn."""


def require_report_access(actor, municipality) -> StaffMember:
    """Policy advisors and the municipality admin, of this municipality only."""
    require_action(actor, municipality, Action.REPORT_VIEW)
    return StaffMember.objects.get(user=actor, municipality=municipality)


def report_settings(municipality) -> ReportSettings:
    settings, _created = ReportSettings.objects.get_or_create(municipality=municipality)
    return settings


def visible_reports(actor, municipality):
    require_report_access(actor, municipality)
    return Report.objects.filter(municipality=municipality).select_related(
        "requested_by__user", "municipality"
    )


def report_request(
    *,
    actor,
    municipality,
    period_start,
    period_end,
    audience: str = Report.Audience.OUTSIDE,
    compare_previous_year: bool = False,
) -> tuple[Report, bool]:
    """A policy advisor (or the admin) asks for a report of whole months, to
    share outside the municipality (small counts hidden at the municipality's
    threshold) or for internal use (nothing hidden), optionally beside the same
    months a year earlier. The answer is the report and whether it is new: the
    same request still being made is returned instead of a second one.

    Who may ask for the internal version: the same roles that may read reports
    at all (policy advisor, municipality admin; docs/permissions.md). It shows
    aggregates only, never a person; what it adds are the small counts, which
    stay inside the municipality."""
    staff = require_report_access(actor, municipality)
    if audience not in Report.Audience.values:
        raise ValidationError({"audience": _("Kies voor wie de rapportage is.")})
    errors = {}
    months = {}
    for field, value in (("period_start", period_start), ("period_end", period_end)):
        try:
            months[field] = parse_month(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    start, end = months["period_start"], month_end(months["period_end"])
    validate_period(start, end, max_months=MAX_PERIOD_MONTHS)
    return _queue(
        municipality,
        start,
        end,
        requested_by=staff,
        audience=audience,
        compare_previous_year=bool(compare_previous_year),
    )


def report_schedule_last_month(municipality, today: date | None = None) -> tuple[Report, bool]:
    """The monthly job: last month's report, to share outside (small counts
    hidden), once (a second run of the job on the same day finds the one it
    made)."""
    today = today or timezone.localdate()
    end = month_start(today) - timedelta(days=1)
    start = month_start(end)
    done = Report.objects.filter(
        municipality=municipality,
        period_start=start,
        period_end=end,
        is_scheduled=True,
        audience=Report.Audience.OUTSIDE,
        compare_previous_year=False,
    ).exclude(status=Report.Status.FAILED)
    existing = done.first()
    if existing is not None:
        return existing, False
    return _queue(
        municipality,
        start,
        end,
        requested_by=None,
        audience=Report.Audience.OUTSIDE,
        compare_previous_year=False,
    )


def _queue(
    municipality,
    start: date,
    end: date,
    *,
    requested_by,
    audience: str,
    compare_previous_year: bool,
) -> tuple[Report, bool]:
    def running():
        return Report.objects.filter(
            municipality=municipality,
            period_start=start,
            period_end=end,
            audience=audience,
            compare_previous_year=compare_previous_year,
            status__in=Report.IN_PROGRESS,
        ).first()

    existing = running()
    if existing is not None:
        return existing, False
    if audience == Report.Audience.INTERNAL:
        threshold = 0
    else:
        threshold = report_settings(municipality).small_count_threshold
    try:
        with transaction.atomic():
            if requested_by is not None:
                _check_quota(requested_by)
            report = Report.objects.create(
                municipality=municipality,
                period_start=start,
                period_end=end,
                requested_by=requested_by,
                is_scheduled=requested_by is None,
                small_count_threshold=threshold,
                audience=audience,
                compare_previous_year=compare_previous_year,
            )
    except IntegrityError:
        # Someone asked for the same period at the same moment: theirs is the one.
        existing = running()
        if existing is None:
            raise
        return existing, False
    logger.info("report %s queued for %s (%s–%s)", report.pk, municipality.pk, start, end)
    municipality_id = municipality.pk
    # A broker that is down or hangs leaves the report queued; the sweep sends it again.
    transaction.on_commit(lambda: _enqueue_after_commit(report.pk, municipality_id), robust=True)
    return report, True


def _enqueue_after_commit(report_id: int, municipality_id: int) -> None:
    """Send the build to the worker once the request is saved. A broker that is
    away gives up after its short timeouts (settings: BROKER_SOCKET_TIMEOUT); the
    request answers as usual and the report waits for the sweep."""
    try:
        enqueue_build(report_id, municipality_id)
    except Exception as exc:
        logger.warning(
            "report %s not sent to the worker (%s: %s); the sweep sends it again",
            report_id,
            type(exc).__name__,
            exc,
        )


def _check_quota(staff: StaffMember) -> None:
    """At most REPORT_REQUESTS_PER_DAY new reports per person per day, counted
    from the stored requests (not a cache: the limit holds with Redis gone). The
    person's row is locked, so two requests at the same moment are counted one
    after the other. Only a request that creates work is counted; the caller
    returns a report that is still being made before it gets here."""
    list(StaffMember.objects.select_for_update().filter(pk=staff.pk).values_list("pk"))
    limit = settings.REPORT_REQUESTS_PER_DAY
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    requested = Report.objects.filter(requested_by=staff, created_at__gte=today).count()
    if requested >= limit:
        raise ReportQuotaExceeded(
            ngettext(
                "U heeft vandaag al %(count)s rapportage aangevraagd, het maximum per dag. "
                "Morgen kunt u weer een nieuwe aanvragen; een rapportage die al gemaakt "
                "wordt, kunt u wel volgen.",
                "U heeft vandaag al %(count)s rapportages aangevraagd, het maximum per dag. "
                "Morgen kunt u weer een nieuwe aanvragen; een rapportage die al gemaakt "
                "wordt, kunt u wel volgen.",
                requested,
            )
            % {"count": requested}
        )


def enqueue_build(report_id: int, municipality_id: int) -> None:
    from apps.reporting.tasks import build_report

    build_report.delay(report_id=report_id, municipality_id=municipality_id)


def report_claim(report_id: int, *, fair_share: bool = True) -> Report | None:
    """Take a report to build: queued, or running so long that its worker must
    have died. One worker wins; a duplicate delivery gets None. When the
    municipality already has REPORT_BUILDS_PER_MUNICIPALITY builds running,
    MunicipalityBusy is raised and the report stays queued. `fair_share` False
    skips that count: a build in the requesting process itself (no broker, the
    local demo) takes no shared worker, and no sweep would send it again."""
    now = timezone.now()
    claimable = Q(status=Report.Status.QUEUED) | Q(
        status=Report.Status.RUNNING, started_at__lt=now - STALE_RUNNING
    )
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(claimable, pk=report_id)
            .select_related("municipality")
            .first()
        )
        if report is None:
            return None
        if report.attempts >= MAX_ATTEMPTS:
            _set_failed(report, _("Het maken is %(n)s keer mislukt.") % {"n": report.attempts})
            return None
        # The municipality's row is the lock on its share of the worker: two
        # claims of one municipality count the running builds one after the other.
        list(
            Municipality.objects.select_for_update()
            .filter(pk=report.municipality_id)
            .values_list("pk")
        )
        building = (
            Report.objects.filter(
                municipality_id=report.municipality_id,
                status=Report.Status.RUNNING,
                started_at__gte=now - STALE_RUNNING,  # not those of a dead worker
            )
            .exclude(pk=report.pk)
            .count()
        )
        if fair_share and building >= settings.REPORT_BUILDS_PER_MUNICIPALITY:
            raise MunicipalityBusy(report.pk)
        # A build taken over from a worker that died: what it wrote goes first.
        _discard_files(report)
        report.status = Report.Status.RUNNING
        report.started_at = now
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    return report


@contextmanager
def without_jit():
    """Run the figures with PostgreSQL's JIT compiler off. The report's
    aggregates repeat correlated subqueries, so the planner's cost estimate
    passes `jit_optimize_above_cost` and the server spends seconds compiling
    queries that run in a fraction of that: the figures of a year of 50 000
    questions took 5.1 s with JIT and 1.0 s without (scripts/bench_reports.py). `SET LOCAL`
    ends with the transaction, so other queries keep the server's setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def report_build(report_id: int, *, fair_share: bool = True) -> Report | None:
    """Build a claimed report: the figures, then both files; ready only with
    both saved. The files' names are recorded on the report before they are
    written, so what an attempt left behind is found and removed whatever
    stopped it (a worker killed between the two files included). Any error
    leaves the report failed (with the reason) and no file behind; errors worth
    a retry are raised again for the task."""
    report = report_claim(report_id, fair_share=fair_share)
    if report is None:
        return None
    try:
        from apps.reporting.figures import build_report_data
        from apps.reporting.render import render_csv, render_pdf

        with without_jit():
            data = build_report_data(
                report.municipality,
                report.period_start,
                report.period_end,
                threshold=report.small_count_threshold,
                audience=report.audience,
                compare_previous_year=report.compare_previous_year,
            )
        contents = {"pdf": render_pdf(data), "csv": render_csv(data)}
        names = _reserve_file_names(report)
        for kind, content in contents.items():
            fieldfile = getattr(report, kind)
            names[kind] = fieldfile.storage.save(names[kind], ContentFile(content))
        with transaction.atomic():
            updated = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
                status=Report.Status.READY,
                pdf=names["pdf"],
                csv=names["csv"],
                finished_at=timezone.now(),
            )
        if not updated:  # given up on meanwhile (the sweep): keep no orphan files
            raise RuntimeError("report no longer running")
    except Exception as exc:
        _discard_files(report)
        if isinstance(exc, TRANSIENT_ERRORS) and report.attempts < MAX_ATTEMPTS:
            report_release(report.pk)  # the task tries again after a pause
        else:
            report_fail(report.pk, exc)
        raise
    report.refresh_from_db()
    logger.info("report %s ready", report.pk)
    # A new report: the dashboard's figures are computed afresh at its next visit.
    threshold = report_settings(report.municipality).small_count_threshold
    dashboard.forget(report.municipality_id, threshold=threshold)
    return report


def _reserve_file_names(report: Report) -> dict[str, str]:
    """Choose the names of the report's two files and record them on the
    (running) report before anything is written: a worker that dies while
    writing leaves names behind that the next attempt, or the sweep, removes."""
    names = {}
    for kind in ("pdf", "csv"):
        fieldfile = getattr(report, kind)
        name = fieldfile.field.generate_filename(report, report.file_name(kind))
        names[kind] = fieldfile.storage.get_available_name(
            name, max_length=fieldfile.field.max_length
        )
    updated = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
        pdf=names["pdf"], csv=names["csv"]
    )
    if not updated:
        raise RuntimeError("report no longer running")
    report.pdf, report.csv = names["pdf"], names["csv"]
    return names


def _discard_files(report: Report) -> None:
    """Remove the files an unfinished attempt wrote (or was about to write) and
    forget their names. Never those of a ready report."""
    if report.status == Report.Status.READY or not (report.pdf.name or report.csv.name):
        return
    for fieldfile in (report.pdf, report.csv):
        if fieldfile.name:
            fieldfile.storage.delete(fieldfile.name)
    Report.objects.filter(pk=report.pk).exclude(status=Report.Status.READY).update(pdf="", csv="")
    report.pdf, report.csv = "", ""


def report_fail(report_id: int, exc: BaseException | None = None, message: str = "") -> None:
    """Record why a build failed, in words a policy advisor can act on."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.status == Report.Status.READY:
        return
    if exc is not None:
        logger.error("report %s failed: %r", report_id, exc)
    _set_failed(
        report,
        message
        or _(
            "Het maken van deze rapportage is mislukt (%(error)s). Vraag de rapportage "
            "opnieuw aan; blijft het mislukken, meld het dan bij de functioneel beheerder."
        )
        % {"error": type(exc).__name__ if exc is not None else _("onbekende fout")},
    )


def report_release(report_id: int) -> None:
    """A transient error: back in the queue for the task's retry."""
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.QUEUED, started_at=None
    )


def _set_failed(report: Report, message: str) -> None:
    _discard_files(report)
    Report.objects.filter(pk=report.pk).exclude(status=Report.Status.READY).update(
        status=Report.Status.FAILED,
        error=message,
        finished_at=timezone.now(),
    )


def reports_sweep(municipality, now=None) -> dict:
    """Every few minutes: send again what never reached a worker; give up on
    builds that hang after their last attempt."""
    now = now or timezone.now()
    resent = 0
    stale_queued = Report.objects.filter(
        municipality=municipality,
        status=Report.Status.QUEUED,
        created_at__lt=now - STALE_QUEUED,
    ).values_list("pk", flat=True)
    for report_id in list(stale_queued[:100]):
        enqueue_build(report_id, municipality.pk)
        resent += 1
    hanging = Report.objects.filter(
        municipality=municipality,
        status=Report.Status.RUNNING,
        started_at__lt=now - STALE_RUNNING,
    )
    for report in hanging[:100]:
        if report.attempts >= MAX_ATTEMPTS:
            _set_failed(report, _("Het maken duurde te lang en is afgebroken."))
        else:
            enqueue_build(report.pk, municipality.pk)
            resent += 1
    return {"resent": resent}
