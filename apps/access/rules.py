"""Every object rule: "may this person do this to that object?".

The role table (`apps.tenants.permissions`) says what a role may do at all; the
rules here say to which objects. They rest on one definition of an active
membership (`Membership.objects.active()`: the membership, its team, the
person's staff access and their account active) inside an active municipality,
read once per request into `Access` (two queries: the staff record and the
memberships, shared with the roles). A rule about the person asking answers from
that object without another query.

This app sits below intake, cases and decisions and imports none of their
models. A rule that filters their rows takes the queryset (or object) to judge
and writes the condition on its field paths; a table it needs besides
(the forwards of a question, the shares and proposals of a case) is reached
through a relation of the model passed in (`_related`). The owning app's
selector passes its own queryset: `apps.intake.selectors.visible_questions`,
`apps.cases.selectors.visible_cases`.

docs/permissions.md ("Object rules") lists every public function of this
module; tests/tenants/test_permissions.py keeps the two the same.
"""

from functools import cached_property

from django.db.models import Exists, OuterRef, Q

from apps.teams.models import Law, Membership, Team
from apps.teams.selectors import teams_linked_to
from apps.tenants.permissions import CACHE, NOBODY, ROLE_ACTIONS, Action, Role, identity_for

F = Membership.Function

# The functions in a team that work on its questions and cases (a volunteer,
# a gate clarifier and a behavioural expert do not).
HANDLING_FUNCTIONS = (
    F.CONSULTANT,
    F.TEAM_MEMBER,
    F.CASE_DIRECTOR,
    F.LIAISON,
    F.SUPPORT,
    F.COORDINATOR,
)
# Those that read a team's questions (the gate and the behavioural expert too).
VIEWING_FUNCTIONS = (*HANDLING_FUNCTIONS, F.BEHAVIOURAL_EXPERT, F.GATE_CLARIFIER)
# Those that read a team's cases (a behavioural expert advises on them).
CASE_VIEWING_FUNCTIONS = (*HANDLING_FUNCTIONS, F.BEHAVIOURAL_EXPERT)
# Roles that see every question of the municipality: the loket decides on all
# of them and the gate needs to find what came in before.
SEE_ALL_ROLES = frozenset({Role.LOKET_CONSULTANT, Role.GATE_CLARIFIER})

# The guardian permission of a case shared with one colleague.
VIEW_CASE = "view_case"
# A shell partner (schil) of a team: only the cases they were asked to join.
SHELL_FUNCTIONS = (F.SHELL_PARTNER,)


class Access:
    """Who `user` is in `municipality`, for the object rules: built once per
    request (`for_user` / `for_request`) from the identity the roles are read
    from, so asking a rule about oneself costs no query."""

    def __init__(self, user, municipality):
        self.user = user
        self.municipality = municipality
        self.identity = identity_for(user, municipality) if user is not None else NOBODY

    @property
    def roles(self) -> frozenset:
        return self.identity.roles

    @property
    def staff_id(self) -> int | None:
        return self.identity.staff_id

    def has(self, action: str) -> bool:
        """The role table's answer (`has_action`), from the same identity."""
        return bool(self.roles & ROLE_ACTIONS.get(action, frozenset()))

    @property
    def is_loket(self) -> bool:
        return Role.LOKET_CONSULTANT in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.MUNICIPALITY_ADMIN in self.roles

    @property
    def is_policy_advisor(self) -> bool:
        return Role.POLICY_ADVISOR in self.roles

    @property
    def sees_all_questions(self) -> bool:
        return bool(self.roles & SEE_ALL_ROLES)

    def team_ids(self, functions) -> tuple[int, ...]:
        """The active teams in which the person holds one of `functions`."""
        wanted = set(functions)
        return tuple(sorted({m.team_id for m in self.identity.memberships if m.function in wanted}))

    def former_team_ids(self, functions) -> tuple[int, ...]:
        """The ended teams whose membership with one of `functions` ended with
        the team (`former_membership_q`): read only, never work."""
        wanted = set(functions)
        return tuple(
            sorted({m.team_id for m in self.identity.former_memberships if m.function in wanted})
        )

    @cached_property
    def mandated_laws(self) -> frozenset[str]:
        """The laws of the person's mandate, over their active loket memberships."""
        return frozenset(
            law
            for m in self.identity.memberships
            if m.function == F.CONSULTANT and m.team_kind == Team.Kind.LOKET
            for law in m.mandated_laws
        )

    @cached_property
    def linked_team_ids(self) -> tuple[int, ...]:
        """The active teams whose linked loket consultant the person is, while they
        are a loket consultant: the link alone gives nothing once they left the
        loket. One query, only for a loket consultant."""
        if not self.is_loket or self.staff_id is None:
            return ()
        return tuple(sorted(teams_linked_to(self.municipality, self.staff_id)))


