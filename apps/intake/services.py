"""Writes of the intake: registering a question (and its resident), triage,
taking a question, forwarding it. Every page, API view and command calls these;
each checks the actor's permission itself. `actor=None` is a trusted operator at
the shell (the demo loader)."""

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.rules import (
    can_see_question,
    handles_question,
    has_relationship,
    is_member_of,
    may_correct_question_description,
)
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.exceptions import DomainError
from apps.core.versioning import bump, conflict, lock, save_versioned
from apps.intake.models import (
    ZRM_LIFE_DOMAINS,
    Destination,
    Household,
    IntakeSettings,
    LifeDomain,
    Question,
    QuestionDescriptionRevision,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.intake.validators import normalise_bsn
from apps.intake.workflow import QUESTION_EDITABLE, QUESTION_FLOW
from apps.teams.models import Law, Team
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action, require_action

# As long as the reason asked before opening a file one has no relation with.
ACCESS_REASON_MIN_LENGTH = 10

A = AccessLogEntry.Action


def _log(actor, action, obj, **kwargs) -> None:
    """The access-log entry of a write, inside the write's transaction: the
    change and its line are stored together or not at all."""
    log_access(user=actor, action=action, obj=obj, municipality=obj.municipality, **kwargs)


def _check(actor, municipality, action):
    if actor is not None:
        require_action(actor, municipality, action)


def staff_member_of(user, municipality) -> StaffMember | None:
    if user is None:
        return None
    return StaffMember.objects.filter(municipality=municipality, user=user, is_active=True).first()


def require_staff_member(user, municipality) -> StaffMember:
    """The user's active staff record in `municipality`, else 403."""
    staff = staff_member_of(user, municipality)
    if staff is None:
        raise PermissionDenied(_("U heeft geen toegang tot deze gemeente."))
    return staff


def intake_settings_for(municipality) -> IntakeSettings:
    settings, _created = IntakeSettings.objects.get_or_create(municipality=municipality)
    return settings


def life_domains_create_defaults(municipality, names=ZRM_LIFE_DOMAINS) -> None:
    """Give a municipality without life domains the given list (default: the ZRM)."""
    if LifeDomain.objects.filter(municipality=municipality).exists():
        return
    LifeDomain.objects.bulk_create(
        LifeDomain(municipality=municipality, name=name, position=i)
        for i, name in enumerate(names, start=1)
    )


# --- triage ------------------------------------------------------------------


@dataclass(frozen=True)
class TriageOutcome:
    team: Team | None
    rule: TriageRule | None
    rule_name: str


def _loket_team(municipality) -> Team | None:
    return (
        Team.objects.filter(municipality=municipality, kind=Team.Kind.LOKET, is_active=True)
        .order_by("name", "pk")
        .first()
    )


def _area_team(municipality, area) -> Team | None:
    """The directly accessible case team serving `area`; else one serving the
    whole municipality (no areas)."""
    teams = Team.objects.filter(
        municipality=municipality,
        kind__in=Team.CASE_TEAM_KINDS,
        access=Team.Access.DIRECT,
        is_active=True,
    ).order_by("name", "pk")
    if area is not None:
        team = teams.filter(areas=area).first()
        if team is not None:
            return team
    return teams.filter(areas__isnull=True).first()


def resolve_destination(municipality, destination: str, team: Team | None, area) -> Team | None:
    if destination == Destination.LOKET:
        return _loket_team(municipality)
    if destination == Destination.TEAM:
        return team if team is not None and team.is_active else None
    if destination == Destination.AREA_TEAM:
        return _area_team(municipality, area)
    return None


def rule_applies(rule: TriageRule, *, channel, is_youth, laws, life_domain_ids, area) -> bool:
    if rule.channel and rule.channel != channel:
        return False
    if rule.is_youth is not None and rule.is_youth != is_youth:
        return False
    if rule.law and rule.law not in laws:
        return False
    if rule.life_domain_id and rule.life_domain_id not in life_domain_ids:
        return False
    area_id = area.pk if area is not None else None
    return not (rule.area_id and rule.area_id != area_id)


def triage(
    *, municipality, channel: str, is_youth: bool, laws, life_domains, area
) -> TriageOutcome:
    """Where the municipality's rules send a question: the first active rule, in
    order, whose conditions all hold and whose destination exists; else the
    default; else the loket. The team is None only when none of these exists."""
    life_domain_ids = {d.pk for d in life_domains}
    rules = TriageRule.objects.filter(municipality=municipality, is_active=True).select_related(
        "team"
    )
    for rule in rules.order_by("position", "pk"):
        if rule_applies(
            rule,
            channel=channel,
            is_youth=is_youth,
            laws=laws,
            life_domain_ids=life_domain_ids,
            area=area,
        ):
            team = resolve_destination(municipality, rule.destination, rule.team, area)
            if team is not None:
                return TriageOutcome(team=team, rule=rule, rule_name=rule.name)
    settings = intake_settings_for(municipality)
    team = resolve_destination(
        municipality, settings.default_destination, settings.default_team, area
    )
    if team is not None:
        return TriageOutcome(
            team=team,
            rule=None,
            rule_name=_("standaardbestemming: %(destination)s")
            % {"destination": settings.get_default_destination_display()},
        )
    team = _loket_team(municipality)
    return TriageOutcome(team=team, rule=None, rule_name=_("het loket (terugval)") if team else "")


# --- registering a question -----------------------------------------------------


RESIDENT_FIELDS = Resident.DATA_FIELDS


def _resident_for(
    *, actor, municipality, resident, resident_data, access_reason=""
) -> tuple[Resident, bool]:
    """The resident the question is about: the one given, the known resident with
    the BSN entered (never a second record), or a new one. Returns (resident,
    found_by_bsn). A known resident found by BSN whose file the actor does not
    work on needs the `access_reason`, as a chosen one does."""
    if resident is not None:
        if resident.municipality_id != municipality.pk:
            raise DomainError(_("Kies een inwoner van deze gemeente."))
        return resident, False
    data = {k: v for k, v in (resident_data or {}).items() if k in RESIDENT_FIELDS}
    data["bsn"] = normalise_bsn(data.get("bsn") or "")
    try:
        known = known_resident_by_bsn(municipality=municipality, data=data)
    except ValidationError as exc:
        errors = {f"resident.{k}": v for k, v in exc.message_dict.items()}
        if isinstance(exc, BsnCheckFailed):
            raise BsnCheckFailed(errors, resident=exc.resident) from exc
        raise ValidationError(errors) from exc
    if known is not None:
        _require_access_reason(
            actor,
            municipality,
            known,
            access_reason,
            _(
                "Dit BSN hoort bij een bekende inwoner aan wiens vragen u niet werkt: "
                "geef de reden van inzage op (ten minste 10 tekens)."
            ),
        )
        return known, True
    new = Resident(municipality=municipality, **data)
    try:
        new.full_clean()
    except ValidationError as exc:
        raise ValidationError({f"resident.{k}": v for k, v in exc.message_dict.items()}) from exc
    new.save()
    return new, False


class BsnCheckFailed(ValidationError):
    """A known BSN typed with another surname or date of birth. The message names
    no one; `resident` is the resident the BSN belongs to, for the access log
    (`log_failed_bsn_check`), written by the caller after the rollback."""

    def __init__(self, message, *, resident: Resident):
        super().__init__(message)
        self.resident = resident


def _require_access_reason(actor, municipality, resident, reason, message) -> None:
    """The one rule for reaching the file of a resident the actor does not work
    on (opening it, registering a question about it, linking it into a
    household): a reason of at least ACCESS_REASON_MIN_LENGTH characters, else
    `message` on the field `reason`. A trusted operator (`actor=None`) needs none."""
    if (
        actor is not None
        and len((reason or "").strip()) < ACCESS_REASON_MIN_LENGTH
        and not has_relationship(actor, municipality, resident)
    ):
        raise ValidationError({"reason": message})


def log_failed_bsn_check(*, request, resident: Resident):
    """Record a refused BSN check as a search naming the resident the BSN is
    theirs, so the municipality sees who tries BSNs; without what was typed."""
    from django.utils.translation import gettext_lazy

    log_access(
        request=request,
        action=AccessLogEntry.Action.SEARCH,
        object_type="intake.resident",
        object_id=resident.pk,
        # Lazy: the log's labels are Dutch, whatever language the page is in.
        object_label=gettext_lazy("BSN-controle mislukt"),
        resident=resident,
        municipality=resident.municipality,
    )


def known_resident_by_bsn(*, municipality, data: dict) -> Resident | None:
    """The one rule for a BSN typed in with a person's details, for every way in
    (the register page, the household form, the API): the known resident of the
    municipality with that BSN, locked, or None when the BSN is empty or unknown.

    A BSN never finds anyone on its own: the surname must be given and match
    (case and spaces ignored), and the date of birth too when it is given. A
    mistyped BSN that passes the 11-test must not attach a question or a
    household (and what was typed) to a stranger's file, so anything else is
    refused without naming the person (a `BsnCheckFailed`: the caller logs it
    with `log_failed_bsn_check` once the transaction is rolled back). A missing
    surname is refused whether or not the BSN is known: the answer does not
    tell. Errors are on `bsn` and `surname`; call it inside a transaction."""
    bsn = normalise_bsn(data.get("bsn") or "")
    if not bsn:
        return None
    if not _normalised(data.get("surname")):
        raise ValidationError({"surname": _("Vul de achternaam van de inwoner in.")})
    known = Resident.objects.select_for_update().filter(municipality=municipality, bsn=bsn).first()
    if known is not None and _differs_from(known, data):
        raise BsnCheckFailed(
            {
                "bsn": _(
                    "Dit BSN hoort bij een bekende inwoner met een andere naam of "
                    "geboortedatum. Controleer het BSN."
                )
            },
            resident=known,
        )
    return known


def _normalised(text) -> str:
    return " ".join((text or "").split()).casefold()


def _differs_from(known: Resident, data: dict) -> bool:
    """Whether what was typed next to a known BSN describes someone else: another
    surname or another date of birth (a date of birth left empty does not count)."""
    if _normalised(data.get("surname")) != _normalised(known.surname):
        return True
    born = data.get("date_of_birth")
    return bool(born and known.date_of_birth and born != known.date_of_birth)


@dataclass
class Registration:
    question: Question
    found_known_resident: bool
    repeated: bool = False


def _earlier_submission(actor, municipality, received_by, submission_key) -> Question | None:
    """The question `received_by` registered earlier with `submission_key`, if any.
    A key binds only its own sender (municipality and staff member): reusing
    someone else's key finds nothing. The answer to a repeat shows the question,
    so it passes the same check as reading it (else PermissionDenied)."""
    if not submission_key:
        return None
    earlier = Question.objects.filter(
        municipality=municipality, received_by=received_by, submission_key=submission_key
    ).first()
    if earlier is not None and actor is not None and not can_see_question(actor, earlier):
        raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
    return earlier


@dataclass(frozen=True)
class NewQuestion:
    """What is asked at the gate, as the page's form or the API's body gives it
    (melding): about a chosen `resident` or one described by `resident_data`
    (found by BSN or new), and how the question came in. `access_reason` is
    the reason of inzage for a resident one has no relation with;
    `submission_key` makes a repeated send (a double click, a retry) the same
    registration."""

    channel: str
    received_at: datetime
    description: str
    life_domains: Sequence = ()
    laws: Sequence = ()
    resident: Resident | None = None
    resident_data: dict | None = None
    stated_is_youth: bool | None = None
    gate: Team | None = None
    reporter_name: str = ""
    reporter_relation: str = ""
    reporter_contact: str = ""
    resident_is_aware: bool | None = None
    override_team: Team | None = None
    override_reason: str = ""
    submission_key: str = ""
    access_reason: str = ""

    @classmethod
    def from_data(cls, data: dict, **given) -> "NewQuestion":
        """From a form's or a serializer's cleaned data: the values it has under
        these names; `given` adds or overrides the others."""
        names = {f.name for f in fields(cls)}
        return cls(**{**{k: v for k, v in data.items() if k in names}, **given})


def question_register(
    *,
    actor,
    municipality,
    new: NewQuestion,
    received_by: StaffMember | None = None,
) -> Registration:
    """Register a question: find or create its resident, derive youth and the
    Wmo deadline, run triage (or apply the clarifier's override, with reason).

    A question about a chosen `resident` whose file the actor does not work on
    (a team member with no question of theirs) needs the `access_reason` first,
    as opening the file does: registering must not open it without one. So does
    a known resident found by the BSN and surname typed in `resident_data`
    (checked in the transaction, before anything is saved); a refused BSN check
    is a `BsnCheckFailed` the caller logs (`log_failed_bsn_check`).

    All or nothing: on any error neither the resident nor the question is saved.
    Field errors come as a ValidationError; resident fields are prefixed
    'resident.'."""
    _check(actor, municipality, Action.QUESTION_REGISTER)
    resident, access_reason = new.resident, new.access_reason
    override_team, override_reason, gate = new.override_team, new.override_reason, new.gate
    submission_key = (new.submission_key or "").strip()[:64]
    if received_by is None:
        received_by = staff_member_of(actor, municipality)
    if received_by is None:
        raise DomainError(_("Alleen een medewerker van deze gemeente kan een vraag registreren."))
    # The same form sent twice (a double click, a retry) by the same person: the
    # key is theirs only, so someone else's key is a new registration.
    earlier = _earlier_submission(actor, municipality, received_by, submission_key)
    if earlier is not None:
        return Registration(question=earlier, found_known_resident=False, repeated=True)
    if resident is not None and resident.municipality_id == municipality.pk:
        _require_access_reason(
            actor,
            municipality,
            resident,
            access_reason,
            _(
                "U werkt niet aan een vraag van deze inwoner of diens huishouden: "
                "geef de reden van inzage op (ten minste 10 tekens)."
            ),
        )
    life_domains = list(new.life_domains)
    errors = {}
    if any(d.municipality_id != municipality.pk or not d.is_active for d in life_domains):
        errors["life_domains"] = _("Kies leefgebieden uit de lijst van deze gemeente.")
    if not life_domains:
        errors["life_domains"] = _("Kies ten minste één leefgebied.")
    if override_team is not None:
        if override_team.municipality_id != municipality.pk or not override_team.is_active:
            errors["override_team"] = _("Kies een actief team van deze gemeente.")
        elif not override_reason.strip():
            errors["override_reason"] = _(
                "Geef een reden op als u afwijkt van de uitkomst van de triage."
            )
    if override_reason.strip() and override_team is None:
        errors["override_team"] = _("Kies het team waar de vraag wél heen moet.")
    if gate is not None and gate.municipality_id != municipality.pk:
        errors["gate"] = _("Kies een team van deze gemeente.")
    if errors:
        raise ValidationError(errors)

    for attempt in range(2):
        try:
            with transaction.atomic():
                return _register(
                    actor=actor,
                    municipality=municipality,
                    received_by=received_by,
                    new=replace(
                        new,
                        life_domains=life_domains,
                        laws=list(new.laws),
                        override_reason=override_reason.strip(),
                        submission_key=submission_key,
                    ),
                )
        except IntegrityError:
            earlier = _earlier_submission(actor, municipality, received_by, submission_key)
            if earlier is not None:  # the twin submit won the race
                return Registration(question=earlier, found_known_resident=False, repeated=True)
            # Someone registered a resident with the same BSN a moment ago:
            # the second attempt finds that resident.
            if attempt:
                raise DomainError(
                    _("De inwoner kon niet worden opgeslagen; probeer het opnieuw.")
                ) from None
    raise AssertionError("unreachable")


def _register(*, actor, municipality, received_by, new: NewQuestion) -> Registration:
    resident, found = _resident_for(
        actor=actor,
        municipality=municipality,
        resident=new.resident,
        resident_data=new.resident_data,
        access_reason=new.access_reason,
    )
    received_at = new.received_at
    if resident.date_of_birth is not None and received_at is not None:
        is_youth = resident.age_on(timezone.localtime(received_at).date()) < 18
        derived = True
    else:
        is_youth = bool(new.stated_is_youth)
        derived = False
    settings = intake_settings_for(municipality)
    deadline = None
    if Law.WMO in new.laws and received_at is not None:
        deadline = Question.deadline_for(
            timezone.localtime(received_at).date(), settings.wmo_investigation_weeks
        )
    outcome = triage(
        municipality=municipality,
        channel=new.channel,
        is_youth=is_youth,
        laws=new.laws,
        life_domains=new.life_domains,
        area=resident.area,
    )
    team = new.override_team or outcome.team
    question = Question(
        municipality=municipality,
        resident=resident,
        household=resident.household,
        area=resident.area,
        channel=new.channel,
        received_at=received_at,
        received_by=received_by,
        gate=new.gate,
        reporter_name=new.reporter_name,
        reporter_relation=new.reporter_relation,
        reporter_contact=new.reporter_contact,
        resident_is_aware=new.resident_is_aware,
        description=new.description,
        laws=new.laws,
        is_youth=is_youth,
        youth_is_derived=derived,
        investigation_deadline=deadline,
        triage_rule=outcome.rule,
        triage_rule_name=outcome.rule_name,
        triage_team=outcome.team,
        override_reason=new.override_reason if new.override_team else "",
        team=team,
        submission_key=new.submission_key,
    )
    if team is None:
        raise ValidationError(
            {
                "override_team": _(
                    "De triageregels leiden naar geen enkel actief team. Kies zelf een team "
                    "en geef de reden op."
                )
            }
        )
    question.full_clean(exclude=["life_domains"])
    question.save()
    question.life_domains.set(new.life_domains)
    _log(actor, A.CREATE, question, reason=(new.access_reason or "").strip())
    return Registration(question=question, found_known_resident=found)


# --- residents and households ------------------------------------------------------


def resident_save(*, actor, resident: Resident, expected_version: int | None = None) -> Resident:
    """Create or change a resident's data (names, BSN, address, area). A BSN
    already known in the municipality is refused with a message on the field."""
    _check(actor, resident.municipality, Action.QUESTION_REGISTER)
    resident.bsn = normalise_bsn(resident.bsn)
    clash = (
        Resident.objects.filter(municipality=resident.municipality, bsn=resident.bsn)
        .exclude(pk=resident.pk)
        .exists()
    )
    if resident.bsn and clash:
        raise ValidationError(
            {"bsn": _("Er is in deze gemeente al een inwoner met dit BSN: zoek die inwoner op.")}
        )
    with transaction.atomic():
        save_versioned(resident, expected_version=expected_version)
        _log(actor, A.CHANGE, resident)
    return resident


def household_create(*, actor, resident: Resident, name: str = "") -> Household:
    """Start a household with `resident` as its applicant (hoofdbewoner)."""
    _check(actor, resident.municipality, Action.QUESTION_REGISTER)
    with transaction.atomic():
        current = lock(resident)
        if current.household_id:
            raise DomainError(_("Deze inwoner hoort al bij een huishouden."))
        household = Household(
            municipality=current.municipality,
            name=(name or "").strip() or _("Huishouden %(name)s") % {"name": current.surname},
        )
        household.full_clean()
        household.save()
        current.household = household
        current.household_relation = Resident.Relation.APPLICANT
        bump(current, None, "household", "household_relation")
        _log(actor, A.CREATE, household, resident=current)
    resident.refresh_from_db()
    return household


def household_add_member(
    *,
    actor,
    household: Household,
    relation: str,
    resident: Resident | None = None,
    resident_data: dict | None = None,
    reason: str = "",
) -> Resident:
    """Add a known resident (who lives alone so far) or a new one to the household.

    A known resident is found by BSN with the same name check as registering a
    question (`known_resident_by_bsn`). Linking someone into a household gives
    whoever works on that household a relation to their file, so an actor who
    has none yet (a team member who works on no question of theirs) gives the
    `reason` first, as for opening the file; the page and the access log keep it."""
    _check(actor, household.municipality, Action.QUESTION_REGISTER)
    if relation not in Resident.Relation.values:
        raise ValidationError({"relation": _("Kies de rol in het huishouden.")})
    try:
        with transaction.atomic():
            member = _add_member(actor, household, relation, resident, resident_data, reason)
            _log(actor, A.CHANGE, member, reason=(reason or "").strip())
            return member
    except IntegrityError:
        raise ValidationError(
            {"bsn": _("Iemand registreerde deze inwoner zojuist; probeer het opnieuw.")}
        ) from None


def _add_member(actor, household, relation, resident, resident_data, reason) -> Resident:
    if resident is None:
        data = {k: v for k, v in (resident_data or {}).items() if k in RESIDENT_FIELDS}
        data["bsn"] = normalise_bsn(data.get("bsn") or "")
        resident = known_resident_by_bsn(municipality=household.municipality, data=data)
        if resident is None:
            new = Resident(
                municipality=household.municipality,
                household=household,
                household_relation=relation,
                **data,
            )
            new.full_clean()
            new.save()
            return new
    else:
        resident = lock(resident)
    if resident.municipality_id != household.municipality_id:
        raise DomainError(_("Kies een inwoner van deze gemeente."))
    if resident.household_id and resident.household_id != household.pk:
        raise ValidationError(
            {
                "bsn": _(
                    "Deze inwoner hoort al bij een ander huishouden; haal hem of haar daar "
                    "eerst weg."
                )
            }
        )
    if resident.household_id != household.pk:
        _require_access_reason(
            actor,
            household.municipality,
            resident,
            reason,
            _(
                "U werkt niet aan een vraag van deze inwoner. Geef de reden op "
                "waarom u diens dossier aan dit huishouden koppelt (ten minste 10 "
                "tekens); die komt in het toegangslog."
            ),
        )
    # Only the household fields: a concurrent change of the address or phone
    # number stays.
    resident.household = household
    resident.household_relation = relation
    bump(resident, None, "household", "household_relation")
    return resident


def household_remove_member(*, actor, resident: Resident) -> None:
    """The resident no longer lives in the household (moved out); their questions
    keep the household they were asked in."""
    _check(actor, resident.municipality, Action.QUESTION_REGISTER)
    with transaction.atomic():
        current = lock(resident)
        current.household = None
        current.household_relation = ""
        bump(current, None, "household", "household_relation")
        _log(actor, A.CHANGE, current)


# --- working on a question ------------------------------------------------------------


def _locked(question: Question, expected_version: int | None, actor=None) -> Question:
    current = lock(question)
    if (
        actor is not None
        and current.team_id != question.team_id
        and not is_member_of(actor, current.team)
    ):
        # Forwarded by a colleague a moment ago: say where it is now.
        raise DomainError(_("De vraag ligt intussen bij %(team)s.") % {"team": current.team})
    if expected_version is not None and current.version != expected_version:
        raise conflict(current)
    return current


def _require_handler(actor, question: Question) -> None:
    _check(actor, question.municipality, Action.QUESTION_HANDLE)
    if actor is not None and not is_member_of(actor, question.team):
        raise PermissionDenied(
            _("Alleen een lid van %(team)s kan deze vraag oppakken of doorsturen.")
            % {"team": question.team}
        )


def question_assign(*, actor, question: Question, expected_version: int | None = None):
    """Take a question: the actor becomes its handler (assign to me)."""
    _require_handler(actor, question)
    with transaction.atomic():
        current = _locked(question, expected_version, actor)
        QUESTION_FLOW.check(current, Question.Status.IN_PROGRESS)
        staff = staff_member_of(actor, current.municipality)
        if current.assigned_to_id is not None and current.assigned_to_id != staff.pk:
            raise DomainError(
                _("%(name)s heeft deze vraag al opgepakt.")
                % {"name": current.assigned_to.user.full_name}
            )
        current.assigned_to = staff
        QUESTION_FLOW.move(current, Question.Status.IN_PROGRESS)
        bump(current, staff, "assigned_to", "status")
        _log(actor, A.ASSIGN, current)
    return current


def question_forward(
    *,
    actor,
    question: Question,
    to_team: Team,
    reason: str,
    expected_version: int | None = None,
) -> QuestionForward:
    """Send the question (never the resident) to another team, with the reason.
    The forward is recorded; the question is new and unassigned at the receiver."""
    _require_handler(actor, question)
    reason = (reason or "").strip()
    errors = {}
    if to_team is None or to_team.municipality_id != question.municipality_id:
        errors["to_team"] = _("Kies een team van deze gemeente.")
    elif not to_team.is_active:
        errors["to_team"] = _("Dit team is niet actief.")
    elif to_team.pk == question.team_id:
        errors["to_team"] = _("De vraag ligt al bij %(team)s.") % {"team": to_team}
    if not reason:
        errors["reason"] = _("Geef de reden van het doorsturen op.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(question, expected_version, actor)
        QUESTION_FLOW.check(current, Question.Status.NEW)
        if to_team.pk == current.team_id:
            raise ValidationError(
                {"to_team": _("De vraag ligt al bij %(team)s.") % {"team": to_team}}
            )
        by = staff_member_of(actor, current.municipality) if actor is not None else None
        if by is None:
            by = current.received_by
        forward = QuestionForward(
            municipality=current.municipality,
            question=current,
            from_team=current.team,
            to_team=to_team,
            by=by,
            reason=reason,
        )
        forward.full_clean()
        forward.save()
        current.team = to_team
        current.assigned_to = None
        QUESTION_FLOW.move(current, Question.Status.NEW)
        bump(current, by, "team", "assigned_to", "status")
        _log(actor, A.FORWARD, current, reason=forward.reason)
    question.refresh_from_db()
    return forward


def question_join_case(*, question: Question, case, staff: StaffMember) -> Question:
    """The cases app links a question, locked by it in its transaction, to the
    case that now works on it: the question is in progress, with its handler (or
    the case's director when it had none). A closed question of the household
    joins the case as it is. The caller logs the change."""
    question.case = case
    if QUESTION_FLOW.can_move(question, Question.Status.IN_PROGRESS):
        QUESTION_FLOW.move(question, Question.Status.IN_PROGRESS)
        question.assigned_to = question.assigned_to or staff
    bump(question, staff, "case", "status", "assigned_to")
    return question


def question_move_with_case(
    *, question: Question, to_team: Team, to_staff: StaffMember, by: StaffMember, reason: str
) -> QuestionForward:
    """The cases app moves a case to another team, with this open question of
    it locked in its transaction: the question goes along, recorded as a
    forward of its own (so the team it left still finds it in its history),
    handled at the new team by the case's new director. The caller logs."""
    forward = QuestionForward(
        municipality=question.municipality,
        question=question,
        from_team_id=question.team_id,
        to_team=to_team,
        by=by,
        reason=reason,
    )
    forward.full_clean()
    forward.save()
    question.team = to_team
    question.assigned_to = to_staff
    bump(question, by, "team", "assigned_to")
    return forward


def question_reassign(*, question: Question, to_staff: StaffMember, by: StaffMember) -> Question:
    """The cases app gives a question, locked in its transaction, to another
    handler of its team (a work reassignment, which records it). The caller logs."""
    question.assigned_to = to_staff
    bump(question, by, "assigned_to")
    return question


def resident_household_for_case(*, resident: Resident, staff: StaffMember) -> Resident:
    """The cases app opens a case for the household of `resident`, locked by it
    in its transaction: a resident without one gets a household of their own,
    as its applicant, named after them. The caller logs the change."""
    if resident.household_id is None:
        household = Household(municipality=resident.municipality, name=resident.full_name)
        household.full_clean()
        household.save()
        resident.household = household
        resident.household_relation = Resident.Relation.APPLICANT
        bump(resident, staff, "household", "household_relation")
    return resident


def question_lock_running(question: Question) -> Question:
    """The question locked, for a change of its investigation deadline: refused
    when it is closed or has no running term."""
    current = lock(question)
    if current.status not in QUESTION_EDITABLE or current.investigation_deadline is None:
        raise DomainError(_("Deze vraag heeft geen lopende onderzoekstermijn."))
    return current


def question_deadline_set(*, question: Question, deadline) -> Question:
    """Set the investigation deadline of a question locked by the caller
    (`question_lock_running`); the decisions app records the suspension or
    extension beside it, and logs it."""
    question.investigation_deadline = deadline
    bump(question, None, "investigation_deadline")
    return question


def personal_plan_record(*, actor, question: Question, received_on) -> Question:
    """Wmo: the resident handed in a personal plan (within the period after the
    report, default 7 days); the investigation takes it into account."""
    municipality = question.municipality
    require_action(actor, municipality, Action.QUESTION_HANDLE)
    if not handles_question(actor, question):
        raise PermissionDenied(_("Alleen wie de vraag behandelt kan dit vastleggen."))
    if Law.WMO not in (question.laws or []):
        raise ValidationError({"received_on": _("Een persoonlijk plan hoort bij een Wmo-melding.")})
    received = timezone.localdate(question.received_at)
    if not received_on or received_on < received or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("Kies een datum vanaf de melding tot en met vandaag.")}
        )
    with transaction.atomic():
        current = lock(question)
        current.personal_plan_received_on = received_on
        bump(current, None, "personal_plan_received_on")
        _log(actor, A.CHANGE, current)
    return current


