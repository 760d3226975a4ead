"""Writes of voorwerk and decisions.

`proposal_decide` is the one place a decision is written. It checks that the
actor is a loket consultant of the proposal's municipality, mandated for the
provision's law; there is no operator path around it (a shell script or a
task acts as a user too, or cannot decide). Pages, the API and the admin call
it; the admin shows decisions read-only.
"""

import logging
from contextlib import contextmanager
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scope

from apps.access.rules import handles_question, mandate_for, may_handle_objections
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import Case, SupportPlan
from apps.cases.services import case_follow_proposals, require_case_worker
from apps.core.exceptions import DomainError
from apps.core.versioning import bump, conflict, lock
from apps.decisions.models import (
    DELIVERY_FIELDS,
    DeadlineChange,
    Decision,
    DecisionLetter,
    Objection,
    ObjectionDecision,
    ObjectionLetter,
    Proposal,
    ProposalKind,
    Provider,
    Provision,
    ProvisionEvent,
    ProvisionType,
    decision_write_guard,
    delivery_form_errors,
)
from apps.decisions.workflow import (
    OBJECTION_FLOW,
    PROPOSAL_EDITABLE,
    PROPOSAL_FLOW,
    PROVISION_FLOW,
)
from apps.intake.models import IntakeSettings, Question
from apps.intake.services import (
    intake_settings_for,
    question_deadline_set,
    question_lock_running,
    require_staff_member,
)
from apps.teams.models import Law, Membership, Team
from apps.teams.services import configuration_save
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action, require_action

logger = logging.getLogger("portal.decisions")

# The key to write a decision: issued once, to this module, and used only by
# `proposal_decide` after the mandate is checked (see `decision_write_guard`).
_DECISION_WRITE_KEY = decision_write_guard.issue_key()

PROPOSAL_FIELDS = (
    "provision_type",
    "resident",
    "plan",
    "volume",
    "unit",
    "frequency",
    "start_date",
    "end_date",
    "motivation",
    "revises",
    *DELIVERY_FIELDS,  # #21 part 1: the form of delivery (optional on voorwerk)
)


A = AccessLogEntry.Action


def _log(actor, action, obj, **kwargs) -> None:
    """The access-log entry of a write, inside the write's transaction."""
    log_access(user=actor, action=action, obj=obj, municipality=obj.municipality, **kwargs)


# --- deadlines -----------------------------------------------------------------------


def decision_weeks(settings: IntakeSettings, law: str) -> int:
    """Wmo: two weeks after the application; the Jeugdwet and other laws (Awb):
    eight weeks. Both configurable per municipality."""
    return settings.wmo_decision_weeks if law == Law.WMO else settings.other_decision_weeks


def decision_deadline(municipality, law: str, application_date: date) -> date:
    return application_date + timedelta(
        weeks=decision_weeks(intake_settings_for(municipality), law)
    )


# --- voorwerk ------------------------------------------------------------------------


def _validate_provision_type(provision_type, municipality) -> None:
    if (
        provision_type is None
        or not isinstance(provision_type, ProvisionType)
        or provision_type.municipality_id != municipality.pk
        or not provision_type.is_active
    ):
        raise ValidationError(
            {"provision_type": _("Kies een voorziening uit de catalogus van deze gemeente.")}
        )


def _revision_errors(proposal: Proposal, revised: Provision | None) -> dict:
    """A proposal that revises a provision is for the resident of that provision,
    and the provision still runs. (Its law may differ, e.g. youth care followed by
    Wmo support at 18: then who decides needs the mandate for both laws, which
    `proposal_decide` checks.) The household and the municipality are the
    model's to check."""
    if revised is None:
        return {}
    if revised.resident_id != proposal.resident_id:
        return {
            "revises": _(
                "Deze voorziening is van een ander lid van het huishouden. Een herziening "
                "is voor de inwoner die de voorziening heeft."
            )
        }
    if revised.status not in Provision.RUNNING:
        return {
            "revises": _(
                "Deze voorziening loopt niet meer (%(status)s) en kan niet meer herzien worden."
            )
            % {"status": revised.get_status_display()}
        }
    return _withdrawal_errors(proposal, revised)  # #21 part 2


def _validate_revision(proposal: Proposal) -> None:
    if not proposal.revises_id:
        return
    # As it is now, not as the caller read it.
    revised = Provision.objects.filter(pk=proposal.revises_id).first()
    errors = _revision_errors(proposal, revised)
    if errors:
        raise ValidationError(errors)


def _with_default_end(proposal: Proposal) -> None:
    if proposal.kind == ProposalKind.WITHDRAWAL:
        return  # #21 part 2: the date it ends is given, never a default
    weeks = proposal.provision_type.default_duration_weeks
    if proposal.end_date is None and proposal.start_date and weeks:
        proposal.end_date = proposal.start_date + timedelta(weeks=weeks) - timedelta(days=1)


def proposal_draft(*, actor, case: Case, provision_type: ProvisionType, **fields) -> Proposal:
    """Draft a proposed individual provision (voorwerk) on a case. Drafted by a
    case team it is voorwerk; drafted on a loket case it is the loket's own path."""
    staff = require_case_worker(actor, case)
    if case.is_closed:
        raise DomainError(_("Deze casus is afgesloten. Heropen hem eerst."))
    _validate_provision_type(provision_type, case.municipality)
    unknown = set(fields) - set(PROPOSAL_FIELDS) - {"kind"}  # kind: withdrawal_draft (#21)
    if unknown:
        raise TypeError(f"unknown proposal fields: {sorted(unknown)}")
    fields.setdefault("resident", case.resident)
    plan = fields.get("plan")
    if plan is None:
        plan = case.plans.exclude(status=SupportPlan.Status.SUPERSEDED).order_by("-number").first()
        fields["plan"] = plan
    proposal = Proposal(
        municipality=case.municipality,
        case=case,
        provision_type=provision_type,
        is_voorwerk=case.team.kind != Team.Kind.LOKET,
        drafted_by=staff,
        updated_by=staff,
        **fields,
    )
    if isinstance(proposal.motivation, str):
        proposal.motivation = proposal.motivation.strip()
    _with_default_end(proposal)
    proposal.full_clean()
    _validate_revision(proposal)
    with transaction.atomic():
        proposal.save()
        _log(actor, A.CREATE, proposal)
    return proposal