def for_user(user, municipality) -> Access:
    """The `Access` of `user` in `municipality`, kept on the user object with the
    roles for the length of a request (`forget_roles` drops both)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Access(None, municipality)
    cache = user.__dict__.setdefault(CACHE, {})
    key = ("access", municipality.pk if municipality is not None else None)
    access = cache.get(key)
    if access is None:
        access = cache[key] = Access(user, municipality)
    return access


def _for_object(user, obj) -> Access:
    """The `Access` in the municipality of `obj` (a team, case or question),
    without loading the municipality again when the request already did."""
    if user is not None and getattr(user, "is_authenticated", False):
        cached = user.__dict__.get(CACHE, {}).get(("access", obj.municipality_id))
        if cached is not None:
            return cached
    return for_user(user, obj.municipality)


def for_request(request) -> Access:
    """The request's one `Access` (the user in the active municipality)."""
    return for_user(request.user, getattr(request, "municipality", None))


def _related(model, name):
    """The model behind relation `name` of `model` (a rule reaches another app's
    table through the object it judges, without importing that app)."""
    return model._meta.get_field(name).related_model


# --- teams ----------------------------------------------------------------------------


def team_ids(user, municipality, functions) -> tuple[int, ...]:
    """ "My teams": the active teams where the user holds one of `functions`."""
    return for_user(user, municipality).team_ids(functions)


def linked_team_ids(user, municipality) -> tuple[int, ...]:
    """The teams the user is the linked loket consultant of (while at the loket)."""
    return for_user(user, municipality).linked_team_ids


def former_team_ids(user, municipality, functions) -> tuple[int, ...]:
    """The ended teams the user worked in until they ended, with one of
    `functions`: former members read what was at those teams (the questions and
    cases there when it ended, and those it handed over), never work on it."""
    return for_user(user, municipality).former_team_ids(functions)


def is_member_of(user, team) -> bool:
    """Whether the user works on the questions and cases of `team`: an active
    membership with a handling function (not as volunteer or adviser only)."""
    if team is None:
        return False
    return team.pk in _for_object(user, team).team_ids(HANDLING_FUNCTIONS)


def is_coordinator_of(user, team) -> bool:
    return team.pk in _for_object(user, team).team_ids((F.COORDINATOR,))


def is_team_handler(staff_member, team) -> bool:
    """Whether another staff member (not the one asking) can direct a case of
    `team`: an active membership there with a handling function."""
    return (
        Membership.objects.active()
        .filter(team=team, staff_member=staff_member, function__in=HANDLING_FUNCTIONS)
        .exists()
    )


def may_open_inbox(user, municipality, team) -> bool:
    """The loket and the gate open every inbox; others those of their teams."""
    access = for_user(user, municipality)
    return access.sees_all_questions or team.pk in access.team_ids(VIEWING_FUNCTIONS)


# --- questions -------------------------------------------------------------------------


def question_rule(user, municipality, question_model) -> Q | None:
    """The condition on questions the user may open, or None for all of the
    municipality (the loket and the gate): for team members those at their teams,
    those that passed through their teams, and those they registered. A former
    member of an ended team reads its questions the same way (those left there
    and those it handed over on ending passed through it)."""
    access = for_user(user, municipality)
    if access.sees_all_questions:
        return None
    ids = access.team_ids(VIEWING_FUNCTIONS) + access.former_team_ids(VIEWING_FUNCTIONS)
    forwards = _related(question_model, "forwards").objects.filter(
        question=OuterRef("pk"), from_team_id__in=ids
    )
    rule = Q(team_id__in=ids) | Exists(forwards.values("pk"))
    if access.staff_id is not None:
        # Those they registered: on the question row itself, no join to the
        # staff member (a join under the OR hides the inbox index from the plan).
        rule |= Q(received_by_id=access.staff_id)
    return rule


def visible_questions(user, municipality, questions):
    """`questions` (of `municipality`) narrowed to those the user may open."""
    rule = question_rule(user, municipality, questions.model)
    return questions if rule is None else questions.filter(rule)


