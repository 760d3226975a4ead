"""Statuses move through a transition table, never through an `if` ladder.

Each status field declares its table once, next to the service that writes it:

    QUESTION_FLOW = Workflow(
        {NEW: {IN_PROGRESS, CLOSED}, IN_PROGRESS: {NEW, CLOSED}, CLOSED: set()},
        refused={CLOSED: _("Deze vraag is afgesloten.")},
    )

and every write of the status goes through `QUESTION_FLOW.move(obj, to)`,
which refuses a move the table does not list with a `TransitionError` (a
DomainError: pages show it above the form, the API answers 400/409). "May this
still change?" is a question to the table (`can_move`, `is_final`) or to a set
of statuses kept beside it (`EDITABLE`), not a condition written in a view.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError


class TransitionError(DomainError):
    """A status move the transition table does not allow."""


class Workflow:
    def __init__(
        self,
        allowed: Mapping[str, Iterable[str]],
        *,
        field: str = "status",
        refused: Mapping[str, str] | None = None,
    ):
        self.allowed = {str(k): frozenset(str(t) for t in v) for k, v in allowed.items()}
        self.field = field
        self.refused = dict(refused or {})

    def targets(self, status) -> frozenset:
        """The statuses one may move to from `status`."""
        return self.allowed.get(str(status), frozenset())

    def can_move(self, obj, to) -> bool:
        return str(to) in self.targets(getattr(obj, self.field))

    def is_final(self, status) -> bool:
        return not self.targets(status)

    def check(self, obj, to, message: str | None = None) -> None:
        """Refuse (TransitionError) when `obj` may not move to `to`."""
        if self.can_move(obj, to):
            return
        current = getattr(obj, self.field)
        text = message or self.refused.get(str(current))
        if text is None:
            display = getattr(obj, f"get_{self.field}_display", lambda: current)()
            text = _("Dit kan niet meer: de status is %(status)s.") % {"status": display}
        raise TransitionError(text)

    def move(self, obj, to, message: str | None = None) -> bool:
        """Set `obj`'s status to `to` after checking the table (the caller saves,
        with the row locked). Returns whether the status changed."""
        self.check(obj, to, message)
        changed = getattr(obj, self.field) != to
        setattr(obj, self.field, to)
        return changed
