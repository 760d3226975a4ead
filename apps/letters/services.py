"""Writes of the letters app: the municipality's letter texts and the letters
sent. Every rule of a letter is here; pages and API only call these."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.access.rules import may_write_case_letter, may_write_question_letter
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import Case
from apps.cases.selectors import latest_zrm_scores, plan_versions
from apps.core.exceptions import DomainError
from apps.core.versioning import bump, lock
from apps.decisions.models import DeadlineChange, Proposal
from apps.decisions.services import personal_plan_due, require_mandate
from apps.intake.models import Question
from apps.intake.services import intake_settings_for, require_staff_member
from apps.letters.defaults import DEFAULT_TEXTS
from apps.letters.models import Letter, LetterTemplate
from apps.letters.pdf import render_letter
from apps.letters.placeholders import LetterKind, fill
from apps.teams.models import Law
from apps.tenants.permissions import Action, require_action

A = AccessLogEntry.Action

# The kinds sent about a question (the others will be about a case).
QUESTION_KINDS = (LetterKind.ACKNOWLEDGEMENT, LetterKind.INVITATION, LetterKind.POSTPONEMENT)


# --- the texts -------------------------------------------------------------------------


def letter_templates_create_defaults(municipality) -> int:
    """Give `municipality` the default text of every kind it has none of yet
    (idempotent; seed_demo calls it). Returns how many were made."""
    existing = set(
        LetterTemplate.objects.filter(municipality=municipality).values_list("kind", flat=True)
    )
    missing = [kind for kind in LetterKind.values if kind not in existing]
    LetterTemplate.objects.bulk_create(
        [letter_template_default(municipality, kind) for kind in missing],
        ignore_conflicts=True,
    )
    return len(missing)


def letter_template_default(municipality, kind: str) -> LetterTemplate:
    """The default text of `kind`, unsaved: what a municipality without its own
    text sends."""
    subject, body = DEFAULT_TEXTS[kind]
    return LetterTemplate(municipality=municipality, kind=kind, subject=subject, body=body)


def letter_template_for(municipality, kind: str) -> LetterTemplate:
    """The municipality's text of `kind`, or the default when it has none."""
    template = LetterTemplate.objects.filter(municipality=municipality, kind=kind).first()
    return template or letter_template_default(municipality, kind)


def letter_template_create(*, actor, municipality, kind: str) -> LetterTemplate:
    """The municipality's own text of `kind`, made from the default when it has
    none yet (admin), to be edited next."""
    require_action(actor, municipality, Action.CONFIGURATION_MANAGE)
    if kind not in LetterKind.values:
        raise ValidationError({"kind": _("Kies een soort brief.")})
    staff = require_staff_member(actor, municipality)
    existing = LetterTemplate.objects.filter(municipality=municipality, kind=kind).first()
    if existing is not None:
        return existing
    template = letter_template_default(municipality, kind)
    template.updated_by = staff
    template.full_clean()
    with transaction.atomic():
        template.save()
        log_access(user=actor, action=A.CREATE, obj=template, municipality=municipality)
    return template


def letter_template_update(
    *, actor, template: LetterTemplate, subject: str, body: str, expected_version: int
) -> LetterTemplate:
    """Change the text of one kind (admin): unknown placeholders are refused,
    naming them; a text changed meanwhile by a colleague is a version clash."""
    municipality = template.municipality
    require_action(actor, municipality, Action.CONFIGURATION_MANAGE)
    staff = require_staff_member(actor, municipality)
    with transaction.atomic():
        current = lock(template, expected_version)
        current.subject = (subject or "").strip()
        current.body = (body or "").strip()
        current.full_clean()
        bump(current, staff, "subject", "body")
        log_access(user=actor, action=A.CHANGE, obj=current, municipality=municipality)
    return current


# --- the letters -----------------------------------------------------------------------


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _team_contact_values(team, municipality) -> dict[str, str]:
    """The team placeholders (`TEAM_CONTACT`): the team's name, phone number
    (else the letter sender's), e-mail address and active walk-in locations."""
    if team is None:
        return {"team": "—", "team_telefoon": "—", "team_email": "—", "inloopadressen": "—"}
    locations = [
        f"{location.name}, {location.address}"
        + (f" ({location.walk_in_hours})" if location.walk_in_hours else "")
        for location in team.locations.filter(is_active=True).order_by("name")
    ]
    return {
        "team": team.name,
        "team_telefoon": team.phone or intake_settings_for(municipality).phone or "—",
        "team_email": team.email or "—",
        "inloopadressen": "; ".join(locations) or "—",
    }


