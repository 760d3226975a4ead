"""Writes of cases: opening one from a question, handing the direction over,
activities, assessments (ZRM), the support plan, sharing, closing and
follow-up. Every page, API view and command calls these; each checks the
actor's permission itself, in a transaction, with the row locked."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from guardian.shortcuts import assign_perm

from apps.access.rules import (
    HANDLING_FUNCTIONS,
    VIEW_CASE,
    can_view_case,
    is_case_worker,
    is_coordinator_of,
    is_linked_consultant,
    is_member_of,
    is_shell_partner_of,
    is_team_handler,
    joint_home_visit,
    may_correct_activity_note,
    may_receive_case_share,
    may_steer_case,
)
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import (
    Activity,
    ActivityNoteRevision,
    Assessment,
    AssessmentScore,
    Case,
    CaseJoin,
    CaseUserObjectPermission,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
    TeamChange,
    WorkReassignment,
    WorkReassignmentItem,
)
from apps.cases.selectors import team_open_work, work_of
from apps.cases.signals import case_closing, case_moving
from apps.cases.workflow import CASE_FLOW, PLAN_EDITABLE, PLAN_FLOW
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.versioning import bump, conflict, lock
from apps.intake.models import LifeDomain, Question, Resident
from apps.intake.services import (
    clean_correction,
    question_join_case,
    question_move_with_case,
    question_reassign,
    require_staff_member,
    resident_household_for_case,
    staff_member_of,
)
from apps.intake.workflow import QUESTION_EDITABLE, QUESTION_FLOW
from apps.teams.models import Membership, Team
from apps.teams.services import team_record_end
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action, forget_roles, require_action

MAX_FOLLOW_UPS = 12


A = AccessLogEntry.Action


def _created(instance):
    """A new row, validated (`full_clean`) and saved."""
    instance.full_clean()
    instance.save()
    return instance


def _log(actor, action, obj, case: Case, **kwargs) -> None:
    """The access-log entry of a write, inside the write's transaction: the
    change and its line are stored together or not at all."""
    log_access(
        user=actor,
        action=action,
        obj=obj,
        municipality=case.municipality,
        resident=case.resident,
        **kwargs,
    )


def _staff(actor, municipality) -> StaffMember:
    staff = staff_member_of(actor, municipality)
    if staff is None:
        raise PermissionDenied(_("U heeft geen toegang tot deze gemeente."))
    return staff


def require_case_worker(actor, case: Case) -> StaffMember:
    """The actor works on this case (else 403); returns their staff record."""
    require_action(actor, case.municipality, Action.CASE_WORK)
    if not is_case_worker(actor, case):
        raise PermissionDenied(_("U werkt niet aan deze casus."))
    return require_staff_member(actor, case.municipality)


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise DomainError(_("Deze casus is afgesloten. Heropen hem eerst."))


def _require_director_or_coordinator(actor, case: Case) -> StaffMember:
    staff = require_case_worker(actor, case)
    if not may_steer_case(actor, case):
        raise PermissionDenied(
            _("Alleen de regisseur of de coördinator van het team kan dit doen.")
        )
    return staff


# --- opening a case ------------------------------------------------------------------


def case_open(*, actor, question: Question, title: str = "") -> Case:
    """Turn a question into a case for the resident's household (one is started
    when the resident has none). The actor, a member of the team the question
    is at, becomes the director."""
    municipality = question.municipality
    require_action(actor, municipality, Action.CASE_WORK)
    if question.team_id is None or not is_member_of(actor, question.team):
        raise PermissionDenied(
            _("Alleen een medewerker van %(team)s kan van deze vraag een casus maken.")
            % {"team": question.team or _("het team")}
        )
    staff = require_staff_member(actor, municipality)
    with transaction.atomic():
        current = lock(question)
        if current.case_id is not None:
            raise DomainError(_("Deze vraag hoort al bij %(case)s.") % {"case": current.case})
        QUESTION_FLOW.check(current, Question.Status.IN_PROGRESS)
        if current.team_id != question.team_id:
            raise DomainError(_("De vraag ligt intussen bij %(team)s.") % {"team": current.team})
        resident = lock(Resident, pk=current.resident_id)
        if resident.household_id is not None:
            # One household, one plan, one director.
            running = (
                Case.objects.filter(household_id=resident.household_id)
                .exclude(status__in=[Case.Status.CLOSED, Case.Status.FOLLOW_UP])
                .select_related("team")
                .first()
            )
            if running is not None:
                raise DomainError(
                    _(
                        "Het huishouden heeft al een open casus (%(case)s bij %(team)s). "
                        "Voeg de vraag daaraan toe, of stuur haar door naar %(team)s."
                    )
                    % {"case": running, "team": running.team}
                )
        resident_household_for_case(resident=resident, staff=staff)
        case = Case(
            municipality=municipality,
            household_id=resident.household_id,
            resident=resident,
            team=current.team,
            director=staff,
            title=(title or "").strip()[:200],
            created_by=staff,
            updated_by=staff,
        )
        _created(case)
        DirectorChange.objects.create(
            municipality=municipality, case=case, to_director=staff, by=staff
        )
        question_join_case(question=current, case=case, staff=staff)
        case.resident = resident
        _log(actor, A.CREATE, case, case)
    question.refresh_from_db()
    return case


def case_add_question(*, actor, case: Case, question: Question) -> None:
    """Add another question of the household to the case (one household, one plan)."""
    staff = require_case_worker(actor, case)
    _require_open(case)
    if question.municipality_id != case.municipality_id:
        raise ValidationError({"question": _("Kies een vraag van deze gemeente.")})
    if question.team_id != case.team_id and not (
        question.team_id and is_member_of(actor, question.team)
    ):
        # A question of the household at another team is that team's: it is
        # forwarded first (recorded), never taken over through the case.
        raise ValidationError(
            {
                "question": _(
                    "Deze vraag ligt bij %(team)s. Laat die haar eerst doorsturen naar %(own)s."
                )
                % {"team": question.team or _("geen team"), "own": case.team}
            }
        )
    with transaction.atomic():
        current = lock(question)
        if current.case_id is not None:
            raise DomainError(_("Deze vraag hoort al bij %(case)s.") % {"case": current.case})
        if current.resident.household_id != case.household_id:
            raise ValidationError({"question": _("Deze vraag gaat niet over dit huishouden.")})
        question_join_case(question=current, case=case, staff=staff)
        _log(actor, A.CHANGE, current, case)


def case_update(*, actor, case: Case, title: str, expected_version: int | None = None) -> Case:
    staff = require_case_worker(actor, case)
    with transaction.atomic():
        current = lock(case, expected_version)
        current.title = (title or "").strip()
        current.full_clean()
        bump(current, staff, "title")
        _log(actor, A.CHANGE, current, current)
    return current


def case_hand_over(
    *, actor, case: Case, to_director: StaffMember, reason: str = "", expected_version=None
) -> Case:
    """Hand the direction to a colleague of the case's team (the director or the
    team's coordinator does it). Recorded; there is one director at a time."""
    staff = _require_director_or_coordinator(actor, case)
    _require_open(case)
    if (
        to_director is None
        or to_director.municipality_id != case.municipality_id
        or not is_team_handler(to_director, case.team)
    ):
        raise ValidationError(
            {"to_director": _("Kies een medewerker van %(team)s.") % {"team": case.team}}
        )
    with transaction.atomic():
        current = lock(case, expected_version)
        if current.director_id == to_director.pk:
            raise ValidationError(
                {"to_director": _("%(name)s is al de regisseur.") % {"name": to_director}}
            )
        DirectorChange.objects.create(
            municipality=current.municipality,
            case=current,
            from_director_id=current.director_id,
            to_director=to_director,
            by=staff,
            reason=(reason or "").strip(),
        )
        current.director = to_director
        bump(current, staff, "director")
        _log(actor, A.CHANGE, current, current, reason=(reason or "").strip())
    return current