def visible_questions_at(user, municipality, questions, team):
    """`questions` now at `team` that the user may open. At one of the user's
    own (viewing) teams that is every one of them, the rule's first way in, so
    the query is a plain filter on the team that walks the inbox index instead
    of an OR-condition the planner cannot estimate (scripts/bench_inbox.py)."""
    questions = questions.filter(team=team)
    access = for_user(user, municipality)
    if access.sees_all_questions or team.pk in access.team_ids(VIEWING_FUNCTIONS):
        return questions
    return visible_questions(user, municipality, questions)


def can_see_question(user, question) -> bool:
    model = type(question)
    mine = model.objects.filter(municipality=question.municipality, pk=question.pk)
    return visible_questions(user, question.municipality, mine).exists()


def has_relationship(user, municipality, resident) -> bool:
    """Whether the user works on this resident's file: the loket and the gate
    always; a team member when a question of the resident or of their household
    is one they may see. Without it, opening the file asks for a reason, which
    the access log keeps (NEN 7513: who, when, what and why)."""
    if for_user(user, municipality).sees_all_questions:
        return True
    about = Q(resident=resident)
    if resident.household_id:
        about |= Q(resident__household_id=resident.household_id)
    questions = _related(type(resident), "questions").objects.filter(municipality=municipality)
    return visible_questions(user, municipality, questions).filter(about).exists()


def handles_question(user, question) -> bool:
    """Whether the user handles the question (its deadlines, the personal plan):
    the loket for every question, else a member of the team it is at."""
    access = _for_object(user, question)
    return access.is_loket or is_member_of(user, question.team)


def may_open_case(user, question) -> bool:
    """Whether the user may start a case from the question ('Casus starten'):
    an open question of one of their teams without a case yet."""
    return (
        question.case_id is None
        and question.team_id is not None
        and question.status != type(question).Status.CLOSED
        and _for_object(user, question).has(Action.CASE_WORK)
        and is_member_of(user, question.team)
    )


# --- cases -----------------------------------------------------------------------------


def case_rule(user, municipality, case_model) -> Q | None:
    """The condition on cases the user may open (docs/permissions.md, `case.view`),
    or None for none at all. Every way in is an `IN` or `EXISTS` on the case row
    itself, with no join, so PostgreSQL filters while it walks the list index
    (scripts/bench_cases.py)."""
    access = for_user(user, municipality)
    if not access.has(Action.CASE_VIEW):
        return None
    shares = _related(case_model, "user_grants").objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=VIEW_CASE
    )
    rule = (
        Q(team_id__in=access.team_ids(CASE_VIEWING_FUNCTIONS))
        | Q(team_id__in=access.linked_team_ids)
        | Exists(shares)
    )
    shell = access.team_ids(SHELL_FUNCTIONS)
    if shell and access.staff_id is not None:
        # A shell partner sees only the cases of their team they joined.
        joins = _related(case_model, "joins").objects.filter(
            case=OuterRef("pk"), staff_member_id=access.staff_id, revoked_at__isnull=True
        )
        rule |= Q(team_id__in=shell) & Exists(joins)
    former = access.former_team_ids(CASE_VIEWING_FUNCTIONS)
    if former:
        # Former members of an ended team read the cases still there and those
        # that left it (handed over when it ended): its history stays readable.
        moved = _related(case_model, "team_changes").objects.filter(
            case=OuterRef("pk"), from_team_id__in=former
        )
        rule |= Q(team_id__in=former) | Exists(moved)
    if access.staff_id is not None:
        rule |= Q(director_id=access.staff_id)
    if access.is_loket:
        offered = _related(case_model, "proposals").objects.filter(
            case=OuterRef("pk"), submitted_at__isnull=False
        )
        rule |= Exists(offered)
    return rule


def visible_cases(user, municipality, cases):
    """`cases` (of `municipality`) narrowed to those the user may open."""
    rule = case_rule(user, municipality, cases.model)
    return cases.none() if rule is None else cases.filter(rule)


def can_view_case(user, case) -> bool:
    model = type(case)
    mine = model.objects.filter(municipality=case.municipality, pk=case.pk)
    return visible_cases(user, case.municipality, mine).exists()