def _values(
    *, kind, question: Question, staff, meeting_at=None, place="", deadline_change=None
) -> dict[str, str]:
    """The placeholders of `kind` as plain strings."""
    municipality = question.municipality
    values = {
        "naam": question.resident.full_name,
        "gemeente": municipality.name,
        "datum": _date(timezone.localdate()),
        "medewerker": staff.user.full_name,
        "vraagnummer": str(question.pk),
        **_team_contact_values(question.team, municipality),
    }
    if kind == LetterKind.ACKNOWLEDGEMENT:
        settings = intake_settings_for(municipality)
        values.update(
            datum_melding=_date(timezone.localdate(question.received_at)),
            uiterste_datum_onderzoek=_date(question.investigation_deadline),
            uiterste_datum_persoonlijk_plan=_date(personal_plan_due(question, settings)),
        )
    elif kind == LetterKind.POSTPONEMENT:
        values.update(
            datum_melding=_date(timezone.localdate(question.received_at)),
            oude_termijn=_date(deadline_change.old_date),
            nieuwe_termijn=_date(deadline_change.new_date),
            reden=deadline_change.reason,
        )
    elif kind == LetterKind.INVITATION:
        local = timezone.localtime(meeting_at)
        values.update(
            datum_gesprek=_date(local.date()),
            tijd_gesprek=local.strftime("%H:%M"),
            plaats_gesprek=place,
        )
    return values


def _check_question_letter(kind, question: Question, meeting_at, place) -> dict:
    """The rule of each kind about a question; returns the kind's data."""
    if kind == LetterKind.ACKNOWLEDGEMENT:
        if Law.WMO not in (question.laws or []) or question.investigation_deadline is None:
            raise DomainError(
                _(
                    "Een ontvangstbevestiging hoort bij een Wmo-melding met een "
                    "onderzoekstermijn; deze vraag is dat niet."
                )
            )
        return {}
    if kind == LetterKind.POSTPONEMENT:
        change = latest_extension(question)
        if change is None:
            raise DomainError(
                _(
                    "Een brief over de verlenging hoort bij een vraag waarvan de "
                    "onderzoekstermijn is verlengd; deze termijn is niet verlengd."
                )
            )
        return {"deadline_change": change}
    errors = {}
    place = (place or "").strip()
    if meeting_at is None:
        errors["meeting_at"] = _("Geef de datum en tijd van het gesprek op.")
    elif not isinstance(meeting_at, datetime):
        errors["meeting_at"] = _("Geef een geldige datum en tijd op.")
    elif meeting_at <= timezone.now():
        errors["meeting_at"] = _("Het gesprek moet in de toekomst liggen.")
    if not place:
        errors["place"] = _("Geef de plaats van het gesprek op.")
    if errors:
        raise ValidationError(errors)
    return {"meeting_at": meeting_at, "place": place}


def latest_extension(question: Question) -> DeadlineChange | None:
    """The last extension (verlenging) of the question's investigation deadline."""
    return (
        DeadlineChange.objects.filter(question=question, kind=DeadlineChange.Kind.EXTEND)
        .order_by("-at", "-pk")
        .first()
    )


def letter_preview(*, actor, kind: str, question: Question, meeting_at=None, place="") -> dict:
    """The subject and text the letter would have, filled in (no letter made)."""
    municipality = question.municipality
    staff = require_staff_member(actor, municipality)
    template = letter_template_for(municipality, kind)
    data = {"meeting_at": meeting_at, "place": place}
    if kind == LetterKind.POSTPONEMENT:
        data = _check_question_letter(kind, question, None, "")
    values = _values(kind=kind, question=question, staff=staff, **data)
    return {"subject": fill(template.subject, values), "body": fill(template.body, values)}