def proposal_update(*, actor, proposal: Proposal, expected_version=None, **fields) -> Proposal:
    """Change a draft, or a proposal the loket sent back with a question."""
    staff = require_case_worker(actor, proposal.case)
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown proposal fields: {sorted(unknown)}")
    if "provision_type" in fields:
        _validate_provision_type(fields["provision_type"], proposal.municipality)
    with transaction.atomic():
        current = lock(proposal, expected_version)
        new_type = fields.get("provision_type")
        if (
            current.application_date is not None
            and new_type is not None
            and new_type.law != current.provision_type.law
        ):
            # The application and its statutory term belong to one law.
            raise ValidationError(
                {
                    "provision_type": _(
                        "Dit voorstel is al ingediend als aanvraag onder de %(law)s. Een "
                        "voorziening onder een andere wet is een nieuw voorstel."
                    )
                    % {"law": current.provision_type.get_law_display()}
                }
            )
        if current.status not in PROPOSAL_EDITABLE:
            raise DomainError(
                _("Dit voorstel is %(status)s en kan niet meer gewijzigd worden.")
                % {"status": current.get_status_display()}
            )
        for name, value in fields.items():
            setattr(current, name, value)
        if isinstance(current.motivation, str):
            current.motivation = current.motivation.strip()
        _with_default_end(current)
        current.full_clean()
        _validate_revision(current)
        bump(current, staff, *fields)
        _log(actor, A.CHANGE, current)
    return current


def _linked_consultant_for(case: Case, law: str) -> StaffMember | None:
    """The team's linked loket consultant, if they still work at the loket with a
    mandate for `law`; else None (the loket's queue)."""
    consultant = case.team.linked_loket_consultant
    if consultant is None or not consultant.is_active:
        return None
    if mandate_for(consultant, case.municipality, law) is None:
        return None
    return consultant


@contextmanager
def _case_worker_change(actor, proposal: Proposal, expected_version):
    """A change of the proposal by a case worker of its case: the row locked at the
    version they read, in one transaction with the change's access-log entry.
    Gives (the locked proposal, the case worker's staff row)."""
    staff = require_case_worker(actor, proposal.case)
    with transaction.atomic():
        current = lock(proposal, expected_version)
        yield current, staff
        _log(actor, A.CHANGE, current)


def proposal_submit(*, actor, proposal: Proposal, expected_version=None) -> Proposal:
    """Offer the proposal to the loket: to the team's linked consultant, else
    the loket's queue. The first submission is the application date and starts
    the statutory decision period; a resubmission after a return continues it,
    with the days the question lay with the team added (opgeschort, recorded)."""
    with _case_worker_change(actor, proposal, expected_version) as (current, staff):
        PROPOSAL_FLOW.check(
            current,
            Proposal.Status.SUBMITTED,
            _("Dit voorstel is %(status)s.") % {"status": current.get_status_display()},
        )
        current.full_clean()
        _validate_revision(current)
        now = timezone.now()
        today = timezone.localdate(now)
        fields = ["status", "submitted_at", "submitted_by", "assigned_consultant"]
        if current.application_date is None:
            current.application_date = today
            current.decision_deadline = decision_deadline(current.municipality, current.law, today)
            fields += ["application_date", "decision_deadline"]
        elif current.status == Proposal.Status.RETURNED and current.returned_at:
            days = (today - timezone.localdate(current.returned_at)).days
            if days > 0:
                old = current.decision_deadline
                current.decision_deadline = old + timedelta(days=days)
                DeadlineChange.objects.create(
                    municipality=current.municipality,
                    proposal=current,
                    kind=DeadlineChange.Kind.SUSPEND,
                    old_date=old,
                    new_date=current.decision_deadline,
                    reason=_(
                        "Opgeschort: het voorstel lag %(days)s dagen bij het team voor "
                        "aanvullende informatie."
                    )
                    % {"days": days},
                    by=staff,
                )
                fields.append("decision_deadline")
        PROPOSAL_FLOW.move(current, Proposal.Status.SUBMITTED)
        current.submitted_at = now
        current.submitted_by = staff
        if not current.is_voorwerk and mandate_for(staff, current.municipality, current.law):
            current.assigned_consultant = staff  # the loket's own path, within the mandate
        else:
            current.assigned_consultant = _linked_consultant_for(current.case, current.law)
        bump(current, staff, *fields)
        case_follow_proposals(
            case_id=current.case_id, staff=staff, proposal_pending=True, decided=False
        )
    return current


def proposal_withdraw(*, actor, proposal: Proposal, expected_version=None) -> Proposal:
    if Objection.objects.filter(new_proposal=proposal).exists():
        raise DomainError(
            _(
                "Dit voorstel is het nieuwe besluit na een gegrond bezwaar: het loket "
                "beslist erover, het kan niet worden ingetrokken."
            )
        )
    with _case_worker_change(actor, proposal, expected_version) as (current, staff):
        PROPOSAL_FLOW.move(
            current,
            Proposal.Status.WITHDRAWN,
            _("Dit voorstel is al %(status)s.") % {"status": current.get_status_display()},
        )
        bump(current, staff, "status")
        _settle_case_status(current.case_id, staff)
    return current


def _settle_case_status(case_id, staff) -> None:
    """Tell the case where its proposals and decisions leave it (the cases app
    writes its status)."""
    case_follow_proposals(
        case_id=case_id,
        staff=staff,
        proposal_pending=Proposal.objects.filter(
            case_id=case_id, status=Proposal.Status.SUBMITTED
        ).exists(),
        decided=Decision.objects.filter(
            case_id=case_id, outcome__in=Decision.FINAL_OUTCOMES
        ).exists(),
    )


# --- deciding ------------------------------------------------------------------------