def is_case_worker(user, case) -> bool:
    """Whether `user` works on the case (writes activities, assessments, the plan
    and voorwerk): a member of the owning team with a working function, or a
    shell partner of that team who was asked to join this case
    (`has_joined_case`). For a case of the loket (its own path) that is a loket
    consultant. A behavioural expert, a colleague it was shared with, a former
    member of an ended team and the loket reviewing a team's voorwerk only read
    it (the loket decides on voorwerk, it does not write it)."""
    access = _for_object(user, case)
    if not access.has(Action.CASE_WORK):
        return False
    return case.team_id in access.team_ids(HANDLING_FUNCTIONS) or has_joined_case(user, case)


def is_linked_consultant(user, case) -> bool:
    """The team's linked loket consultant (vaste contactpersoon), who joins its
    case discussions and home visits and records them on the case, while they
    work at the loket."""
    return case.team_id in _for_object(user, case).linked_team_ids


def may_steer_case(user, case) -> bool:
    """The director or the team's coordinator (who also work on the case) hand
    the direction over, close, reopen and share the case."""
    access = _for_object(user, case)
    return is_case_worker(user, case) and (
        (access.staff_id is not None and case.director_id == access.staff_id)
        or is_coordinator_of(user, case.team)
    )


def may_receive_case_share(user, case) -> bool:
    """Whether a case may be shared with `user`: someone who works with cases
    (`case.view`), never a policy advisor without a working role besides (they
    see aggregates only)."""
    access = _for_object(user, case)
    if not access.has(Action.CASE_VIEW):
        return False
    working = {Role.TEAM_MEMBER, Role.LOKET_CONSULTANT, Role.BEHAVIOURAL_EXPERT}
    return not access.is_policy_advisor or bool(access.roles & working)


def joint_home_visit(participant_ids, municipality) -> tuple[bool, list[str]]:
    """A home visit is joint when a loket consultant and a member of a case team
    (not as volunteer or shell partner) are among the participants; with the laws the loket
    consultants among them are mandated for."""
    ids = set(participant_ids)
    rows = (
        Membership.objects.active()
        .loket_consultants()
        .filter(municipality=municipality, staff_member_id__in=ids)
        .values_list("staff_member_id", "mandated_laws")
    )
    loket_ids, laws = set(), set()
    for staff_id, mandated in rows:
        loket_ids.add(staff_id)
        laws.update(mandated or [])
    if not loket_ids:
        return False, []
    team_members = (
        Membership.objects.active()
        .filter(
            municipality=municipality,
            staff_member_id__in=ids - loket_ids,
            team__kind__in=Team.CASE_TEAM_KINDS,
        )
        # Neither a volunteer nor a shell partner is a member of the case team.
        .exclude(function__in=(F.VOLUNTEER, *SHELL_FUNCTIONS))
        .exists()
    )
    if not team_members:
        return False, []
    return True, [law for law in Law.values if law in laws]


# --- the loket's decisions -------------------------------------------------------------


def mandated_laws(user, municipality) -> frozenset[str]:
    """The laws the user decides on: their active loket memberships' mandate."""
    return for_user(user, municipality).mandated_laws


def mandate_for(staff_member, municipality, law: str) -> Membership | None:
    """The active loket membership that mandates `staff_member` (anyone, not only
    the one asking) for `law` in `municipality`, or None."""
    if (
        staff_member is None
        or staff_member.municipality_id != municipality.pk
        or not staff_member.is_active
        or not municipality.is_active
    ):
        return None
    memberships = (
        Membership.objects.active()
        .loket_consultants()
        .filter(
            municipality=municipality,
            staff_member=staff_member,
            team__municipality=municipality,
        )
        .order_by("pk")
    )
    for membership in memberships:
        if law in (membership.mandated_laws or []):
            return membership
    return None


def reviewable_by_loket(proposal) -> bool:
    """The loket sees a proposal once it was offered to it (submitted, also when
    withdrawn afterwards); a draft never."""
    status = type(proposal).Status
    if proposal.status == status.DRAFT:
        return False
    return proposal.submitted_at is not None or proposal.status != status.WITHDRAWN


# --- letters (apps.letters) ------------------------------------------------------------


def may_write_question_letter(user, question) -> bool:
    """Whether the user may send a letter about a question (the acknowledgement,
    the notice of an extension, the invitation to a kitchen-table talk): whoever handles
    the question (`question.handle`: the loket, a member of the team it is at)."""
    return _for_object(user, question).has(Action.QUESTION_HANDLE) and handles_question(
        user, question
    )