QUESTION_EDITABLE_FIELDS = (
    "description",
    "laws",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
    "resident_is_aware",
)


DESCRIPTION_NOT_YOURS = gettext_lazy(
    "Alleen wie de vraag registreerde, de regisseur van de casus of de coördinator van het "
    "team corrigeert de omschrijving."
)


def question_update(
    *,
    actor,
    question: Question,
    life_domains,
    expected_version: int | None,
    stated_is_youth: bool | None = None,
    **changes,
) -> Question:
    """Correct what was registered: the description, life domains, laws, the
    reporter, and youth when it was stated (not derived from a date of birth).
    The routing stays as it is (forward the question to change that); the Wmo
    deadline follows the laws. Allowed to whoever may handle the question and
    to the person who registered it."""
    staff = staff_member_of(actor, question.municipality) if actor is not None else None
    if actor is not None and not (staff and staff.pk == question.received_by_id):
        _require_handler(actor, question)
    unknown = set(changes) - set(QUESTION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    life_domains = list(life_domains)
    if not life_domains:
        raise ValidationError({"life_domains": _("Kies ten minste één leefgebied.")})
    if any(d.municipality_id != question.municipality_id for d in life_domains):
        raise ValidationError(
            {"life_domains": _("Kies leefgebieden uit de lijst van deze gemeente.")}
        )
    with transaction.atomic():
        current = _locked(question, expected_version)
        if current.status not in QUESTION_EDITABLE:
            raise DomainError(_("Een afgesloten vraag wordt niet meer gewijzigd."))
        description = changes.get("description")
        if description is not None and description.strip() != current.description:
            # One rule for correcting the description, whichever page does it
            # (apps.access.rules.may_correct_question_description).
            if actor is not None and not may_correct_question_description(actor, current):
                raise ValidationError({"description": DESCRIPTION_NOT_YOURS})
            # The earlier description is kept, as with a correction of it alone.
            QuestionDescriptionRevision.record(
                owner=current,
                text=current.description,
                author_id=current.received_by_id,
                written_at=current.created_at,
                by=staff or current.received_by,
                reason=_("Gewijzigd bij het corrigeren van de gegevens van de vraag."),
            )
        for field, value in changes.items():
            setattr(current, field, value)
        if not current.youth_is_derived and stated_is_youth is not None:
            current.is_youth = stated_is_youth
        laws = current.laws or []
        if Law.WMO in laws and current.investigation_deadline is None:
            settings = intake_settings_for(current.municipality)
            current.investigation_deadline = Question.deadline_for(
                timezone.localtime(current.received_at).date(), settings.wmo_investigation_weeks
            )
        elif Law.WMO not in laws:
            current.investigation_deadline = None
        current.full_clean(exclude=["life_domains"])
        bump(current, staff, *changes, "is_youth", "investigation_deadline")
        current.life_domains.set(life_domains)
        _log(actor, A.CHANGE, current)
    return current


def question_close(
    *, actor, question: Question, note: str, expected_version: int | None = None
) -> Question:
    """Close a question that needs nothing more from this team (answered with
    information or advice, referred to a general provision, withdrawn), with a
    note on how it was handled."""
    _require_handler(actor, question)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Beschrijf kort hoe de vraag is afgehandeld.")})
    with transaction.atomic():
        current = _locked(question, expected_version, actor)
        QUESTION_FLOW.move(current, Question.Status.CLOSED, _("Deze vraag is al afgesloten."))
        current.closed_at = timezone.now()
        current.closed_by = staff_member_of(actor, current.municipality) if actor else None
        current.closure_note = note
        bump(current, current.closed_by, "status", "closed_at", "closed_by", "closure_note")
        _log(actor, A.CHANGE, current)
    return current


def triage_rule_move(*, actor, rule: TriageRule, direction: int) -> None:
    """Move a rule one place up (-1) or down (+1); positions are renumbered."""
    _check(actor, rule.municipality, Action.CONFIGURATION_MANAGE)
    with transaction.atomic():
        rules = list(
            TriageRule.objects.select_for_update()
            .filter(municipality=rule.municipality)
            .order_by("position", "pk")
        )
        index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
        target = index + direction
        if 0 <= target < len(rules):
            rules[index], rules[target] = rules[target], rules[index]
        for position, r in enumerate(rules, start=1):
            if r.position != position:
                r.position = position
                bump(r, None, "position")


def triage_rule_next_position(municipality) -> int:
    last = (
        TriageRule.objects.filter(municipality=municipality)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


# --- correcting the description (#20, part 2) -------------------------------------------

MAY_NOT_CORRECT_DESCRIPTION = gettext_lazy(
    "Alleen wie de vraag registreerde of de regisseur kan de omschrijving corrigeren."
)


def clean_correction(text, reason, *, required: bool) -> tuple[str, str]:
    """The corrected text and the reason, stripped; a ValidationError naming
    the field when the text is required and empty or the reason is missing."""
    text, reason = (text or "").strip(), (reason or "").strip()
    errors = {}
    if required and not text:
        errors["text"] = _("Schrijf de gecorrigeerde tekst.")
    if not reason:
        errors["reason"] = _("Geef de reden van de correctie.")
    if errors:
        raise ValidationError(errors)
    return text, reason


def question_description_correct(
    *, actor, question: Question, text: str, reason: str, expected_version: int | None
) -> Question:
    """Correct the description of a question (its author, or the director of its
    case, or its team's coordinator while it has no case), with a reason. The
    earlier text is kept with who wrote it and when, and shown with the
    question. A closed question is corrected too: rectification is a right."""
    _check(actor, question.municipality, Action.QUESTION_VIEW)
    staff = require_staff_member(actor, question.municipality)
    if not may_correct_question_description(actor, question):
        raise PermissionDenied(MAY_NOT_CORRECT_DESCRIPTION)
    text, reason = clean_correction(text, reason, required=True)
    with transaction.atomic():
        current = lock(question, expected_version)
        if text == current.description:
            raise ValidationError({"text": _("De tekst is niet veranderd.")})
        QuestionDescriptionRevision.record(
            owner=current,
            text=current.description,
            author_id=current.received_by_id,
            written_at=current.created_at,
            by=staff,
            reason=reason,
        )
        current.description = text
        current.full_clean(exclude=["life_domains"])
        bump(current, staff, "description")
        _log(actor, A.CHANGE, current)
    return current