def require_mandate(actor, proposal: Proposal) -> Membership:
    """Rule 1: only a loket consultant of the proposal's municipality, mandated
    for the provision's law, decides. Anyone else gets PermissionDenied."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Alleen een consulent van het loket kan besluiten."))
    municipality = proposal.municipality
    require_action(actor, municipality, Action.PROPOSAL_DECIDE)
    staff = StaffMember.objects.filter(
        municipality=municipality, user=actor, is_active=True
    ).first()
    law = proposal.provision_type.law
    membership = mandate_for(staff, municipality, law)
    if membership is None:
        raise PermissionDenied(
            _("U heeft geen mandaat om te besluiten over %(law)s-voorzieningen.")
            % {"law": Law(law).label}
        )
    _require_revision_mandate(staff, proposal)
    return membership


def _require_revision_mandate(staff: StaffMember, proposal: Proposal) -> None:
    """A proposal that revises a provision under another law decides about that
    provision too: who decides needs the mandate for its law as well."""
    if not proposal.revises_id:
        return
    revised_law = (
        Provision.objects.filter(pk=proposal.revises_id)
        .values_list("provision_type__law", flat=True)
        .first()
    )
    if revised_law is None or revised_law == proposal.provision_type.law:
        return
    if mandate_for(staff, proposal.municipality, revised_law) is None:
        raise PermissionDenied(
            _(
                "Dit voorstel herziet een voorziening onder de %(law)s. U heeft geen mandaat "
                "om te besluiten over %(law)s-voorzieningen."
            )
            % {"law": Law(revised_law).label}
        )


# What a decision may change: a grant "with changes" gives other values for
# these fields of the proposal; no other outcome changes anything. The page's
# form and the API's serializer offer exactly these, and `decision_changes`
# is the one rule for what they send.
CHANGEABLE = ("volume", "unit", "frequency", "start_date", "end_date", *DELIVERY_FIELDS)


def _blank_is_none(value):
    return None if value in (None, "") else value


def decision_changes(proposal: Proposal, outcome: str, given: dict) -> dict:
    """The values a decision with `outcome` changes in `proposal`: for a grant
    with changes, those of `given` that differ; for any other outcome none, and a
    value typed that differs from the proposal's is refused on its field (it
    would be dropped without a word). Nothing changed for a grant with changes
    is refused too ("grant as proposed")."""
    unknown = set(given) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"unknown decision fields: {sorted(unknown)}")
    differing = {
        name: value
        for name, value in given.items()
        if _blank_is_none(value) != _blank_is_none(getattr(proposal, name))
    }
    if outcome == Decision.Outcome.GRANTED_CHANGED:
        if not differing:
            raise ValidationError(
                {"outcome": _("U wijzigt niets: kies 'toekennen zoals voorgesteld'.")}
            )
        return differing
    if differing:
        raise ValidationError(
            {
                name: _(
                    "U wijzigde dit, maar koos niet 'Toekennen met wijzigingen'. Kies dat, "
                    "of zet de waarde terug op die van het voorstel."
                )
                for name in differing
            }
        )
    return {}


def proposal_decide(
    *,
    actor,
    proposal: Proposal,
    outcome: str,
    reasons: str = "",
    expected_version: int | None = None,
    queue_letter: bool = True,
    **changes,
) -> Decision:
    """Decide on a submitted proposal: grant it as proposed, grant it changed
    (volume, unit, frequency, period), refuse it (reasons required) or return it
    for information (the question required). A proposal is decided at most once:
    the proposal row is locked, and a second attempt (or a race) gets a clear
    "already decided". A final decision's letter is built after the commit;
    history loaded after the fact (the demo's 2015) passes `queue_letter=False`
    and leaves it to the daily sweep, which builds every letter that is missing."""
    membership = require_mandate(actor, proposal)
    _require_objection_follow_up(membership, proposal, outcome)  # #21 part 3
    reasons = (reasons or "").strip()
    if set(changes) - set(CHANGEABLE):
        decision_changes(proposal, outcome, changes)  # the TypeError, before anything
    errors = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = _("Kies een besluit.")
    elif outcome == Decision.Outcome.REFUSED and not reasons:
        errors["reasons"] = _("Geef de redenen van de afwijzing op.")
    elif outcome == Decision.Outcome.RETURNED and not reasons:
        errors["reasons"] = _("Schrijf op welke informatie nog nodig is.")
    elif outcome == Decision.Outcome.GRANTED_CHANGED and not reasons:
        errors["reasons"] = _("Motiveer waarom u anders toekent dan voorgesteld.")
    errors = errors or _withdrawal_outcome_errors(proposal, outcome)  # #21 part 2
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The version is compared after the decidable check: the second
        # consultant hears who decided, not only that it changed.
        current = lock(proposal, manager=Proposal.objects.select_related("provision_type", "case"))
        _require_decidable(current)
        if expected_version is not None and current.version != expected_version:
            raise conflict(current)
        revised = None
        if current.revises_id:
            # Locked with the proposal: two revisions of one provision are not
            # both granted.
            revised = lock(Provision, pk=current.revises_id)
            _require_revision_mandate(membership.staff_member, current)
            if outcome in Decision.GRANTS:
                errors = _revision_errors(current, revised)
                if errors:
                    raise DomainError(errors["revises"])
        values = {name: getattr(current, name) for name in CHANGEABLE}
        values.update(decision_changes(current, outcome, changes))
        _validate_values(current, values, outcome)
        decision = Decision(
            municipality=current.municipality,
            proposal=current,
            case=current.case,
            resident_id=current.resident_id,
            outcome=outcome,
            consultant=membership.staff_member,
            mandate=membership,
            law=current.provision_type.law,
            provision_type=current.provision_type,
            legal_basis=current.provision_type.legal_basis,
            reasons=reasons,
            via_voorwerk=current.is_voorwerk,
            application_date=current.application_date,
            deadline=current.decision_deadline,
            kind=current.kind,
            **(values if outcome in Decision.GRANTS else {}),
        )
        decision.full_clean(exclude=["proposal"])
        try:
            with transaction.atomic(), decision_write_guard.opened(_DECISION_WRITE_KEY):
                decision.save()
        except IntegrityError as exc:  # a race the lock did not see (never expected)
            raise DomainError(_("Over dit voorstel is al besloten.")) from exc
        staff = membership.staff_member
        if outcome == Decision.Outcome.RETURNED:
            PROPOSAL_FLOW.move(current, Proposal.Status.RETURNED)
            current.returned_at = decision.decided_at
            bump(current, staff, "status", "returned_at")
        else:
            PROPOSAL_FLOW.move(current, Proposal.Status.DECIDED)
            bump(current, staff, "status")
        if current.is_withdrawal:
            _withdrawal_decided(decision, revised, staff)  # #21 part 2
        elif outcome in Decision.GRANTS:
            Provision.objects.create(
                municipality=current.municipality,
                decision=decision,
                case=current.case,
                household_id=current.case.household_id,
                resident_id=current.resident_id,
                provision_type=current.provision_type,
                volume=values["volume"],
                unit=values["unit"],
                frequency=values["frequency"],
                start_date=values["start_date"],
                end_date=values["end_date"],
                **{name: values[name] for name in DELIVERY_FIELDS},
            )
            if revised is not None:
                PROVISION_FLOW.move(revised, Provision.Status.REVISED)
                bump(revised, staff, "status")
                _provision_event(
                    revised,
                    ProvisionEvent.Kind.REVISED,
                    date=decision.start_date,
                    decision=decision,
                )
        _settle_case_status(current.case_id, staff)
        _log(actor, A.DECIDE, decision)
        if decision.is_final and queue_letter:
            municipality_id = current.municipality_id
            # robust: a broker that is down must not turn a decision that is saved
            # into an error page; the daily sweep builds the letter then.
            transaction.on_commit(
                lambda: _enqueue_letter(decision.pk, municipality_id), robust=True
            )
    proposal.refresh_from_db()
    return decision


def _require_decidable(current: Proposal) -> None:
    if current.status == Proposal.Status.DECIDED:
        decision = current.decisions.filter(outcome__in=Decision.FINAL_OUTCOMES).first()
        if decision is not None:
            raise DomainError(
                _("Over dit voorstel is al besloten door %(name)s op %(date)s.")
                % {
                    "name": decision.consultant.user.full_name,
                    "date": date_format(
                        timezone.localtime(decision.decided_at), "SHORT_DATETIME_FORMAT"
                    ),
                }
            )
        raise DomainError(_("Over dit voorstel is al besloten."))
    if current.status == Proposal.Status.WITHDRAWN:
        raise DomainError(_("Dit voorstel is ingetrokken; er valt niets meer te besluiten."))
    if current.status == Proposal.Status.RETURNED:
        raise DomainError(
            _("Dit voorstel is teruggestuurd met een vraag; het team moet het opnieuw indienen.")
        )
    if current.status != Proposal.Status.SUBMITTED:
        raise DomainError(_("Dit voorstel is nog niet ingediend bij het loket."))


def _validate_values(proposal: Proposal, values: dict, outcome: str) -> None:
    if outcome not in Decision.GRANTS:
        return
    errors = {}
    if values["volume"] is not None and values["volume"] < 0:
        errors["volume"] = _("De omvang kan niet negatief zijn.")
    if values["volume"] is not None and not values["unit"]:
        errors["unit"] = _("Geef de eenheid van de omvang op.")
    if values["unit"] and values["volume"] is None:
        errors["volume"] = _("Geef de omvang op.")
    if not values["start_date"]:
        errors["start_date"] = _("Geef de ingangsdatum op.")
    elif values["end_date"] and values["end_date"] < values["start_date"]:
        errors["end_date"] = _("De einddatum ligt voor de ingangsdatum.")
    if proposal.provision_type.end_date_required and not values["end_date"]:
        errors["end_date"] = _("Voor deze voorziening is een einddatum verplicht.")
    errors.update(_delivery_form_grant_errors(proposal, values))
    if errors:
        raise ValidationError(errors)


def _delivery_form_grant_errors(proposal: Proposal, values: dict) -> dict:
    """#21 part 1: every grant has a complete form of delivery (zorg in natura by
    an active provider contracted for the provision, or a pgb with an amount and
    a period), as proposed or as changed by the decision. A withdrawal ends a
    provision: it delivers nothing, so it has no form of its own."""
    if proposal.is_withdrawal:
        return {}
    return delivery_form_errors(
        municipality_id=proposal.municipality_id,
        provision_type=proposal.provision_type,
        delivery_form=values["delivery_form"],
        provider=values["provider"],
        budget_amount=values["budget_amount"],
        budget_period=values["budget_period"],
        required=True,
    )


def _enqueue_letter(decision_id: int, municipality_id: int) -> None:
    from apps.decisions.tasks import build_decision_letter

    build_decision_letter.delay(decision_id=decision_id, municipality_id=municipality_id)


# --- the decision letter ---------------------------------------------------------------


def decisions_without_letter(municipality, older_than=timedelta(minutes=10)):
    """Final decisions whose letter was never built (a broker that was down, a
    task that gave up): the daily sweep builds them."""
    return Decision.objects.filter(
        municipality=municipality,
        outcome__in=Decision.FINAL_OUTCOMES,
        decided_at__lt=timezone.now() - older_than,
        letter__isnull=True,
    ).order_by("pk")


def decision_letter_build(decision: Decision) -> DecisionLetter:
    """Render and store the letter of a final decision, once: a second call (a
    retried task) returns the stored one."""
    from apps.decisions.letters import render_decision_letter

    existing = DecisionLetter.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    if not decision.is_final:
        raise DomainError(_("Alleen een toekenning of afwijzing krijgt een besluitbrief."))
    pdf = render_decision_letter(decision)
    from django.core.files.base import ContentFile

    letter = DecisionLetter(municipality=decision.municipality, decision=decision)
    letter.file.save(f"besluit-{decision.pk}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Built by another worker at the same moment: keep theirs.
        letter.file.storage.delete(letter.file.name)
        return DecisionLetter.objects.get(decision=decision)
    return letter


# --- deadlines: suspension, extension, the personal plan, re-assessment -----------------


def deadline_change(
    *, actor, kind: str, new_date: date, reason: str, proposal=None, question=None
) -> DeadlineChange:
    """Suspend or extend a statutory deadline, with the reason and the new date:
    the decision deadline of a submitted proposal (the loket), or the
    investigation deadline of an open question (who handles it)."""
    if (proposal is None) == (question is None):
        raise TypeError("pass a proposal or a question")
    subject = proposal or question
    municipality = subject.municipality
    if proposal is not None:
        require_mandate(actor, proposal)
    else:
        require_action(actor, municipality, Action.QUESTION_HANDLE)
        if not handles_question(actor, question):
            raise PermissionDenied(_("Alleen wie de vraag behandelt kan de termijn wijzigen."))
    staff = require_staff_member(actor, municipality)
    reason = (reason or "").strip()
    errors = {}
    if kind not in DeadlineChange.Kind.values:
        errors["kind"] = _("Kies opschorten of verlengen.")
    if not reason:
        errors["reason"] = _("Geef de reden op.")
    if not new_date:
        errors["new_date"] = _("Geef de nieuwe termijn op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if proposal is not None:
            current = lock(proposal)
            if current.status != Proposal.Status.SUBMITTED:
                raise DomainError(_("Alleen de termijn van een ingediend voorstel loopt."))
            old = current.decision_deadline
        else:
            current = question_lock_running(question)
            old = current.investigation_deadline
        if new_date <= old:
            raise ValidationError({"new_date": _("De nieuwe termijn moet na de huidige liggen.")})
        change = DeadlineChange(
            municipality=municipality,
            proposal=current if proposal is not None else None,
            question=current if question is not None else None,
            kind=kind,
            old_date=old,
            new_date=new_date,
            reason=reason,
            by=staff,
        )
        change.full_clean()
        change.save()
        if proposal is not None:
            current.decision_deadline = new_date
            bump(current, staff, "decision_deadline")
        else:
            question_deadline_set(question=current, deadline=new_date)
        _log(actor, A.CHANGE, current, reason=reason)
    return change


def personal_plan_due(question: Question, settings: IntakeSettings) -> date:
    return timezone.localdate(question.received_at) + timedelta(days=settings.personal_plan_days)


def reassessments_mark(municipality, today: date | None = None) -> dict:
    """The daily sweep for one municipality: flag running provisions whose end
    date falls within the notice period (herindicatie due), and end those past
    their end date. Idempotent."""
    today = today or timezone.localdate()
    settings = intake_settings_for(municipality)
    horizon = today + timedelta(weeks=settings.reassessment_notice_weeks)
    with scope(municipality=municipality), transaction.atomic():
        # A suspended provision is still granted: its re-assessment is due too.
        running = Provision.objects.filter(municipality=municipality, status__in=Provision.RUNNING)
        flagged = running.filter(
            end_date__isnull=False, end_date__lte=horizon, reassessment_due_since__isnull=True
        ).update(reassessment_due_since=today)
        # #21 part 2: a suspended provision ends on its date too, and each end is
        # recorded as an event. Bulk: the statuses PROVISION_FLOW lets end.
        ended = _provisions_end_on_date(municipality, today)
    if flagged or ended:
        logger.info(
            "reassessments marked",
            extra={"municipality": municipality.pk, "flagged": flagged, "ended": ended},
        )
    return {"flagged": flagged, "ended": ended}


# --- #21 part 1: providers (zorgaanbieders) ---------------------------------------------


def provider_ensure(
    *, municipality, name: str, agb_code: str = "", provision_types=(), **fields
) -> Provider:
    """The provider `name` of `municipality`, created (contracted for
    `provision_types`) when it is not there yet; one that exists is left as the
    admin keeps it. For loading data (the demo) as an operator: the admin's pages
    and API save through `configuration_save` as the admin."""
    existing = Provider.objects.filter(municipality=municipality, name__iexact=name).first()
    if existing is not None:
        return existing
    provider = Provider(municipality=municipality, name=name, agb_code=agb_code, **fields)
    return configuration_save(
        actor=None, instance=provider, m2m={"provision_types": list(provision_types)}, system=True
    )


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------
# A withdrawal (intrekking, early end) is a decision: a proposal of kind
# `withdrawal` that `revises` the running provision, decided only by
# `proposal_decide` (mandate, write guard, database flag). Suspension and
# resumption are not decisions: the mandated loket records them, append-only.


def _provision_event(provision, kind, *, date=None, reason="", by=None, decision=None):
    event = ProvisionEvent(
        municipality_id=provision.municipality_id,
        provision=provision,
        kind=kind,
        date=date or (decision.end_date if decision is not None else None) or timezone.localdate(),
        reason=reason,
        by=by,
        decision=decision,
    )
    event.save()
    return event


def _withdrawal_errors(proposal: Proposal, revised: Provision) -> dict:
    """A withdrawal ends the provision on its `end_date`: given, not before the
    provision's start, not after its current end; the provision's own type."""
    if proposal.kind != ProposalKind.WITHDRAWAL:
        return {}
    if proposal.provision_type_id != revised.provision_type_id:
        return {"provision_type": _("Een intrekking gaat over de voorziening zelf.")}
    end = proposal.end_date
    if end is None:
        return {"end_date": _("Geef de datum op waarop de voorziening eindigt.")}
    if end < revised.start_date:
        return {
            "end_date": _("De voorziening begint pas op %(date)s; kies een latere datum.")
            % {"date": date_format(revised.start_date, "SHORT_DATE_FORMAT")}
        }
    if revised.end_date is not None and end > revised.end_date:
        return {
            "end_date": _("De voorziening loopt al af op %(date)s; kies die datum of eerder.")
            % {"date": date_format(revised.end_date, "SHORT_DATE_FORMAT")}
        }
    return {}


def _withdrawal_outcome_errors(proposal: Proposal, outcome: str) -> dict:
    if proposal.kind == ProposalKind.WITHDRAWAL and outcome == Decision.Outcome.GRANTED_CHANGED:
        return {
            "outcome": _(
                "Een intrekking wordt besloten zoals voorgesteld, afgewezen of teruggestuurd; "
                "een andere datum is een nieuw voorstel."
            )
        }
    return {}


def withdrawal_draft(
    *, actor, case: Case, revises: Provision, end_date, motivation: str, plan=None
) -> Proposal:
    """Draft a withdrawal (intrekking) of a running provision of the case's
    household: voorwerk of the case team (care no longer needed), or the loket's
    own path. The loket decides it through `proposal_decide` like any proposal."""
    if not isinstance(revises, Provision) or revises.municipality_id != case.municipality_id:
        raise ValidationError({"revises": _("Kies de lopende voorziening die wordt ingetrokken.")})
    return proposal_draft(
        actor=actor,
        case=case,
        provision_type=revises.provision_type,
        kind=ProposalKind.WITHDRAWAL,
        resident=revises.resident,
        revises=revises,
        volume=revises.volume,
        unit=revises.unit,
        frequency=revises.frequency,
        start_date=revises.start_date,
        end_date=end_date,
        motivation=motivation,
        **({"plan": plan} if plan is not None else {}),
    )


def withdrawal_by_loket(*, actor, provision: Provision, end_date, motivation: str) -> Proposal:
    """The loket withdraws a provision on its own initiative (the resident moved
    away, the care is no longer taken up): a mandated loket consultant prepares
    the withdrawal on the provision's case, whichever team runs it. It is not
    voorwerk and needs no team to submit it: it lies at the loket at once,
    offered to the consultant, who decides it with `proposal_decide` like any
    proposal (mandate, write guard, letter, objection period)."""
    membership = require_provision_mandate(actor, provision)
    staff = membership.staff_member
    motivation = (motivation or "").strip()
    with transaction.atomic():
        current = lock(Provision, pk=provision.pk)
        today = timezone.localdate()
        now = timezone.now()
        proposal = Proposal(
            municipality=current.municipality,
            case=current.case,
            resident_id=current.resident_id,
            provision_type=current.provision_type,
            kind=ProposalKind.WITHDRAWAL,
            revises=current,
            volume=current.volume,
            unit=current.unit,
            frequency=current.frequency,
            start_date=current.start_date,
            end_date=end_date,
            motivation=motivation,
            status=Proposal.Status.SUBMITTED,
            is_voorwerk=False,
            drafted_by=staff,
            updated_by=staff,
            submitted_at=now,
            submitted_by=staff,
            application_date=today,
            decision_deadline=decision_deadline(
                current.municipality, current.provision_type.law, today
            ),
            assigned_consultant=staff,
        )
        errors = _revision_errors(proposal, current)
        try:
            proposal.full_clean()
        except ValidationError as exc:
            errors = {**exc.message_dict, **errors}
        if errors:
            raise ValidationError(errors)
        proposal.save()
        case_follow_proposals(
            case_id=proposal.case_id, staff=staff, proposal_pending=True, decided=False
        )
        _log(actor, A.CREATE, proposal)
    return proposal


def _withdrawal_decided(decision: Decision, revised: Provision, staff) -> None:
    """Granted as proposed: the provision ends early on the decision's date
    (refused or returned: it keeps running)."""
    if decision.outcome not in Decision.GRANTS:
        return
    PROVISION_FLOW.move(revised, Provision.Status.ENDED_EARLY)
    revised.ended_on = decision.end_date
    revised.ended_by = decision
    revised.suspended_since = None
    bump(revised, staff, "status", "ended_on", "ended_by", "suspended_since")
    _provision_event(
        revised,
        ProvisionEvent.Kind.ENDED_EARLY,
        date=decision.end_date,
        reason=decision.reasons,
        by=staff,
        decision=decision,
    )


def _provisions_end_on_date(municipality, today: date) -> int:
    """End the running provisions whose end date passed, each with its event."""
    past = Provision.objects.filter(
        municipality=municipality, status__in=Provision.RUNNING, end_date__lt=today
    )
    rows = list(past.select_for_update().values_list("pk", "end_date"))
    if not rows:
        return 0
    ended = Provision.objects.filter(pk__in=[pk for pk, _end in rows]).update(
        status=Provision.Status.ENDED, suspended_since=None
    )
    ProvisionEvent.objects.bulk_create(
        ProvisionEvent(
            municipality=municipality,
            provision_id=pk,
            kind=ProvisionEvent.Kind.ENDED,
            date=end,
        )
        for pk, end in rows
    )
    return ended


def require_provision_mandate(actor, provision: Provision) -> Membership:
    """Who suspends and resumes a provision: a loket consultant of its
    municipality mandated for its law (the rule in `apps.access.rules`)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Alleen een consulent van het loket kan dit."))
    municipality = provision.municipality
    require_action(actor, municipality, Action.PROPOSAL_DECIDE)
    staff = StaffMember.objects.filter(
        municipality=municipality, user=actor, is_active=True
    ).first()
    law = provision.provision_type.law
    membership = mandate_for(staff, municipality, law)
    if membership is None:
        raise PermissionDenied(
            _("U heeft geen mandaat voor %(law)s-voorzieningen.") % {"law": Law(law).label}
        )
    return membership