def letter_create(
    *, actor, kind: str, question: Question, meeting_at=None, place: str = ""
) -> Letter:
    """Make a letter about a question from the municipality's text of `kind`,
    store it with its PDF and record who sent it: the acknowledgement of a Wmo
    melding (only for a Wmo melding with an investigation deadline), the
    notice that its investigation deadline was extended (only after an
    extension: the old and new date and the reason of the last one) or the
    invitation to a kitchen-table talk (a date and time in the future and a
    place). Only whoever handles the question (`may_write_question_letter`)."""
    if kind not in QUESTION_KINDS:
        raise ValidationError({"kind": _("Kies een soort brief.")})
    municipality = question.municipality
    require_action(actor, municipality, Action.QUESTION_HANDLE)
    if not may_write_question_letter(actor, question):
        raise PermissionDenied(_("Alleen wie de vraag behandelt kan deze brief sturen."))
    staff = require_staff_member(actor, municipality)
    with transaction.atomic():
        current = (
            Question.objects.select_for_update().select_related("resident").get(pk=question.pk)
        )
        data = _check_question_letter(kind, current, meeting_at, place)
        template = letter_template_for(municipality, kind)
        values = _values(kind=kind, question=current, staff=staff, **data)
        letter = Letter(
            municipality=municipality,
            kind=kind,
            resident=current.resident,
            question=current,
            subject=fill(template.subject, values),
            body=fill(template.body, values),
            created_by=staff,
            **data,
        )
        _store(letter, actor=actor, staff=staff, filename=f"brief-{current.pk}-{kind}.pdf")
    return letter


