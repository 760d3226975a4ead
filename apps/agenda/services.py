"""Writes of the agenda: planning an appointment on a case or a question,
rescheduling it, cancelling it, recording it as an activity once held, and the
private address of a person's calendar feed. Every page and API view calls
these; each checks the actor's permission itself, in a transaction, with the row
locked."""

import hashlib
import logging
import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from apps.access.rules import (
    can_see_question,
    may_plan_appointment,
    may_plan_on_case,
    may_plan_on_question,
    may_take_part,
)
from apps.agenda.models import Appointment, CalendarFeed
from apps.agenda.workflow import APPOINTMENT_FLOW
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import Case
from apps.cases.services import activity_record
from apps.core.exceptions import DomainError
from apps.core.versioning import bump, lock
from apps.intake.models import Question
from apps.intake.services import require_staff_member
from apps.tenants.permissions import Action, require_action

A = AccessLogEntry.Action
logger = logging.getLogger("portal.security")
S = Appointment.Status

# A calendar key: "agd_<municipality id>_<secret>". The municipality part says
# in whose scope the key is looked up (no lookup across municipalities); the
# secret is what the stored hash is of.
FEED_KEY_PREFIX = "agd_"


def _resident_of(appointment: Appointment):
    return appointment.subject.resident


def _log(actor, action, appointment: Appointment) -> None:
    log_access(
        user=actor,
        action=action,
        obj=appointment,
        municipality=appointment.municipality,
        resident=_resident_of(appointment),
    )


def _require_planner(actor, appointment: Appointment):
    """The actor works on the appointment's case or question (else 403)."""
    action = Action.CASE_WORK if appointment.case_id else Action.QUESTION_HANDLE
    require_action(actor, appointment.municipality, action)
    staff = require_staff_member(actor, appointment.municipality)
    if not may_plan_appointment(actor, appointment):
        raise PermissionDenied(_("U werkt niet aan de casus of vraag van deze afspraak."))
    return staff


def _team_of(appointment: Appointment):
    return appointment.subject.team