def case_close(
    *,
    actor,
    case: Case,
    note: str,
    follow_up_dates: list[date] | tuple = (),
    closed_on: date | None = None,
    expected_version=None,
) -> Case:
    """Close the case, with the check-ins agreed for the follow-up (borging)."""
    staff = _require_director_or_coordinator(actor, case)
    note = (note or "").strip()
    closed_on = closed_on or timezone.localdate()
    errors = {}
    if not note:
        errors["note"] = _("Schrijf op hoe de casus is afgerond.")
    dates = sorted(set(follow_up_dates or ()))
    if len(dates) > MAX_FOLLOW_UPS:
        errors["follow_up_dates"] = _("Plan ten hoogste %(n)s vervolgcontacten.") % {
            "n": MAX_FOLLOW_UPS
        }
    elif any(d <= closed_on for d in dates):
        errors["follow_up_dates"] = _("Een vervolgcontact moet na de datum van afsluiten liggen.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(case, expected_version)
        _require_open(current)
        # decisions refuses while a proposal waits at the loket (a DomainError).
        case_closing.send(sender=Case, case=current)
        current.closed_on = closed_on
        current.closure_note = note
        CASE_FLOW.move(current, Case.Status.FOLLOW_UP if dates else Case.Status.CLOSED)
        current.full_clean()
        for day in dates:
            FollowUp.objects.create(municipality=current.municipality, case=current, due_on=day)
        bump(current, staff, "closed_on", "closure_note", "status")
        _log(actor, A.CHANGE, current, current)
    return current


def case_reopen(*, actor, case: Case, expected_version=None) -> Case:
    staff = _require_director_or_coordinator(actor, case)
    with transaction.atomic():
        current = lock(case, expected_version)
        if not current.is_closed:
            raise DomainError(_("Deze casus is niet afgesloten."))
        CASE_FLOW.move(current, Case.Status.OPEN)
        current.closed_on = None
        bump(current, staff, "status", "closed_on")
        _log(actor, A.CHANGE, current, current)
    return current


def follow_up_record(
    *, actor, follow_up: FollowUp, outcome: str, done_on: date | None = None, expected_version=None
) -> FollowUp:
    """Record how a check-in went. When the last one is done, the follow-up ends."""
    staff = require_case_worker(actor, follow_up.case)
    outcome = (outcome or "").strip()
    done_on = done_on or timezone.localdate()
    if not outcome:
        raise ValidationError({"outcome": _("Schrijf de uitkomst van het vervolgcontact op.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        current = lock(follow_up)
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentEditError()
        if current.done_on is not None:
            raise DomainError(_("Dit vervolgcontact is al vastgelegd."))
        current.outcome = outcome
        current.done_on = done_on
        current.done_by = staff
        bump(current, staff, "outcome", "done_on", "done_by")
        case = lock(Case, pk=current.case_id)
        if (
            case.status == Case.Status.FOLLOW_UP
            and not case.follow_ups.filter(done_on__isnull=True).exists()
        ):
            CASE_FLOW.move(case, Case.Status.CLOSED)
            bump(case, staff, "status")
        _log(actor, A.CHANGE, case, case)
    return current


def case_follow_proposals(*, case_id, staff, proposal_pending: bool, decided: bool) -> Case:
    """Put a running case where its proposals and decisions leave it: a proposal
    at the loket, else a final decision, else its plan, else open. The decisions
    app calls this in its transaction; a closed case stays closed."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.is_closed:
        return case
    if proposal_pending:
        status = Case.Status.PROPOSAL_PENDING
    elif decided:
        status = Case.Status.DECIDED
    elif case.plans.exists():
        status = Case.Status.PLAN
    else:
        status = Case.Status.OPEN
    if case.status != status:
        CASE_FLOW.move(case, status)
        bump(case, staff, "status")
    return case


# --- activities and assessments ------------------------------------------------------


def activity_record(
    *,
    actor,
    case: Case,
    kind: str,
    date: date,
    participants=(),
    other_participants: str = "",
    note: str = "",
) -> Activity:
    """Log a contact, kitchen-table talk, home visit, case discussion or
    consultation of the behavioural expert. A home visit with a loket consultant
    and a member of a case team among the participants is a joint home visit.
    The team's linked loket consultant records them too."""
    if is_linked_consultant(actor, case):
        staff = require_staff_member(actor, case.municipality)
    else:
        staff = require_case_worker(actor, case)
    participants = list(participants or [])
    if any(p.municipality_id != case.municipality_id or not p.is_active for p in participants):
        raise ValidationError({"participants": _("Kies medewerkers van deze gemeente.")})
    ids = {p.pk for p in participants}
    activity = Activity(
        municipality=case.municipality,
        case=case,
        kind=kind,
        date=date,
        other_participants=(other_participants or "").strip(),
        note=(note or "").strip(),
        recorded_by=staff,
    )
    activity.full_clean()
    if kind == Activity.Kind.HOME_VISIT:
        activity.is_joint, activity.joint_laws = joint_home_visit(ids, case.municipality)
    with transaction.atomic():
        activity.save()
        activity.participants.set(participants)
        _touch_case(case, staff)
        _log(actor, A.CREATE, activity, case)
    return activity


def activity_note_correct(
    *, actor, activity: Activity, text: str, reason: str, expected_version: int | None
) -> Activity:
    """Correct the note of an activity (its author or the case's director), with
    a reason. The earlier note is kept with who wrote it and when, and shown on
    the case page. A closed case's notes are corrected too: rectification is a
    right of the resident, whatever the state of the case."""
    require_action(actor, activity.municipality, Action.CASE_VIEW)
    staff = require_staff_member(actor, activity.municipality)
    if not may_correct_activity_note(actor, activity):
        raise PermissionDenied(
            _("Alleen wie de activiteit vastlegde of de regisseur kan het verslag corrigeren.")
        )
    text, reason = clean_correction(text, reason, required=False)
    with transaction.atomic():
        current = lock(activity, expected_version)
        if text == current.note:
            raise ValidationError({"text": _("De tekst is niet veranderd.")})
        ActivityNoteRevision.record(
            owner=current,
            text=current.note,
            author_id=current.recorded_by_id,
            written_at=current.created_at,
            by=staff,
            reason=reason,
        )
        current.note = text
        current.full_clean()
        bump(current, staff, "note")
        _log(actor, A.CHANGE, current, activity.case)
    return current


def _touch_case(case: Case, staff) -> None:
    """Work on a case moves it out of 'open' into its plan phase only through the
    plan; this just records who worked on it last."""
    Case.objects.filter(pk=case.pk).update(updated_by=staff, updated_at=timezone.now())


def assessment_record(
    *, actor, case: Case, assessed_on: date, scores: dict, note: str = ""
) -> Assessment:
    """Score the household on the self-sufficiency matrix: {life domain: 1..5}
    for the municipality's active life domains (at least one)."""
    staff = require_case_worker(actor, case)
    errors = {}
    if not assessed_on:
        errors["assessed_on"] = _("Geef de datum van de meting op.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("De datum ligt in de toekomst.")
    clean_scores = {}
    for domain, score in (scores or {}).items():
        domain_id = getattr(domain, "pk", domain)
        if score in (None, ""):
            continue
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = 0
        if value < 1 or value > 5 or str(score).strip() not in {str(value)}:
            errors["scores"] = _("Een score is een heel getal van 1 tot en met 5.")
            break
        clean_scores[domain_id] = value
    domains = {
        d.pk: d
        for d in LifeDomain.objects.filter(
            municipality=case.municipality, is_active=True, pk__in=list(clean_scores)
        )
    }
    if "scores" not in errors:
        if set(clean_scores) - set(domains):
            errors["scores"] = _("Kies leefgebieden van deze gemeente.")
        elif not clean_scores:
            errors["scores"] = _("Geef voor minstens één leefgebied een score.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = Assessment(
            municipality=case.municipality,
            case=case,
            assessed_on=assessed_on,
            assessed_by=staff,
            note=(note or "").strip(),
        )
        _created(assessment)
        AssessmentScore.objects.bulk_create(
            AssessmentScore(
                municipality=case.municipality,
                assessment=assessment,
                life_domain=domains[domain_id],
                score=value,
            )
            for domain_id, value in clean_scores.items()
        )
        _touch_case(case, staff)
        _log(actor, A.CREATE, assessment, case)
    return assessment


# --- the support plan ----------------------------------------------------------------


def plan_start(*, actor, case: Case) -> SupportPlan:
    """Start a draft plan, or a new version of the agreed one (a copy of its
    goals and solutions to edit). There is at most one draft per case."""
    staff = require_case_worker(actor, case)
    _require_open(case)
    with transaction.atomic():
        locked = lock(case)
        draft = locked.plans.filter(status=SupportPlan.Status.DRAFT).first()
        if draft is not None:
            _log(actor, A.CHANGE, draft, locked)
            return draft
        previous = locked.plans.order_by("-number").first()
        plan = SupportPlan(
            municipality=locked.municipality,
            case=locked,
            number=(previous.number + 1) if previous else 1,
            summary=previous.summary if previous else "",
            created_by=staff,
            updated_by=staff,
        )
        _created(plan)
        if previous is not None:
            for goal in previous.goals.prefetch_related("solutions"):
                copy = Goal.objects.create(
                    municipality=plan.municipality,
                    plan=plan,
                    life_domain_id=goal.life_domain_id,
                    description=goal.description,
                    position=goal.position,
                )
                Solution.objects.bulk_create(
                    Solution(
                        municipality=plan.municipality,
                        goal=copy,
                        level=s.level,
                        description=s.description,
                    )
                    for s in goal.solutions.all()
                )
        if locked.status == Case.Status.OPEN:
            CASE_FLOW.move(locked, Case.Status.PLAN)
            bump(locked, staff, "status")
        _log(actor, A.CHANGE, plan, locked)
    return plan


def _draft_locked(actor, plan: SupportPlan, expected_version) -> tuple[SupportPlan, StaffMember]:
    staff = require_case_worker(actor, plan.case)
    current = lock(plan, expected_version)
    if current.status not in PLAN_EDITABLE:
        raise DomainError(
            _(
                "Deze versie van het plan is al afgesproken met de inwoner. "
                "Begin een nieuwe versie om iets te wijzigen."
            )
        )
    return current, staff


def _change_draft(actor, plan: SupportPlan, expected_version, change, *fields):
    """One change of the draft `plan`, in one transaction: the draft locked at
    the version the editor read (`_draft_locked`), `change(current)` doing the
    change, the plan's version bumped (with `fields` of the plan that `change`
    set) and the change logged. Returns what `change` returned."""
    with transaction.atomic():
        current, staff = _draft_locked(actor, plan, expected_version)
        result = change(current)
        bump(current, staff, *fields)
        _log(actor, A.CHANGE, current, current.case)
    return result


def plan_update(*, actor, plan: SupportPlan, summary: str, expected_version=None) -> SupportPlan:
    def change(current):
        current.summary = (summary or "").strip()
        current.full_clean()
        return current

    return _change_draft(actor, plan, expected_version, change, "summary")


def goal_add(
    *, actor, plan: SupportPlan, life_domain: LifeDomain, description: str, expected_version=None
) -> Goal:
    description = (description or "").strip()
    errors = {}
    if (
        life_domain is None
        or life_domain.municipality_id != plan.municipality_id
        or not life_domain.is_active
    ):
        errors["life_domain"] = _("Kies een leefgebied van deze gemeente.")
    if not description:
        errors["description"] = _("Beschrijf het doel.")
    if errors:
        raise ValidationError(errors)

    def change(current):
        return _created(
            Goal(
                municipality=current.municipality,
                plan=current,
                life_domain=life_domain,
                description=description,
                position=current.goals.count() + 1,
            )
        )

    return _change_draft(actor, plan, expected_version, change)


def goal_remove(*, actor, goal: Goal, expected_version=None) -> None:
    def change(current):
        Goal.objects.filter(pk=goal.pk, plan=current).delete()

    _change_draft(actor, goal.plan, expected_version, change)


def solution_add(
    *, actor, goal: Goal, level: int, description: str, expected_version=None
) -> Solution:
    """A solution for a goal. The plan lists them in the order of preference:
    own strength, network, volunteers, general provision, individual provision."""
    description = (description or "").strip()
    errors = {}
    if level not in Solution.Level.values:
        errors["level"] = _("Kies het soort oplossing.")
    if not description:
        errors["description"] = _("Beschrijf de oplossing.")
    if errors:
        raise ValidationError(errors)

    def change(current):
        return _created(
            Solution(
                municipality=current.municipality, goal=goal, level=level, description=description
            )
        )

    return _change_draft(actor, goal.plan, expected_version, change)


def solution_remove(*, actor, solution: Solution, expected_version=None) -> None:
    def change(current):
        Solution.objects.filter(pk=solution.pk, goal__plan=current).delete()

    _change_draft(actor, solution.goal.plan, expected_version, change)


def plan_agree(*, actor, plan: SupportPlan, agreed_on: date, expected_version=None) -> SupportPlan:
    """The resident agreed to this version: it is frozen, an earlier agreed
    version is superseded."""
    if not agreed_on:
        raise ValidationError({"agreed_on": _("Geef de datum van de afspraak op.")})
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("De datum ligt in de toekomst.")})

    def change(current):
        if not current.goals.exists():
            raise ValidationError(
                {"agreed_on": _("Een plan zonder doelen kan niet worden vastgesteld.")}
            )
        for earlier in SupportPlan.objects.select_for_update().filter(
            case_id=current.case_id, status=SupportPlan.Status.AGREED
        ):
            PLAN_FLOW.move(earlier, SupportPlan.Status.SUPERSEDED)
            earlier.save(update_fields=["status"])
        PLAN_FLOW.move(current, SupportPlan.Status.AGREED)
        current.agreed_on = agreed_on
        return current

    return _change_draft(actor, plan, expected_version, change, "status", "agreed_on")


# --- sharing -------------------------------------------------------------------------


def case_share(*, actor, case: Case, staff_member: StaffMember, reason: str):
    """Give a colleague read access to the case (a django-guardian grant), with
    the reason. The director or the team's coordinator shares; never with a
    policy advisor (only aggregates for them) or someone without case access."""
    staff = _require_director_or_coordinator(actor, case)
    reason = (reason or "").strip()
    errors = {}
    if (
        staff_member is None
        or staff_member.municipality_id != case.municipality_id
        or not staff_member.is_active
        or staff_member.is_integration
    ):
        errors["staff_member"] = _("Kies een medewerker van deze gemeente.")
    elif not may_receive_case_share(staff_member.user, case):
        errors["staff_member"] = _(
            "%(name)s werkt niet met casussen en kan er geen inzage in krijgen."
        ) % {"name": staff_member}
    elif CaseUserObjectPermission.objects.filter(
        content_object=case, user_id=staff_member.user_id
    ).exists():
        errors["staff_member"] = _("De casus is al met %(name)s gedeeld.") % {"name": staff_member}
    elif can_view_case(staff_member.user, case):
        errors["staff_member"] = _("%(name)s kan deze casus al zien.") % {"name": staff_member}
    if not reason:
        errors["reason"] = _("Geef de reden op waarom u de casus deelt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = assign_perm(f"cases.{VIEW_CASE}", staff_member.user, case)
        grant.granted_by = staff
        grant.reason = reason
        grant.save(update_fields=["granted_by", "reason"])
        log_access(
            action=AccessLogEntry.Action.SHARE,
            obj=case,
            user=actor,
            municipality=case.municipality,
            resident=case.resident,
            reason=f"{staff_member}: {reason}",
        )
    return grant


def case_unshare(*, actor, case: Case, grant: CaseUserObjectPermission) -> None:
    _require_director_or_coordinator(actor, case)
    if grant.content_object_id != case.pk:
        raise ValidationError({"grant": _("Deze deling hoort niet bij deze casus.")})
    with transaction.atomic():
        CaseUserObjectPermission.objects.filter(pk=grant.pk).delete()
        log_access(
            action=AccessLogEntry.Action.UNSHARE,
            obj=case,
            user=actor,
            municipality=case.municipality,
            resident=case.resident,
            reason=str(grant.user),
        )


# --- moving work ------------------------------------------------------------------------


def _transfer_errors(case: Case, to_team, to_director, reason: str) -> dict:
    errors = {}
    if to_team is None or to_team.municipality_id != case.municipality_id:
        errors["to_team"] = _("Kies een team van deze gemeente.")
    elif not to_team.is_active:
        errors["to_team"] = _("%(team)s is niet actief.") % {"team": to_team}
    elif to_team.pk == case.team_id:
        errors["to_team"] = _("De casus ligt al bij %(team)s.") % {"team": to_team}
    elif not to_team.runs_cases:
        errors["to_team"] = _("%(team)s voert geen casussen.") % {"team": to_team}
    if "to_team" not in errors and (
        to_director is None
        or to_director.municipality_id != case.municipality_id
        or not is_team_handler(to_director, to_team)
    ):
        errors["to_director"] = _("Kies een medewerker van %(team)s.") % {"team": to_team}
    if not reason:
        errors["reason"] = _("Geef de reden van de overdracht op.")
    return errors


def case_transfer(
    *,
    actor,
    case: Case,
    to_team,
    to_director: StaffMember,
    reason: str,
    expected_version: int | None = None,
) -> TeamChange:
    """Move the case to another team of the municipality (the household moved
    house; the kernteam hands the case to the loket): the director or the
    coordinator of its team does it, with the reason, naming the new director
    in the receiving team. The case's open questions go along; the move is
    recorded; the team it left keeps the history of what passed through it."""
    staff = _require_director_or_coordinator(actor, case)
    reason = (reason or "").strip()
    errors = _transfer_errors(case, to_team, to_director, reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(case, expected_version)
        _require_open(current)
        if current.team_id != case.team_id:
            raise conflict(current)
        change = _move_case(
            actor=actor,
            case=current,
            to_team=to_team,
            to_director=to_director,
            by=staff,
            reason=reason,
        )
    case.refresh_from_db()
    return change


def _move_case(*, actor, case: Case, to_team, to_director, by: StaffMember, reason: str):
    """Move the locked `case` with its open questions to `to_team` under
    `to_director`, recorded as a TeamChange (each question as a forward), in the
    caller's transaction: `case_transfer` and `team_end` check who may."""
    # decisions refuses while a proposal waits at the loket (a DomainError).
    case_moving.send(sender=Case, case=case)
    change = _created(
        TeamChange(
            municipality=case.municipality,
            case=case,
            from_team_id=case.team_id,
            to_team=to_team,
            from_director_id=case.director_id,
            to_director=to_director,
            by=by,
            reason=reason,
        )
    )
    questions = Question.objects.select_for_update().filter(case=case, status__in=QUESTION_EDITABLE)
    for question in questions.order_by("pk"):
        question_move_with_case(
            question=question, to_team=to_team, to_staff=to_director, by=by, reason=reason
        )
        _log(actor, A.FORWARD, question, case, reason=reason)
    case.team = to_team
    case.director = to_director
    bump(case, by, "team", "director")
    _log(actor, A.FORWARD, case, case, reason=reason)
    return change


ONLY_COORDINATOR = gettext_lazy("Alleen de coördinator van het team ziet en verdeelt dit werk.")


def _require_coordinator(actor, team) -> StaffMember:
    require_action(actor, team.municipality, Action.CASE_WORK)
    if not is_coordinator_of(actor, team):
        raise PermissionDenied(ONLY_COORDINATOR)
    return require_staff_member(actor, team.municipality)


def work_reassign(
    *,
    actor,
    team,
    from_staff: StaffMember,
    to_staff: StaffMember,
    reason: str,
    expected_items: frozenset[str] | None = None,
) -> WorkReassignment:
    """Give every open question and case of `from_staff` in `team` to
    `to_staff`, a handler of the same team, in one action (a member leaves or is
    away long): the team's coordinator does it, with the reason, after seeing
    what moves (`work_of`). `expected_items` is that preview
    (`WorkOfMember.keys`): when the work changed since, nothing moves. All or
    nothing; each case's director change is recorded as a handover too."""
    staff = _require_coordinator(actor, team)
    reason = (reason or "").strip()
    errors = {}
    if from_staff is None or from_staff.municipality_id != team.municipality_id:
        errors["from_staff"] = _("Kies een medewerker van deze gemeente.")
    if (
        to_staff is None
        or to_staff.municipality_id != team.municipality_id
        or not is_team_handler(to_staff, team)
    ):
        errors["to_staff"] = _("Kies een medewerker van %(team)s.") % {"team": team}
    elif from_staff is not None and to_staff.pk == from_staff.pk:
        errors["to_staff"] = _("Kies een andere medewerker dan degene van wie het werk komt.")
    if not reason:
        errors["reason"] = _("Geef de reden van de overdracht op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        work = work_of(team=team, staff_member=from_staff, for_update=True)
        if expected_items is not None and work.keys != frozenset(expected_items):
            raise ConcurrentEditError(
                _(
                    "Het werk van %(name)s is intussen veranderd. Bekijk het overzicht "
                    "opnieuw; er is niets overgedragen."
                )
                % {"name": from_staff}
            )
        if not work.keys:
            raise DomainError(
                _("%(name)s heeft geen open werk in dit team.") % {"name": from_staff}
            )
        moved = _created(
            WorkReassignment(
                municipality=team.municipality,
                team=team,
                from_staff=from_staff,
                to_staff=to_staff,
                by=staff,
                reason=reason,
            )
        )
        for question in work.questions:
            question_reassign(question=question, to_staff=to_staff, by=staff)
            WorkReassignmentItem.objects.create(
                municipality=team.municipality, reassignment=moved, question=question
            )
            log_access(
                user=actor,
                action=A.ASSIGN,
                obj=question,
                municipality=team.municipality,
                resident=question.resident,
                reason=reason,
            )
        for case in work.cases:
            DirectorChange.objects.create(
                municipality=case.municipality,
                case=case,
                from_director_id=case.director_id,
                to_director=to_staff,
                by=staff,
                reason=reason,
            )
            case.director = to_staff
            bump(case, staff, "director")
            WorkReassignmentItem.objects.create(
                municipality=team.municipality, reassignment=moved, case=case
            )
            _log(actor, A.CHANGE, case, case, reason=reason)
    return moved


# --- ending a team ----------------------------------------------------------------------


def team_receiver(team) -> StaffMember | None:
    """Who receives the work handed over to `team` when another team ends: its
    coordinator, else its first handler (by membership); None when it has none."""
    members = (
        Membership.objects.active()
        .filter(team=team, function__in=HANDLING_FUNCTIONS)
        .select_related("staff_member__user")
    )
    coordinator = members.filter(function=Membership.Function.COORDINATOR).order_by("pk").first()
    member = coordinator or members.order_by("pk").first()
    return member.staff_member if member else None


def _team_end_errors(team, *, ended_on, successor, hand_over_to, reason) -> dict:
    errors = {}
    today = timezone.localdate()
    if ended_on is None:
        errors["ended_on"] = _("Geef de datum op waarop het team stopt.")
    elif ended_on > today:
        errors["ended_on"] = _("De einddatum ligt in de toekomst; kies vandaag of eerder.")
    elif ended_on < team.started_on:
        errors["ended_on"] = _("De einddatum ligt vóór de begindatum van het team (%(date)s).") % {
            "date": date_format(team.started_on, "SHORT_DATE_FORMAT")
        }
    for field, other in (("successor", successor), ("hand_over_to", hand_over_to)):
        if other is None:
            continue
        if other.municipality_id != team.municipality_id or other.pk == team.pk:
            errors[field] = _("Kies een ander team van deze gemeente.")
        elif not other.is_active:
            errors[field] = _("%(team)s is niet actief.") % {"team": other}
    if not reason:
        errors["reason"] = _("Geef de reden op waarom het team stopt.")
    return errors


def team_end(
    *,
    actor,
    team: Team,
    ended_on: date,
    reason: str,
    expected_version: int | None,
    successor: Team | None = None,
    hand_over_to: Team | None = None,
) -> Team:
    """End a team (the municipality admin): on `ended_on` (today or earlier), with
    the reason and, where one exists, its successor. Its open questions and
    cases (`team_open_work`) go to `hand_over_to` (each case as a team change,
    each loose question as a forward, to that team's coordinator or first
    handler); without `hand_over_to`, ending is refused while any are open.
    Every membership of the team ends on that date; former members keep reading
    its history (`apps.access.rules.former_team_ids`). All or nothing."""
    require_action(actor, team.municipality, Action.CONFIGURATION_MANAGE)
    staff = require_staff_member(actor, team.municipality)
    reason = (reason or "").strip()
    errors = _team_end_errors(
        team, ended_on=ended_on, successor=successor, hand_over_to=hand_over_to, reason=reason
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(team, expected_version)
        if not current.is_active:
            raise DomainError(_("%(team)s is al beëindigd.") % {"team": current})
        work = team_open_work(team=current, for_update=True)
        if not work.is_empty:
            if hand_over_to is None:
                raise DomainError(
                    _(
                        "%(team)s heeft nog %(questions)s en %(cases)s. Kies een team dat "
                        "ze overneemt."
                    )
                    % {
                        "team": current,
                        "questions": ngettext(
                            "%(n)d open vraag", "%(n)d open vragen", len(work.questions)
                        )
                        % {"n": len(work.questions)},
                        "cases": ngettext(
                            "%(n)d lopende casus", "%(n)d lopende casussen", len(work.cases)
                        )
                        % {"n": len(work.cases)},
                    }
                )
            if work.cases and not hand_over_to.runs_cases:
                raise ValidationError(
                    {"hand_over_to": _("%(team)s voert geen casussen.") % {"team": hand_over_to}}
                )
            receiver = team_receiver(hand_over_to)
            if receiver is None:
                raise ValidationError(
                    {
                        "hand_over_to": _("%(team)s heeft geen leden die het werk kunnen oppakken.")
                        % {"team": hand_over_to}
                    }
                )
            for case in work.cases:
                _move_case(
                    actor=actor,
                    case=case,
                    to_team=hand_over_to,
                    to_director=receiver,
                    by=staff,
                    reason=reason,
                )
            for question in work.questions:
                question_move_with_case(
                    question=question,
                    to_team=hand_over_to,
                    to_staff=receiver,
                    by=staff,
                    reason=reason,
                )
                log_access(
                    user=actor,
                    action=A.FORWARD,
                    obj=question,
                    municipality=current.municipality,
                    resident=question.resident,
                    reason=reason,
                )
        concerned = team_record_end(
            by=actor,
            team=current,
            ended_on=ended_on,
            successor=successor,
            reason=reason,
            ended_by=staff,
        )
    for user in concerned:
        forget_roles(user)
    forget_roles(actor)
    team.refresh_from_db()
    return team


# --- shell partners (schil) -------------------------------------------------------------


def case_join(*, actor, case: Case, staff_member: StaffMember, reason: str) -> CaseJoin:
    """Ask a shell partner (schilpartner) of the case's team to join this case:
    they then see it and work on it (activities, ZRM, the plan), and only it.
    The director or the team's coordinator asks, with the reason; recorded and
    logged."""
    staff = _require_director_or_coordinator(actor, case)
    reason = (reason or "").strip()
    errors = {}
    if (
        staff_member is None
        or staff_member.municipality_id != case.municipality_id
        or not staff_member.is_active
        or not is_shell_partner_of(staff_member, case.team)
    ):
        errors["staff_member"] = _("Kies een schilpartner van %(team)s.") % {"team": case.team}
    elif CaseJoin.objects.filter(
        case=case, staff_member=staff_member, revoked_at__isnull=True
    ).exists():
        errors["staff_member"] = _("%(name)s is al bij de casus aangesloten.") % {
            "name": staff_member
        }
    if not reason:
        errors["reason"] = _("Geef de reden op waarom de schilpartner aansluit.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = lock(case)
        _require_open(current)
        join = _created(
            CaseJoin(
                municipality=current.municipality,
                case=current,
                staff_member=staff_member,
                asked_by=staff,
                reason=reason,
            )
        )
        _log(actor, A.SHARE, current, current, reason=f"{staff_member}: {reason}")
    return join


def case_join_revoke(*, actor, case: Case, join: CaseJoin) -> CaseJoin:
    """End a shell partner's work on the case (the director or the team's
    coordinator); the record stays, with who ended it and when."""
    staff = _require_director_or_coordinator(actor, case)
    if join.case_id != case.pk:
        raise ValidationError({"join": _("Deze schilpartner hoort niet bij deze casus.")})
    with transaction.atomic():
        current = CaseJoin.objects.select_for_update().get(pk=join.pk)
        if current.revoked_at is not None:
            raise DomainError(_("Deze schilpartner werkt al niet meer aan de casus."))
        current.revoked_at = timezone.now()
        current.revoked_by = staff
        current.save(update_fields=["revoked_at", "revoked_by"])
        _log(actor, A.UNSHARE, case, case, reason=str(current.staff_member))
    return current