def provision_suspend(
    *, actor, provision: Provision, date: date, reason: str, expected_version=None
) -> Provision:
    """Suspend (opschorten) a running provision from `date`, e.g. during a
    hospital stay: not a new decision; recorded as an event."""
    membership = require_provision_mandate(actor, provision)
    reason = (reason or "").strip()
    errors = {}
    if not date:
        errors["date"] = _("Geef de datum op vanaf wanneer de voorziening is opgeschort.")
    if not reason:
        errors["reason"] = _("Geef de reden van de opschorting op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(provision, expected_version)
        PROVISION_FLOW.check(
            current,
            Provision.Status.SUSPENDED,
            _("Deze voorziening is %(status)s en kan niet opgeschort worden.")
            % {"status": current.get_status_display()},
        )
        if date < current.start_date:
            raise ValidationError(
                {
                    "date": _("De voorziening begint pas op %(date)s.")
                    % {"date": date_format(current.start_date, "SHORT_DATE_FORMAT")}
                }
            )
        if current.end_date is not None and date > current.end_date:
            raise ValidationError(
                {
                    "date": _("De voorziening loopt af op %(date)s.")
                    % {"date": date_format(current.end_date, "SHORT_DATE_FORMAT")}
                }
            )
        PROVISION_FLOW.move(current, Provision.Status.SUSPENDED)
        current.suspended_since = date
        bump(current, None, "status", "suspended_since")
        staff = membership.staff_member
        _provision_event(current, ProvisionEvent.Kind.SUSPENDED, date=date, reason=reason, by=staff)
        _log(actor, A.CHANGE, current, reason=reason)
    return current


def provision_resume(
    *, actor, provision: Provision, date: date, reason: str = "", expected_version=None
) -> Provision:
    """Resume (hervatten) a suspended provision from `date`."""
    membership = require_provision_mandate(actor, provision)
    reason = (reason or "").strip()
    if not date:
        raise ValidationError(
            {"date": _("Geef de datum op vanaf wanneer de voorziening weer loopt.")}
        )
    with transaction.atomic():
        current = lock(provision, expected_version)
        if current.status != Provision.Status.SUSPENDED:
            raise DomainError(
                _("Deze voorziening is %(status)s, niet opgeschort.")
                % {"status": current.get_status_display()}
            )
        if current.suspended_since is not None and date < current.suspended_since:
            raise ValidationError(
                {
                    "date": _("De opschorting begon op %(date)s; kies die datum of later.")
                    % {"date": date_format(current.suspended_since, "SHORT_DATE_FORMAT")}
                }
            )
        PROVISION_FLOW.move(current, Provision.Status.ACTIVE)
        current.suspended_since = None
        bump(current, None, "status", "suspended_since")
        _provision_event(
            current,
            ProvisionEvent.Kind.RESUMED,
            date=date,
            reason=reason,
            by=membership.staff_member,
        )
        _log(actor, A.CHANGE, current, reason=reason)
    return current


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------
# Awb chapters 6 and 7. The loket registers an objection against a final decision,
# may extend its term once and records a withdrawal; the decision on it is made
# under the same mandate as the objected decision (`require_mandate`), never by
# the consultant who made that decision (Awb 7:5), and written once
# (`ObjectionDecision`, append-only). Well-founded: a new decision follows through
# the normal `proposal_decide`, on a loket proposal prefilled from the objected
# decision. See docs/architecture.md ("Objections").

OBJECTION_WEEKS = 6  # Awb 7:10 lid 1
OBJECTION_COMMITTEE_WEEKS = 12  # Awb 7:10 lid 1, with a committee (7:13)
OBJECTION_MAX_EXTENSION_WEEKS = 6  # Awb 7:10 lid 3


def objection_clock(decision: Decision, received_on: date, advisory_committee: bool):
    """(late, statutory deadline) of an objection received on `received_on`.

    The objection period ends six weeks after the decision was made known
    (`Decision.objection_deadline`, Awb 6:7/6:8). The decision term is counted
    from the day after that period ended (Awb 7:10 lid 1, "gerekend vanaf de dag
    na die waarop de termijn voor het indienen van het bezwaarschrift is
    verstreken"), or from the day after receipt when it came in later (a late
    objection, Awb 6:11)."""
    period_end = decision.objection_deadline
    late = received_on > period_end
    weeks = OBJECTION_COMMITTEE_WEEKS if advisory_committee else OBJECTION_WEEKS
    return late, max(period_end, received_on) + timedelta(weeks=weeks)


def require_objection_handler(actor, municipality) -> StaffMember:
    """Registering, extending, withdrawing: the loket's consultants and gate
    clarifiers (`apps.access.rules.may_handle_objections`)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Alleen het loket registreert en behandelt bezwaren."))
    staff = require_staff_member(actor, municipality)
    if not may_handle_objections(actor, municipality):
        raise PermissionDenied(_("Alleen het loket registreert en behandelt bezwaren."))
    return staff


def _require_objection_follow_up(membership, proposal: Proposal, outcome: str) -> None:
    """The new decision after a well-founded objection is part of the objection's
    handling: not decided by the consultant who made the objected decision (Awb
    7:5), and not sent back to a team (the loket prepared it itself)."""
    objection = Objection.objects.filter(new_proposal=proposal).select_related("decision").first()
    if objection is None:
        return
    if membership.staff_member_id == objection.decision.consultant_id:
        raise PermissionDenied(
            _(
                "U nam zelf het besluit waartegen het bezwaar gegrond is verklaard. Een "
                "collega neemt het nieuwe besluit (Awb 7:5)."
            )
        )
    if outcome == Decision.Outcome.RETURNED:
        raise ValidationError(
            {
                "outcome": _(
                    "Het nieuwe besluit na een gegrond bezwaar wordt genomen, niet "
                    "teruggestuurd: kies toekennen of afwijzen."
                )
            }
        )


def require_objection_mandate(actor, objection: Objection) -> Membership:
    """Who decides on an objection: the rule of `proposal_decide` for the objected
    decision (a loket consultant mandated for its law), and not the consultant
    who made that decision (Awb 7:5)."""
    decision = objection.decision
    membership = require_mandate(actor, decision.proposal)
    if membership.staff_member_id == decision.consultant_id:
        raise PermissionDenied(
            _(
                "U nam zelf het besluit waartegen dit bezwaar is gericht. Een collega "
                "beslist op het bezwaar (Awb 7:5)."
            )
        )
    return membership


def objection_register(
    *,
    actor,
    decision: Decision,
    received_on: date,
    lodged_by_name: str,
    lodged_by_relation: str,
    grounds: str,
    advisory_committee: bool = False,
) -> Objection:
    """Register an objection (bezwaarschrift) against a final decision, with its
    statutory clock."""
    municipality = decision.municipality
    staff = require_objection_handler(actor, municipality)
    grounds = (grounds or "").strip()
    lodged_by_name = (lodged_by_name or "").strip()
    errors = {}
    if not decision.is_final:
        errors["decision"] = _(
            "Bezwaar kan alleen tegen een toekenning of afwijzing, niet tegen een "
            "terugsturing voor informatie."
        )
    decided_on = timezone.localdate(decision.decided_at)
    if not received_on:
        errors["received_on"] = _("Geef de datum van ontvangst op.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("De datum van ontvangst ligt in de toekomst.")
    elif received_on < decided_on:
        errors["received_on"] = _("De datum van ontvangst ligt voor het besluit (%(date)s).") % {
            "date": date_format(decided_on, "SHORT_DATE_FORMAT")
        }
    if not grounds:
        errors["grounds"] = _("Geef de gronden van het bezwaar op.")
    if not lodged_by_name:
        errors["lodged_by_name"] = _("Geef de naam op van wie het bezwaar indiende.")
    if lodged_by_relation not in Objection.LodgedBy.values:
        errors["lodged_by_relation"] = _("Kies wie het bezwaar indiende.")
    if errors:
        raise ValidationError(errors)
    late, deadline = objection_clock(decision, received_on, bool(advisory_committee))
    objection = Objection(
        municipality=municipality,
        decision=decision,
        received_on=received_on,
        lodged_by_name=lodged_by_name,
        lodged_by_relation=lodged_by_relation,
        grounds=grounds,
        advisory_committee=bool(advisory_committee),
        late=late,
        statutory_deadline=deadline,
        deadline=deadline,
        registered_by=staff,
        updated_by=staff,
    )
    objection.full_clean()
    with transaction.atomic():
        objection.save()
        _log(actor, A.CREATE, objection, resident=decision.resident)
    return objection


def objection_extend(
    *, actor, objection: Objection, weeks: int, reason: str, expected_version=None
) -> Objection:
    """Extend (verdagen) the decision term once, by at most six weeks, with the
    reason (Awb 7:10 lid 3)."""
    staff = require_objection_handler(actor, objection.municipality)
    reason = (reason or "").strip()
    errors = {}
    if not isinstance(weeks, int) or not 1 <= weeks <= OBJECTION_MAX_EXTENSION_WEEKS:
        errors["weeks"] = _("Verdaag met 1 tot en met %(max)s weken.") % {
            "max": OBJECTION_MAX_EXTENSION_WEEKS
        }
    if not reason:
        errors["reason"] = _("Geef de reden van de verdaging op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(objection, expected_version)
        if current.status != Objection.Status.OPEN:
            raise DomainError(
                _("Dit bezwaar is %(status)s; de termijn loopt niet meer.")
                % {"status": current.get_status_display()}
            )
        if current.is_extended:
            raise DomainError(
                _("De beslistermijn van dit bezwaar is al eens verdaagd; dat kan één keer.")
            )
        if timezone.localdate() > current.deadline:
            # Awb 7:10 lid 3: the term is extended while it runs, not after.
            raise DomainError(
                _("De beslistermijn van dit bezwaar is al verstreken; verdagen kan niet meer.")
            )
        current.deadline = current.statutory_deadline + timedelta(weeks=weeks)
        current.extension_reason = reason
        current.extended_at = timezone.now()
        current.extended_by = staff
        bump(current, staff, "deadline", "extension_reason", "extended_at", "extended_by")
        _log(actor, A.CHANGE, current, reason=reason, resident=current.decision.resident)
    return current


def objection_withdraw(
    *, actor, objection: Objection, withdrawn_on: date, expected_version=None
) -> Objection:
    """Record that the lodger withdrew the objection (no decision on it follows)."""
    staff = require_objection_handler(actor, objection.municipality)
    if not withdrawn_on:
        raise ValidationError({"withdrawn_on": _("Geef de datum van intrekking op.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("De datum van intrekking ligt in de toekomst.")})
    if withdrawn_on < objection.received_on:
        raise ValidationError(
            {"withdrawn_on": _("De datum van intrekking ligt voor de ontvangst van het bezwaar.")}
        )
    with transaction.atomic():
        current = lock(objection, expected_version)
        OBJECTION_FLOW.move(
            current,
            Objection.Status.WITHDRAWN,
            _("Dit bezwaar is al %(status)s.") % {"status": current.get_status_display()},
        )
        current.withdrawn_on = withdrawn_on
        bump(current, staff, "status", "withdrawn_on")
        _log(actor, A.CHANGE, current, resident=current.decision.resident)
    return current


def objection_decide(
    *, actor, objection: Objection, outcome: str, reasons: str, expected_version=None
) -> ObjectionDecision:
    """Decide on an objection (beslissing op bezwaar): well-founded, unfounded or
    inadmissible, with the reasons. Written once. Well-founded: a loket proposal
    with the objected decision's terms is offered to the deciding consultant; the
    new decision is made on it with `proposal_decide`."""
    membership = require_objection_mandate(actor, objection)
    staff = membership.staff_member
    reasons = (reasons or "").strip()
    errors = {}
    if outcome not in ObjectionDecision.Outcome.values:
        errors["outcome"] = _("Kies een beslissing op het bezwaar.")
    if not reasons:
        errors["reasons"] = _("Geef de motivering van de beslissing op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(objection, manager=Objection.objects.select_related("decision"))
        if current.status != Objection.Status.OPEN:
            raise DomainError(
                _("Dit bezwaar is al %(status)s.") % {"status": current.get_status_display()}
            )
        if expected_version is not None and current.version != expected_version:
            raise conflict(current)
        result = ObjectionDecision(
            municipality=current.municipality,
            objection=current,
            outcome=outcome,
            reasons=reasons,
            decided_by=staff,
            mandate=membership,
        )
        result.full_clean(exclude=["objection"])
        try:
            with transaction.atomic():
                result.save()
        except IntegrityError as exc:  # a race the lock did not see
            raise DomainError(_("Over dit bezwaar is al beslist.")) from exc
        OBJECTION_FLOW.move(current, Objection.Status.DECIDED)
        fields = ["status"]
        if outcome == ObjectionDecision.Outcome.WELL_FOUNDED:
            current.new_proposal = _objection_new_proposal(current, staff)
            fields.append("new_proposal")
        bump(current, staff, *fields)
        _log(actor, A.DECIDE, result, resident=current.decision.resident)
        municipality_id = current.municipality_id
        transaction.on_commit(
            lambda: _enqueue_objection_letter(result.pk, municipality_id), robust=True
        )
    objection.refresh_from_db()
    return result


def _objection_new_proposal(objection: Objection, staff: StaffMember) -> Proposal:
    """The new decision after a well-founded objection, prepared: a loket proposal
    (not voorwerk) on the same case with the objected decision's terms, offered to
    the consultant who decided on the objection (the objection's receipt is the
    application date, its term the decision term). It revises the provision the
    objected decision granted while that still runs. The consultant decides it on
    the review page with `proposal_decide` (changing terms: "toekennen met
    wijzigingen")."""
    decision = objection.decision
    source = decision.proposal
    revised = None
    if decision.is_grant:
        revised = Provision.objects.filter(decision=decision, status__in=Provision.RUNNING).first()
    terms = decision if decision.is_grant else source
    start_date = terms.start_date or timezone.localdate()
    if decision.kind == ProposalKind.WITHDRAWAL and decision.is_grant:
        # The withdrawal was wrong: the provision it ended comes back, on its
        # own terms, from the day after the date the withdrawal ended it.
        terms = source.revises
        start_date = max(decision.end_date + timedelta(days=1), terms.start_date)
    now = timezone.now()
    proposal = Proposal(
        municipality=objection.municipality,
        case=decision.case,
        plan=source.plan,
        resident_id=decision.resident_id,
        provision_type=decision.provision_type,
        volume=terms.volume,
        unit=terms.unit,
        frequency=terms.frequency,
        start_date=start_date,
        end_date=terms.end_date,
        # #21 part 1: the form of delivery goes along (the consultant may change it).
        **{name: getattr(terms, name) for name in DELIVERY_FIELDS},
        motivation=_("Nieuw besluit na het gegronde bezwaar %(number)s tegen besluit %(decision)s.")
        % {"number": objection.pk, "decision": decision.pk},
        revises=revised,
        status=Proposal.Status.SUBMITTED,
        is_voorwerk=False,
        drafted_by=staff,
        updated_by=staff,
        submitted_at=now,
        submitted_by=staff,
        application_date=objection.received_on,
        decision_deadline=max(objection.deadline, timezone.localdate(now)),
        assigned_consultant=staff,
    )
    proposal.save()
    case_follow_proposals(
        case_id=proposal.case_id, staff=staff, proposal_pending=True, decided=False
    )
    return proposal


def _enqueue_objection_letter(result_id: int, municipality_id: int) -> None:
    from apps.decisions.tasks import build_objection_letter

    build_objection_letter.delay(objection_decision_id=result_id, municipality_id=municipality_id)


def objection_letter_build(result: ObjectionDecision) -> ObjectionLetter:
    """Render and store the letter of the decision on an objection, once."""
    from django.core.files.base import ContentFile

    from apps.decisions.letters import render_objection_letter

    existing = ObjectionLetter.objects.filter(objection_decision=result).first()
    if existing is not None:
        return existing
    pdf = render_objection_letter(result)
    letter = ObjectionLetter(municipality=result.municipality, objection_decision=result)
    letter.file.save(
        f"beslissing-op-bezwaar-{result.objection_id}.pdf", ContentFile(pdf), save=False
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        letter.file.storage.delete(letter.file.name)
        return ObjectionLetter.objects.get(objection_decision=result)
    return letter