def _store(letter: Letter, *, actor, staff, filename: str, report=None) -> None:
    """Render the PDF of `letter`, save the file, then insert the row once,
    complete (never updated after), with its access-log entry; inside the
    caller's transaction. When the insert fails the stored file goes too."""
    letter.created_at = timezone.now()
    letter.full_clean(exclude=["file"])
    pdf = render_letter(letter, staff=staff, report=report)
    letter.file.save(filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            letter.save()
            log_access(
                user=actor,
                action=A.CREATE,
                obj=letter,
                municipality=letter.municipality,
                resident=letter.resident,
            )
    except Exception:
        # Nothing saved: the stored PDF goes too.
        letter.file.storage.delete(letter.file.name)
        raise


# --- the report of the investigation (verslag, Wmo 2015 art. 2.3.4) about a case -------


def report_contents(case: Case) -> dict:
    """What the report of a case shows besides its text: per life domain the
    latest ZRM score (`zrm`, `apps.cases.selectors.latest_zrm_scores`) and the
    plan that counts now (`plan`: the draft or the agreed version, with its goals
    and solutions; None without a plan). Refused when the case has neither."""
    zrm = latest_zrm_scores(case)
    plan, _older = plan_versions(case)
    if not zrm and plan is None:
        raise DomainError(
            _(
                "Een verslag van het onderzoek gaat over de zelfredzaamheidsmeting en het "
                "ondersteuningsplan; deze casus heeft nog geen meting en geen plan."
            )
        )
    goals = sorted(
        plan.goals.all() if plan else [],
        key=lambda goal: (goal.life_domain.position, goal.life_domain.name, goal.position, goal.pk),
    )
    assessed_on = max((row["score"].assessment.assessed_on for row in zrm), default=None)
    return {"zrm": zrm, "plan": plan, "goals": goals, "assessed_on": assessed_on}


def _report_values(*, case: Case, staff, report: dict) -> dict[str, str]:
    plan = report["plan"]
    # The letter is Dutch whatever the interface language (as its text).
    with translation.override("nl"):
        if plan is None:
            plan_state = _("er is nog geen plan")
        elif plan.is_draft:
            plan_state = _("concept, nog niet met u afgesproken")
        else:
            plan_state = _("afgesproken op %(date)s") % {"date": _date(plan.agreed_on)}
        return {
            "naam": case.resident.full_name,
            "gemeente": case.municipality.name,
            "datum": _date(timezone.localdate()),
            "medewerker": staff.user.full_name,
            "casusnummer": str(case.pk),
            "datum_meting": _date(report["assessed_on"]),
            "status_plan": plan_state,
            **_team_contact_values(case.team, case.municipality),
        }


def _check_case_report(actor, case: Case):
    municipality = case.municipality
    require_action(actor, municipality, Action.CASE_WORK)
    if not may_write_case_letter(actor, case):
        raise PermissionDenied(_("Alleen wie aan de casus werkt kan het verslag maken."))
    return require_staff_member(actor, municipality)


def case_report_preview(*, actor, case: Case) -> dict:
    """The subject, text, ZRM scores and plan the report would have (nothing made)."""
    staff = _check_case_report(actor, case)
    report = report_contents(case)
    template = letter_template_for(case.municipality, LetterKind.REPORT)
    values = _report_values(case=case, staff=staff, report=report)
    return {
        "subject": fill(template.subject, values),
        "body": fill(template.body, values),
        **report,
    }


def case_report_create(*, actor, case: Case) -> Letter:
    """Make the written report of the investigation (verslag, Wmo 2015 art.
    2.3.4) of a case: the municipality's text of the kind, the latest ZRM score
    per life domain and the current support plan (its goals and solutions per
    life domain, "concept" while not agreed) as a fixed part of the layout.
    Only whoever works on the case (`may_write_case_letter`); refused when the
    case has neither an assessment nor a plan (nothing is saved)."""
    staff = _check_case_report(actor, case)
    municipality = case.municipality
    with transaction.atomic():
        current = (
            Case.objects.select_for_update(of=("self",))
            .select_related("resident", "municipality")
            .get(pk=case.pk)
        )
        report = report_contents(current)
        template = letter_template_for(municipality, LetterKind.REPORT)
        values = _report_values(case=current, staff=staff, report=report)
        letter = Letter(
            municipality=municipality,
            kind=LetterKind.REPORT,
            resident=current.resident,
            case=current,
            subject=fill(template.subject, values),
            body=fill(template.body, values),
            created_by=staff,
        )
        _store(
            letter,
            actor=actor,
            staff=staff,
            filename=f"verslag-{current.pk}.pdf",
            report=report,
        )
    return letter


# --- the notice that a proposal's decision deadline was extended (Awb 4:14) ---------


def latest_proposal_extension(proposal: Proposal) -> DeadlineChange | None:
    """The last extension (verdaging) of the proposal's decision deadline."""
    return (
        DeadlineChange.objects.filter(proposal=proposal, kind=DeadlineChange.Kind.EXTEND)
        .order_by("-at", "-pk")
        .first()
    )


def _proposal_notice_data(proposal: Proposal) -> DeadlineChange:
    change = latest_proposal_extension(proposal)
    if change is None:
        raise DomainError(
            _(
                "Een brief over de verdaging hoort bij een aanvraag waarvan de beslistermijn "
                "is verlengd; deze beslistermijn is niet verlengd."
            )
        )
    return change


def _proposal_values(*, proposal: Proposal, staff, change: DeadlineChange) -> dict[str, str]:
    return {
        "naam": proposal.resident.full_name,
        "gemeente": proposal.municipality.name,
        "datum": _date(timezone.localdate()),
        "medewerker": staff.user.full_name,
        "aanvraagnummer": str(proposal.pk),
        "voorziening": proposal.provision_type.name,
        "datum_aanvraag": _date(proposal.application_date),
        "oude_termijn": _date(change.old_date),
        "nieuwe_termijn": _date(change.new_date),
        "reden": change.reason,
    }


def proposal_letter_preview(*, actor, proposal: Proposal) -> dict:
    """The subject and text of the notice about the proposal (nothing made)."""
    require_mandate(actor, proposal)
    staff = require_staff_member(actor, proposal.municipality)
    change = _proposal_notice_data(proposal)
    template = letter_template_for(proposal.municipality, LetterKind.DECISION_POSTPONEMENT)
    values = _proposal_values(proposal=proposal, staff=staff, change=change)
    return {"subject": fill(template.subject, values), "body": fill(template.body, values)}


def proposal_letter_create(*, actor, proposal: Proposal) -> Letter:
    """Make the notice (Awb 4:14) that the decision deadline of an application
    was extended: the old and new date and the reason of the last extension
    (`DeadlineChange` of kind *extend* on the proposal). Only whoever may change
    that deadline (`require_mandate`: a loket consultant mandated for the law);
    refused without an extension (nothing saved)."""
    require_mandate(actor, proposal)
    municipality = proposal.municipality
    staff = require_staff_member(actor, municipality)
    with transaction.atomic():
        current = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("resident", "provision_type", "municipality")
            .get(pk=proposal.pk)
        )
        change = _proposal_notice_data(current)
        template = letter_template_for(municipality, LetterKind.DECISION_POSTPONEMENT)
        values = _proposal_values(proposal=current, staff=staff, change=change)
        letter = Letter(
            municipality=municipality,
            kind=LetterKind.DECISION_POSTPONEMENT,
            resident=current.resident,
            proposal=current,
            deadline_change=change,
            subject=fill(template.subject, values),
            body=fill(template.body, values),
            created_by=staff,
        )
        _store(letter, actor=actor, staff=staff, filename=f"verdaging-{current.pk}.pdf")
    return letter
