"""What the kernel offers the apps above it, so that it never imports them.

- **Who may**: the kernel's page base (`apps.core.mixins.MunicipalityRequiredMixin`)
  asks "may this person do this action in this municipality?" through
  `has_action` / `require_action` here; the app that knows the roles (tenants)
  registers the answer in its `AppConfig.ready()` (`register_action_checks`).
- **Start-page blocks and menu counts**: each domain app registers the blocks it
  adds to the start page (`register_start_block`) and the counts it adds beside
  a menu item (`register_nav_count`) in its `AppConfig.ready()`; the portal app
  assembles them (`apps.portal.start`, `apps.portal.context_processors`). The
  portal renders a block with the template part `core/_start_blocks.html`, by key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Rows per start-page block; the block links to the full list.
SHOWN = 10


@dataclass
class Head:
    """The first rows of a list and whether there are more."""

    rows: list = field(default_factory=list)
    more: bool = False


def head(qs, limit=SHOWN) -> Head:
    """The first `limit` rows of a queryset and whether there are more: one query."""
    rows = list(qs[: limit + 1])
    return Head(rows=rows[:limit], more=len(rows) > limit)


# --- who may ------------------------------------------------------------------------

_action_checks: dict[str, Callable] = {}


def register_action_checks(*, has_action: Callable, require_action: Callable) -> None:
    _action_checks["has"] = has_action
    _action_checks["require"] = require_action


def _check(kind: str) -> Callable:
    try:
        return _action_checks[kind]
    except KeyError:
        raise ImproperlyConfigured(
            "No action checks registered: the tenants app registers them in its ready()."
        ) from None


def has_action(user, municipality, action: str) -> bool:
    return _check("has")(user, municipality, action)


def require_action(user, municipality, action: str) -> None:
    """Raises PermissionDenied when the person may not do the action there."""
    _check("require")(user, municipality, action)


# --- start-page blocks --------------------------------------------------------------


@dataclass(frozen=True)
class StartBlock:
    """One block of the start page.

    `build(user, municipality, roles)` returns what the template part shows under
    `blocks.<key>`, or None when this person does not get the block; it reads
    through the selectors of the list the block heads (their visibility rules and
    tenancy apply) in a fixed number of queries. `residents(block)` returns the
    rows of the built block that name a resident (with `resident_id`), without a
    query, for the page's access-log entry. `order` is the order on the page.
    """

    key: str
    order: int
    build: Callable[..., Any]
    residents: Callable[[Any], list] = lambda block: []


_start_blocks: dict[str, StartBlock] = {}


def register_start_block(block: StartBlock) -> None:
    _start_blocks[block.key] = block


def start_blocks_registered() -> list[StartBlock]:
    return sorted(_start_blocks.values(), key=lambda block: (block.order, block.key))


# --- menu counts --------------------------------------------------------------------


@dataclass(frozen=True)
class NavCount:
    """A count beside a menu item (`nav_counts.<key>` in the menu): shown to
    people who hold `action`; `count(user, municipality)` is one aggregate query."""

    key: str
    action: str
    count: Callable[..., int]


_nav_counts: dict[str, NavCount] = {}


def register_nav_count(counter: NavCount) -> None:
    _nav_counts[counter.key] = counter


def nav_counts_registered() -> list[NavCount]:
    return list(_nav_counts.values())