def can_read_letter(user, letter) -> bool:
    """Whether the user may read a letter sent (and download it): whoever may
    open the question it is about, for the report of the investigation whoever
    may see the case, for the notice about a proposal's decision deadline
    whoever may read its letters (`may_read_proposal_letters`)."""
    if letter.case_id is not None:
        return can_view_case(user, letter.case)
    if letter.proposal_id is not None:
        return may_read_proposal_letters(user, letter.proposal)
    return letter.question_id is not None and can_see_question(user, letter.question)


def may_write_case_letter(user, case) -> bool:
    """Whether the user may make the report of the investigation (verslag) of a
    case: whoever works on it (`is_case_worker`)."""
    return is_case_worker(user, case)


def may_write_proposal_letter(user, proposal) -> bool:
    """Whether the user may send the notice that the decision deadline of a
    proposal was extended: whoever may change that deadline, a loket consultant
    mandated for the provision's law (`apps.decisions.services.require_mandate`,
    which the service calls, also checks the mandate of a revised provision)."""
    municipality = proposal.municipality
    return _for_object(user, proposal).has(
        Action.PROPOSAL_DECIDE
    ) and proposal.provision_type.law in mandated_laws(user, municipality)


def may_read_proposal_letters(user, proposal) -> bool:
    """Whether the user may read the letters about a proposal: the loket once
    it was offered to it (`proposal.decide`), and whoever may see its case."""
    if _for_object(user, proposal).has(Action.PROPOSAL_DECIDE) and reviewable_by_loket(proposal):
        return True
    return can_view_case(user, proposal.case)


# --- corrections of notes (#20, part 2) ------------------------------------------------
# Who may correct an activity's note or a question's description (the resident's
# right to rectification; the earlier text is kept). The author, or "the director":
# of an activity the case's director; of a question the director of its case, or
# the coordinator of its team while it has no case. Whoever corrects must still
# see the text (a case or question one may no longer open is not corrected).


def corrects_activity_note(user, activity, case) -> bool:
    """The part of `may_correct_activity_note` that needs no query, for a page
    that has already checked that the user sees `case` (the activity's case)."""
    staff_id = _for_object(user, case).staff_id
    return staff_id is not None and staff_id in (activity.recorded_by_id, case.director_id)


def may_correct_activity_note(user, activity) -> bool:
    case = activity.case
    return corrects_activity_note(user, activity, case) and can_view_case(user, case)


def may_correct_question_description(user, question) -> bool:
    staff_id = _for_object(user, question).staff_id
    if staff_id is None or not can_see_question(user, question):
        return False
    if question.received_by_id == staff_id:
        return True
    if question.case_id is not None:
        return question.case.director_id == staff_id
    return is_coordinator_of(user, question.team)


# --- the agenda: planned appointments (#20, part 3) ------------------------------------
# An appointment is about a case or a question; who sees the one sees the
# appointment, and who works on it (the case workers and the team's linked loket
# consultant; for a question those who handle it) plans, reschedules, cancels and
# records it. Its staff participants must be able to work on it too.


def may_plan_on_case(user, case) -> bool:
    return is_case_worker(user, case) or is_linked_consultant(user, case)


def may_plan_on_question(user, question) -> bool:
    return _for_object(user, question).has(Action.QUESTION_HANDLE) and handles_question(
        user, question
    )


def may_plan_appointment(user, appointment) -> bool:
    if appointment.case_id is not None:
        return may_plan_on_case(user, appointment.case)
    return may_plan_on_question(user, appointment.question)


def can_see_appointment(user, appointment) -> bool:
    if appointment.case_id is not None:
        return can_view_case(user, appointment.case)
    return can_see_question(user, appointment.question)


def visible_appointments(user, municipality, appointments):
    """`appointments` narrowed to those the user sees, as `can_see_appointment`
    judges one: an appointment of a case by the case rule only (also when it
    names the case's question), one without a case by the question rule; as
    subqueries on the appointment's row."""
    model = appointments.model
    cases = _related(model, "case").objects.filter(municipality=municipality)
    questions = _related(model, "question").objects.filter(municipality=municipality)
    return appointments.filter(
        Q(case__in=visible_cases(user, municipality, cases).values("pk"))
        | Q(
            case__isnull=True,
            question__in=visible_questions(user, municipality, questions).values("pk"),
        )
    )