def _check_times(starts_at: datetime | None, ends_at: datetime | None, *, planning: bool) -> dict:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = _("Geef het begin van de afspraak op.")
    elif planning and starts_at < timezone.now():
        errors["starts_at"] = _("Het begin ligt in het verleden; plan een afspraak in de toekomst.")
    if ends_at is None:
        errors["ends_at"] = _("Geef het einde van de afspraak op.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("Het einde moet na het begin liggen.")
    return errors


def _check_participants(appointment: Appointment, participants) -> dict:
    team = _team_of(appointment)
    for person in participants:
        if person.municipality_id != appointment.municipality_id or not may_take_part(person, team):
            return {
                "participants": _(
                    "%(name)s werkt niet aan deze casus of vraag; kies collega's van %(team)s."
                )
                % {"name": person.user.full_name, "team": team}
            }
    return {}


def appointment_plan(
    *,
    actor,
    case: Case | None = None,
    question: Question | None = None,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    participants=(),
    other_participants: str = "",
) -> Appointment:
    """Plan a kitchen-table talk, home visit or meeting in the future on a case
    (its workers or the team's linked loket consultant) or on a question (those
    who handle it). The organiser is the actor; the participants are colleagues
    who work on the case or question (the organiser is one of them)."""
    if case is None and question is None:
        raise ValidationError({"case": _("Kies een casus of een vraag.")})
    subject = case or question
    if case is not None:
        # On a case (naming a question of its household, if any, that one sees).
        require_action(actor, case.municipality, Action.CASE_WORK)
        allowed = may_plan_on_case(actor, case) and (
            question is None or can_see_question(actor, question)
        )
    else:
        require_action(actor, question.municipality, Action.QUESTION_HANDLE)
        allowed = may_plan_on_question(actor, question)
    staff = require_staff_member(actor, subject.municipality)
    if not allowed:
        raise PermissionDenied(_("U werkt niet aan deze casus of vraag."))
    participants = list(dict.fromkeys([staff, *(participants or [])]))
    appointment = Appointment(
        municipality=subject.municipality,
        case=case,
        question=question,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        other_participants=(other_participants or "").strip(),
        organiser=staff,
        updated_by=staff,
    )
    errors = _check_times(starts_at, ends_at, planning=True)
    errors.update(_check_participants(appointment, participants))
    if errors:
        raise ValidationError(errors)
    appointment.full_clean()
    with transaction.atomic():
        appointment.save()
        appointment.participants.set(participants)
        _log(actor, A.CREATE, appointment)
    return appointment


def appointment_update(
    *,
    actor,
    appointment: Appointment,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    participants=None,
    other_participants: str = "",
    kind: str | None = None,
    question: Question | None = None,
    expected_version: int | None,
) -> Appointment:
    """Reschedule a planned appointment (time, place, participants; the kind, the
    question it names: None keeps them). A new start must lie in the future,
    unless the start stays as it was. Its case never changes. Moved to another
    question, the actor must be allowed to plan on the new target (as when
    planning) and the participants must take part in it."""
    staff = _require_planner(actor, appointment)
    with transaction.atomic():
        current = lock(appointment, expected_version)
        if current.status != S.PLANNED:
            raise DomainError(APPOINTMENT_FLOW.refused[current.status])
        if question is not None and question.pk != current.question_id:
            if current.case_id is not None:
                # A case's appointment names a question one sees (as when
                # planning); the case, whose rule decides, stays.
                if not (
                    may_plan_on_case(actor, current.case) and can_see_question(actor, question)
                ):
                    raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
            elif not may_plan_on_question(actor, question):
                raise PermissionDenied(_("U behandelt deze vraag niet."))
            current.question = question
        moved = starts_at != current.starts_at
        errors = _check_times(starts_at, ends_at, planning=moved)
        people = list(current.participants.all()) if participants is None else list(participants)
        # Against the target as it will be (after a move to another question).
        errors.update(_check_participants(current, people))
        if errors:
            raise ValidationError(errors)
        current.kind = kind or current.kind
        current.starts_at, current.ends_at = starts_at, ends_at
        current.place = (place or "").strip()
        current.other_participants = (other_participants or "").strip()
        current.full_clean()
        bump(
            current,
            staff,
            "starts_at",
            "ends_at",
            "place",
            "other_participants",
            "kind",
            "question",
        )
        if participants is not None:
            current.participants.set(people)
        _log(actor, A.CHANGE, current)
    return current


def appointment_cancel(
    *, actor, appointment: Appointment, reason: str, expected_version: int | None
) -> Appointment:
    staff = _require_planner(actor, appointment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van het annuleren.")})
    with transaction.atomic():
        current = lock(appointment, expected_version)
        APPOINTMENT_FLOW.move(current, S.CANCELLED)
        current.cancel_reason = reason
        bump(current, staff, "status", "cancel_reason")
        _log(actor, A.CHANGE, current)
    return current


def appointment_record_held(
    *, actor, appointment: Appointment, note: str = "", expected_version: int | None
) -> Appointment:
    """The appointment took place: it becomes an activity of its case (through
    `apps.cases.services.activity_record`: the date, participants and kind of the
    appointment, with the note), once. An appointment on a question is recorded
    on the case the question has by then; without one, start the case first."""
    staff = _require_planner(actor, appointment)
    with transaction.atomic():
        current = lock(appointment, expected_version)
        APPOINTMENT_FLOW.check(current, S.HELD)
        if current.starts_at > timezone.now():
            raise DomainError(_("Deze afspraak heeft nog niet plaatsgevonden."))
        case = current.case if current.case_id else current.question.case
        if case is None:
            raise DomainError(
                _(
                    "Deze vraag heeft nog geen casus. Start eerst een casus om het gesprek "
                    "vast te leggen."
                )
            )
        activity = activity_record(
            actor=actor,
            case=case,
            kind=Appointment.ACTIVITY_KIND[current.kind],
            date=timezone.localtime(current.starts_at).date(),
            participants=list(current.participants.all()),
            other_participants=current.other_participants,
            note=note,
        )
        current.activity = activity
        APPOINTMENT_FLOW.move(current, S.HELD)
        bump(current, staff, "status", "activity")
        _log(actor, A.CHANGE, current)
    return current


# --- the calendar feed ------------------------------------------------------------------


def feed_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def feed_municipality_id(key: str) -> int | None:
    """The municipality a calendar key names, or None for anything else."""
    if not key.startswith(FEED_KEY_PREFIX):
        return None
    number, _sep, secret = key[len(FEED_KEY_PREFIX) :].partition("_")
    if not number.isascii() or not number.isdigit() or len(number) > 18 or len(secret) < 20:
        return None
    return int(number)


def calendar_feed_create(*, actor, municipality) -> tuple[CalendarFeed, str]:
    """A new private address for one's own agenda; an earlier one is revoked.
    Returns the feed and the key, which is shown once and never stored."""
    require_action(actor, municipality, Action.START_VIEW)
    staff = require_staff_member(actor, municipality)
    if staff.is_integration:
        raise PermissionDenied(_("Een koppelingsaccount heeft geen agenda."))
    key = f"{FEED_KEY_PREFIX}{municipality.pk}_{secrets.token_urlsafe(32)}"
    try:
        with transaction.atomic():
            CalendarFeed.objects.select_for_update().filter(
                staff_member=staff, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            feed = CalendarFeed(
                municipality=municipality,
                staff_member=staff,
                key_hash=feed_key_hash(key),
            )
            feed.full_clean()
            feed.save()
    except IntegrityError as exc:  # two requests at once
        raise DomainError(_("Probeer het nog eens: er werd net een adres gemaakt.")) from exc
    return feed, key


def calendar_feed_revoke(*, actor, municipality) -> int:
    """Revoke one's own calendar address: it answers 404 from now on."""
    require_action(actor, municipality, Action.START_VIEW)
    staff = require_staff_member(actor, municipality)
    return CalendarFeed.objects.filter(staff_member=staff, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feeds_revoke_with_access(*, staff_member) -> int:
    """Revoke the calendar address of a person whose access is switched off (or
    found off when the feed is asked for). It is not restored when the access
    is switched on again: the person makes a new address. In the security log
    by feed id, never the key."""
    with scope(municipality=staff_member.municipality):
        feeds = list(
            CalendarFeed.objects.select_for_update()
            .filter(staff_member=staff_member, revoked_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if feeds:
            CalendarFeed.objects.filter(pk__in=feeds).update(revoked_at=timezone.now())
            logger.info(
                "Calendar feed revoked with access (feed %s, staff member %s, municipality %s)",
                ",".join(str(pk) for pk in feeds),
                staff_member.pk,
                staff_member.municipality_id,
            )
    return len(feeds)


def calendar_feed_used(calendar_feed: CalendarFeed) -> None:
    """A calendar app fetched the feed: kept as `last_used_at` (at most once a
    minute, as for API keys) and in the security log (which feed of whom, not
    what it held: no personal data). A leaked address shows there as use from
    unexpected places; the person revokes it on the page."""
    now = timezone.now()
    last = calendar_feed.last_used_at
    if last is None or (now - last).total_seconds() > 60:
        CalendarFeed.objects.filter(pk=calendar_feed.pk).update(last_used_at=now)
        logger.info(
            "Calendar feed used (feed %s, staff member %s, municipality %s)",
            calendar_feed.pk,
            calendar_feed.staff_member_id,
            calendar_feed.municipality_id,
        )
