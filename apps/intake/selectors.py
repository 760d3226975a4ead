"""Reads of the intake: who may see which questions, the inbox with its filters
and keyset pagination, resident search."""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.access import rules
from apps.intake import counts
from apps.intake.lookups import HasPrefix, capitals
from apps.intake.models import (
    LifeDomain,
    Question,
    QuestionDescriptionRevision,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.intake.validators import normalise_bsn
from apps.teams.models import Team


def my_team_ids(user, municipality, functions=rules.VIEWING_FUNCTIONS) -> tuple[int, ...]:
    """The active teams in which the user holds one of `functions`."""
    return rules.team_ids(user, municipality, functions)


def new_question_count(user, municipality) -> int:
    """New (not yet taken) questions in the inboxes of the user's teams, for the
    navigation: one query (the teams come from the request's `Access`)."""
    team_ids = my_team_ids(user, municipality)
    return Question.objects.filter(
        municipality=municipality, team_id__in=team_ids, status=Question.Status.NEW
    ).count()


def my_inbox_teams(user, municipality):
    """The teams whose inbox the user works in."""
    return Team.objects.filter(pk__in=my_team_ids(user, municipality)).order_by("name")


def visible_questions(user, municipality):
    """Questions the user may open (the rule: `apps.access.rules.visible_questions`)."""
    return rules.visible_questions(
        user, municipality, Question.objects.filter(municipality=municipality)
    )


def question_detail_qs():
    return Question.objects.select_related(
        "resident__area",
        "resident__household",
        "area",
        "gate",
        "team",
        "triage_team",
        "received_by__user",
        "assigned_to__user",
        "closed_by__user",
    ).prefetch_related(
        Prefetch("life_domains", queryset=LifeDomain.objects.order_by("position", "name")),
        Prefetch(
            "forwards",
            queryset=QuestionForward.objects.select_related(
                "from_team", "to_team", "by__user"
            ).order_by("at", "pk"),
        ),
        Prefetch(
            "description_revisions",
            queryset=QuestionDescriptionRevision.objects.select_related(
                "written_by__user", "corrected_by__user"
            ),
        ),
    )


# --- the inbox ---------------------------------------------------------------------------


@dataclass
class InboxFilters:
    channel: str = ""
    law: str = ""
    area_id: int | None = None
    is_youth: bool | None = None
    received_from: datetime | None = None
    received_until: datetime | None = None
    search: str = ""
    status: str = "open"  # open | new | in_progress | closed | all

    @classmethod
    def from_data(cls, data) -> "InboxFilters":
        """The filters from the cleaned data of the inbox page's filter form or
        the API's query parameters, which use the same names (`youth` as
        True/False/None, `received_from`/`received_until` as days, both included)."""
        received_from, received_until = received_between(
            data.get("received_from"), data.get("received_until")
        )
        area = data.get("area")
        return cls(
            channel=data.get("channel") or "",
            law=data.get("law") or "",
            area_id=area.pk if area is not None else None,
            is_youth=data.get("youth"),
            received_from=received_from,
            received_until=received_until,
            search=data.get("q") or "",
            status=data.get("status") or "open",
        )


@dataclass
class InboxPage:
    questions: list
    next_cursor: str | None
    has_more: bool
    count_at_least: int  # bounded count: "more than N" when count_is_bounded
    count_is_bounded: bool
    filters: InboxFilters = field(default_factory=InboxFilters)


PAGE_SIZE = 25
COUNT_LIMIT = 1000

# Unassigned (new) first, then those in progress; within each, oldest first.
SEGMENTS = {
    "open": [Question.Status.NEW, Question.Status.IN_PROGRESS],
    "new": [Question.Status.NEW],
    "in_progress": [Question.Status.IN_PROGRESS],
    "closed": [Question.Status.CLOSED],
    "all": [Question.Status.NEW, Question.Status.IN_PROGRESS, Question.Status.CLOSED],
}


def encode_cursor(status: str, received_at: datetime, pk: int) -> str:
    raw = json.dumps([status, received_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str):
    """(status, received_at, pk) or None for a missing or malformed cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        status, received_at, pk = json.loads(raw)
        moment = parse_datetime(received_at)
        if moment is None or not isinstance(pk, int) or status not in Question.Status.values:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return status, moment, pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def received_between(start: date | None, end: date | None):
    """The moments for InboxFilters.received_from / received_until from a range of
    days, both included."""
    return (
        start_of_day(start) if start else None,
        start_of_day(end + timedelta(days=1)) if end else None,
    )


def _filtered(qs, f: InboxFilters):
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.law:
        # Law codes never contain each other, so this matches exactly one code
        # in the JSON list on PostgreSQL and SQLite alike.
        qs = qs.filter(laws__icontains=f'"{f.law}"')
    if f.area_id:
        qs = qs.filter(area_id=f.area_id)
    if f.is_youth is not None:
        qs = qs.filter(is_youth=f.is_youth)
    if f.received_from:
        qs = qs.filter(received_at__gte=f.received_from)
    if f.received_until:
        qs = qs.filter(received_at__lt=f.received_until)
    term = f.search.strip()
    if term:
        bsn = normalise_bsn(term)
        if bsn.isdigit() and len(bsn) == 9:
            qs = qs.filter(resident__bsn=bsn)
        else:
            # The start of the surname or of the first names (apps/intake/lookups.py:
            # the one name condition an index answers under row-level security).
            # The residents of the active municipality (the scope names it, so
            # the index on (municipality, name) answers), not a join.
            prefix = capitals(term)
            named = Resident.objects.filter(
                HasPrefix("search_surname", prefix) | HasPrefix("search_first_names", prefix)
            )
            qs = qs.filter(resident__in=named.values("pk"))
    return qs


def inbox_questions(
    *, base, filters: InboxFilters, cursor: str = "", page_size=PAGE_SIZE, municipality_id=None
):
    """One page of an inbox (`base`: the questions to show, e.g. one team's),
    by keyset pagination: a fixed number of queries and no COUNT over the whole
    set, however many questions the municipality has. With `municipality_id`
    (the municipality of `base`) the bounded count is kept briefly in the cache."""
    # Only what the inbox shows: every extra join costs planning time on each
    # of the (at most two) page queries.
    qs = _filtered(base, filters).select_related("resident", "area", "assigned_to__user")
    segments = SEGMENTS.get(filters.status, SEGMENTS["open"])
    after = decode_cursor(cursor)
    start = 0
    if after is not None and after[0] in segments:
        start = segments.index(after[0])
    else:
        after = None
    rows: list[Question] = []
    for status in segments[start:]:
        need = page_size + 1 - len(rows)
        if need <= 0:
            break
        part = qs.filter(status=status)
        if after is not None and after[0] == status:
            _status, moment, pk = after
            part = part.filter(Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk))
        # The page's ids first, walking the inbox index in order and stopping
        # after `need` rows; then only those rows with their joins. Joined in one
        # query, the planner (misjudging the row-level security condition) sorts
        # the whole segment after joining every row of it.
        ids = part.order_by("received_at", "pk").values("pk")[:need]
        rows.extend(qs.filter(pk__in=ids).order_by("received_at", "pk"))
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor(last.status, last.received_at, last.pk)
    # A bounded count: at most COUNT_LIMIT + 1 rows are counted, and kept
    # briefly per query and question version (apps/intake/counts.py).
    counted = (
        counts.bounded_count(
            qs.filter(status__in=segments).order_by().values("pk"),
            municipality_id=municipality_id,
            limit=COUNT_LIMIT,
        )
        if after is None
        else 0
    )
    return InboxPage(
        questions=rows,
        next_cursor=next_cursor,
        has_more=has_more,
        count_at_least=min(counted, COUNT_LIMIT),
        count_is_bounded=counted > COUNT_LIMIT,
        filters=filters,
    )


def team_inbox(team, *, filters: InboxFilters, cursor: str = "") -> InboxPage:
    """One page of a team's inbox (the inbox page; who may open it is
    `rules.may_open_inbox`)."""
    return inbox_questions(
        base=Question.objects.filter(team=team),
        filters=filters,
        cursor=cursor,
        municipality_id=team.municipality_id,
    )


def question_list(
    user, municipality, *, filters: InboxFilters, team=None, cursor: str = "", page_size=PAGE_SIZE
) -> InboxPage:
    """One page of the questions the user may see, or of those now at `team`
    (the API's list): the inbox's filters, order and pages over
    `visible_questions` (at one of the user's own teams: that team's questions,
    `rules.visible_questions_at`). The list serializer reads nothing beyond the
    inbox's own joins, so nothing more is fetched."""
    questions = Question.objects.filter(municipality=municipality)
    if team is None:
        base = rules.visible_questions(user, municipality, questions)
    else:
        base = rules.visible_questions_at(user, municipality, questions, team)
    return inbox_questions(
        base=base,
        filters=filters,
        cursor=cursor,
        page_size=page_size,
        municipality_id=municipality.pk,
    )


def inbox_teams_with(user, municipality, team) -> list[Team]:
    """The teams whose inbox the user works in, and `team` (the inbox shown,
    which may be another team's for someone who sees every question)."""
    teams = list(my_inbox_teams(user, municipality))
    return teams if team in teams else [*teams, team]


def inbox_summary(user, municipality) -> list[dict]:
    """For the start page: per team of the user, the new (unassigned) questions,
    those the user has taken, and those past the Wmo investigation deadline."""
    from django.db.models import Count

    teams = list(my_inbox_teams(user, municipality))
    if not teams:  # no teams, no staff member perhaps: nothing to count
        return []
    open_statuses = [Question.Status.NEW, Question.Status.IN_PROGRESS]
    # Mine: taken by the user's staff member in this municipality, on the row
    # (no join to the staff member).
    staff_id = rules.for_user(user, municipality).staff_id
    grouped = (
        Question.objects.filter(team__in=teams, status__in=open_statuses)
        .values("team_id")
        .annotate(
            new=Count("pk", filter=Q(status=Question.Status.NEW)),
            mine=Count("pk", filter=Q(assigned_to_id=staff_id)),
            overdue=Count("pk", filter=Q(investigation_deadline__lt=timezone.localdate())),
        )
        .order_by()
    )
    # One grouped query, kept briefly until the municipality's questions change.
    rows = counts.cached(
        grouped, municipality_id=municipality.pk, compute=lambda: list(grouped), kind="rows"
    )
    by_team = {row["team_id"]: row for row in rows}
    empty = {"new": 0, "mine": 0, "overdue": 0}
    return [{"team": team, **by_team.get(team.pk, empty)} for team in teams]


# --- residents --------------------------------------------------------------------------


SURNAME_PREFIXES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "'t",
    "in",
    "op",
    "la",
    "le",
}


def resident_search_head(term: str, *, limit: int) -> tuple[list[Resident], bool]:
    """The first `limit` residents a search finds, and whether it finds more
    (the search page and the API)."""
    found = list(resident_search(term, limit=limit + 1))
    return found[:limit], len(found) > limit


def household_members(resident) -> list[Resident]:
    """The other residents of the resident's household, the eldest first."""
    if not resident.household_id:
        return []
    return list(
        Resident.objects.filter(household=resident.household)
        .exclude(pk=resident.pk)
        .order_by("date_of_birth", "pk")
    )


def resident_questions(user, municipality, resident):
    """The questions about the resident that the user may see, the newest first."""
    return (
        visible_questions(user, municipality)
        .filter(resident=resident)
        .select_related("team")
        .order_by("-received_at")
    )


def triage_rules() -> list[TriageRule]:
    """The municipality's triage rules in the order they are tried."""
    return list(
        TriageRule.objects.select_related("life_domain", "area", "team").order_by("position", "pk")
    )


def resident_search(term: str, *, limit: int = 25):
    """Residents of the active municipality by BSN (exact) or name (part)."""
    term = (term or "").strip()
    qs = Resident.objects.select_related("area", "household")
    if not term:
        return qs.none()
    bsn = normalise_bsn(term)
    if bsn.isdigit() and len(bsn) == 9:
        return qs.filter(bsn=bsn)[:limit]
    # Prefixes (tussenvoegsels) are left out of the search: 'van dijk' finds
    # Dijk, whatever the prefix is written as; the trigram indexes do the rest.
    words = [w for w in term.split() if w.lower() not in SURNAME_PREFIXES][:4] or term.split()[:1]
    q = Q()
    for word in words:
        q &= Q(surname__icontains=word) | Q(first_names__icontains=word)
    return qs.filter(q).order_by("surname", "first_names", "pk")[:limit]