def may_take_part(staff_member, team) -> bool:
    """Whether a colleague can be a participant of an appointment of `team`'s
    case or question: a member with a handling function, or the team's linked
    loket consultant while at the loket."""
    if staff_member is None or not staff_member.is_active:
        return False
    if is_team_handler(staff_member, team):
        return True
    return (
        team.linked_loket_consultant_id == staff_member.pk
        and Membership.objects.active()
        .loket_consultants()
        .filter(staff_member=staff_member, municipality=team.municipality_id)
        .exists()
    )


# --- shell partners (schil, #19) -------------------------------------------------------


def is_shell_partner_of(staff_member, team) -> bool:
    """Whether another staff member (not the one asking) is a shell partner of
    `team` now (an active membership with that function): who may be asked to
    join one of its cases."""
    return (
        Membership.objects.active()
        .filter(team=team, staff_member=staff_member, function__in=SHELL_FUNCTIONS)
        .exists()
    )


def is_team_agenda_member(user, team) -> bool:
    """Who opens a team's agenda: its members with a handling function."""
    return is_member_of(user, team)


# --- documents (apps.documents) ------------------------------------------------------
# A document hangs on a case, on a question, or only on a resident's file. Whoever may
# see that sees its documents; whoever works on it adds them. A withdrawn document
# stays listed, but only those who may withdraw it still download its file.


def may_see_documents(user, *, case=None, question=None, resident=None) -> bool:
    """Sees the documents of the case (`case.view` on it), of the question
    (`question.view` and may open it) or of the resident's file (`question.view`
    and works on the file: `has_relationship`)."""
    if case is not None:
        return can_view_case(user, case)
    if question is not None:
        access = _for_object(user, question)
        return access.has(Action.QUESTION_VIEW) and can_see_question(user, question)
    if resident is None:
        return False
    access = _for_object(user, resident)
    return access.has(Action.QUESTION_VIEW) and has_relationship(
        user, resident.municipality, resident
    )


def may_add_document(user, *, case=None, question=None, resident=None) -> bool:
    """Adds a document to the case (works on it: `is_case_worker`), to the
    question (`question.handle` and handles it) or to the resident's file
    (`question.handle` and works on the file)."""
    if case is not None:
        return is_case_worker(user, case)
    if question is not None:
        access = _for_object(user, question)
        return access.has(Action.QUESTION_HANDLE) and handles_question(user, question)
    if resident is None:
        return False
    access = _for_object(user, resident)
    return access.has(Action.QUESTION_HANDLE) and has_relationship(
        user, resident.municipality, resident
    )


def _document_target(document) -> dict:
    if document.case_id:
        return {"case": document.case}
    if document.question_id:
        return {"question": document.question}
    return {"resident": document.resident}


def may_see_document(user, document) -> bool:
    """Sees this document (listed, with its details): `may_see_documents` of
    what it hangs on."""
    return may_see_documents(user, **_document_target(document))


def may_withdraw_document(user, document) -> bool:
    """Withdraws the document: the one who added it (while they may still add
    there), the case's director or the team's coordinator (`may_steer_case`),
    or the coordinator of the team the question is at."""
    target = _document_target(document)
    if not may_see_documents(user, **target):
        return False
    access = _for_object(user, document)
    if (
        access.staff_id is not None
        and document.uploaded_by_id == access.staff_id
        and may_add_document(user, **target)
    ):
        return True
    if document.case_id:
        return may_steer_case(user, document.case)
    if document.question_id:
        question = document.question
        return (
            question.team_id is not None
            and access.has(Action.QUESTION_HANDLE)
            and is_coordinator_of(user, question.team)
        )
    return False


def may_download_document(user, document) -> bool:
    """Downloads the file: whoever sees the document while it stands; once it
    is withdrawn only those who may withdraw it (to check what was withdrawn)."""
    if document.withdrawn_at is None:
        return may_see_document(user, document)
    return may_withdraw_document(user, document)


def document_permissions(user, documents, **target) -> dict:
    """{document pk: (may download, may withdraw)} for the documents of one
    case, question or resident's file (`target` as for `may_see_documents`),
    which the user sees: the rules above, asked once for the list (a fixed
    number of queries), not per document."""
    if not documents:
        return {}
    add = may_add_document(user, **target)
    first = documents[0]
    access = _for_object(user, first)
    if target.get("case") is not None:
        steer = may_steer_case(user, target["case"])
    elif target.get("question") is not None:
        question = target["question"]
        steer = (
            question.team_id is not None
            and access.has(Action.QUESTION_HANDLE)
            and is_coordinator_of(user, question.team)
        )
    else:
        steer = False
    result = {}
    for document in documents:
        own = access.staff_id is not None and document.uploaded_by_id == access.staff_id
        withdraw = steer or (own and add)
        result[document.pk] = (document.withdrawn_at is None or withdraw, withdraw)
    return result


