"""Writes of documents: adding one (checked by content, size and the virus
scanner, then stored privately) and withdrawing one with a reason. Pages and
API call these; the rules are in `apps.access.rules` (documents section)."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.exceptions import DomainError
from apps.core.versioning import bump, lock
from apps.documents import scanner
from apps.documents.content import check_file, sha256_of
from apps.documents.models import Document
from apps.intake.services import require_staff_member

logger = logging.getLogger(__name__)

A = AccessLogEntry.Action


class VirusFoundError(DomainError):
    default_message = _("Het bestand is geweigerd: de virusscanner vond er een virus in.")


class ScannerUnavailableError(DomainError):
    default_message = _(
        "Het bestand kan nu niet op virussen worden gecontroleerd, probeer het later nog eens."
    )


def scan_for_viruses(uploaded, *, field: str = "file") -> None:
    """Scan when a scanner is configured (CLAMD_ADDRESS): an infected file is a
    ValidationError on `field`; a scanner that does not answer refuses the
    upload (fail closed)."""
    address = settings.CLAMD_ADDRESS
    if not address:
        return
    try:
        result = scanner.scan(uploaded, address=address, timeout=settings.CLAMD_TIMEOUT)
    except scanner.ScannerUnavailable as exc:
        logger.error("documents: virus scanner unavailable, upload refused: %s", exc)
        raise ScannerUnavailableError() from exc
    if result.infected:
        logger.warning("documents: upload refused, virus scanner found %s", result.signature)
        raise ValidationError({field: VirusFoundError.default_message})


def _target(*, case, question, resident):
    """The one thing the document hangs on, and the resident it is about."""
    given = [x for x in (case, question, resident) if x is not None]
    if len(given) != 1:
        raise DomainError(_("Kies één casus, één vraag of één inwoner voor het document."))
    if case is not None:
        return {"case": case}, case.resident
    if question is not None:
        return {"question": question}, question.resident
    return {"resident": resident}, resident


def document_upload(
    *,
    actor,
    file,
    title: str,
    kind: str,
    document_date,
    case=None,
    question=None,
    resident=None,
) -> Document:
    """Add a document to a case, a question or a resident's file. Refused with a
    ValidationError on `file` when it is too large, of a refused type, of a type
    that does not match its name or infected; nothing is saved then."""
    target, about = _target(case=case, question=question, resident=resident)
    municipality = about.municipality
    if actor is not None:
        if not rules.may_see_documents(actor, **target):
            raise PermissionDenied(_("U mag de documenten hiervan niet zien."))
        if not rules.may_add_document(actor, **target):
            raise PermissionDenied(_("U mag hier geen document toevoegen."))
    if case is not None and case.is_closed:
        raise DomainError(_("Deze casus is afgesloten. Heropen hem eerst."))
    content_type = check_file(file)
    document = Document(
        municipality=municipality,
        resident=about,
        title=title,
        kind=kind,
        document_date=document_date,
        original_filename=(file.name or "")[-255:],
        content_type=content_type,
        size=file.size,
        sha256=sha256_of(file),
        case=case,
        question=question,
    )
    # Validate the fields before the (slow) scan, so bad input says so first.
    document.full_clean(exclude=["file", "uploaded_by"])
    scan_for_viruses(file)
    with transaction.atomic():
        document.uploaded_by = (
            require_staff_member(actor, municipality) if actor is not None else None
        )
        document.file.save("upload", file, save=False)
        # The file is written before the row; if the row cannot be saved, remove it.
        stored = document.file.name
        try:
            document.full_clean()
            document.save()
            log_access(
                user=actor, action=A.CREATE, obj=document, resident=about, municipality=municipality
            )
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def document_withdraw(*, actor, document: Document, reason: str, expected_version) -> Document:
    """Withdraw a document with a reason: it stays listed as withdrawn (who,
    when, why); only those who may withdraw it still download its file."""
    reason = (reason or "").strip()
    if actor is not None and not rules.may_withdraw_document(actor, document):
        raise PermissionDenied(_("U mag dit document niet intrekken."))
    if not reason:
        raise ValidationError(
            {"reason": _("Geef een reden op waarom het document wordt ingetrokken.")}
        )
    with transaction.atomic():
        current = lock(document, expected_version)
        if current.withdrawn_at is not None:
            raise DomainError(_("Dit document is al ingetrokken."))
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = (
            require_staff_member(actor, current.municipality) if actor is not None else None
        )
        current.withdrawn_reason = reason
        current.full_clean(exclude=["file"])
        bump(current, None, "withdrawn_at", "withdrawn_by", "withdrawn_reason")
        log_access(
            user=actor,
            action=A.CHANGE,
            obj=current,
            resident=current.resident,
            municipality=current.municipality,
        )
    return current