def has_joined_case(user, case) -> bool:
    """Whether `user`, a shell partner of the case's team, was asked to join this
    case (an open `CaseJoin`): they see and work on it, and only it. No query
    for anyone who is not a shell partner of that team."""
    access = _for_object(user, case)
    if access.staff_id is None or case.team_id not in access.team_ids(SHELL_FUNCTIONS):
        return False
    joins = _related(type(case), "joins").objects.filter(
        case_id=case.pk, staff_member_id=access.staff_id, revoked_at__isnull=True
    )
    return joins.exists()


# --- provisions: their lifecycle (#21, part 2) ------------------------------------------
# A granted provision is seen by whoever may see its case; the resident's provisions
# page by whoever may see one of them or works on the resident's file. The loket
# consultant mandated for its law suspends and resumes it (not a decision; a
# withdrawal is, and goes through `proposal_decide`).


def visible_provisions(user, municipality, provisions):
    """`provisions` (of `municipality`) narrowed to those whose case the user may open."""
    cases = _related(provisions.model, "case").objects.filter(municipality=municipality)
    return provisions.filter(case__in=visible_cases(user, municipality, cases))


def can_view_provision(user, provision) -> bool:
    return can_view_case(user, provision.case)


def may_see_resident_provisions(user, resident) -> bool:
    """Opens the page of the resident's provisions: works on the resident's file
    (`has_relationship`), or may see a case of the resident's household."""
    municipality = resident.municipality
    if not for_user(user, municipality).has(Action.CASE_VIEW):
        return False
    if has_relationship(user, municipality, resident):
        return True
    if not resident.household_id:
        return False
    case_model = _related(_related(type(resident), "household"), "cases")
    cases = case_model.objects.filter(municipality=municipality, household_id=resident.household_id)
    return visible_cases(user, municipality, cases).exists()


def may_suspend_provision(user, provision) -> bool:
    """Suspends and resumes the provision: a loket consultant of its municipality
    mandated for its law, while it runs."""
    access = _for_object(user, provision)
    if not access.has(Action.PROPOSAL_DECIDE):
        return False
    return provision.provision_type.law in access.mandated_laws


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------
# The loket registers an objection against a decision, extends its term and
# records its withdrawal: its consultants and its gate clarifiers. Who decides
# on it is the decision's rule (`apps.decisions.services.require_mandate`, the
# mandate for the law, and not the consultant who made the objected decision,
# Awb 7:5). Teams read the objections against their cases' decisions.

LOKET_OBJECTION_FUNCTIONS = (F.CONSULTANT, F.GATE_CLARIFIER)


def is_loket_staff(user, municipality) -> bool:
    """Whether the user works at the loket as consultant or gate clarifier (an
    active membership of a loket team): no query beyond the request's identity."""
    access = for_user(user, municipality)
    wanted = set(LOKET_OBJECTION_FUNCTIONS)
    return any(
        m.team_kind == Team.Kind.LOKET and m.function in wanted for m in access.identity.memberships
    )


def may_handle_objections(user, municipality) -> bool:
    """Register objections, extend their term, record a withdrawal: loket staff."""
    return is_loket_staff(user, municipality)


def can_see_objection(user, objection) -> bool:
    """The loket staff see every objection of the municipality; whoever may see
    the case of the objected decision reads it."""
    if is_loket_staff(user, objection.municipality):
        return True
    return can_view_case(user, objection.decision.case)


def visible_objections(user, municipality, objections):
    """`objections` (a queryset of `municipality`) narrowed to those the user may
    see: all for the loket staff, else those on the decisions of cases they may
    open."""
    if is_loket_staff(user, municipality):
        return objections
    case_model = _related(_related(objections.model, "decision"), "case")
    rule = case_rule(user, municipality, case_model)
    if rule is None:
        return objections.none()
    cases = case_model.objects.filter(municipality=municipality).filter(rule)
    return objections.filter(decision__case__in=cases)
