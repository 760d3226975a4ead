"""What the cases app offers the apps above it, so that it never imports them.

**Case page sections**: the case page (`apps.cases.selectors.case_contents`) shows
what apps above cases keep about a case (decisions: the voorwerk, the decisions
and the provisions granted). Such an app registers a provider in its
`AppConfig.ready()` with `register_case_section(name, provider)`;
`provider(case, user)` returns the extra template context of the page (a dict,
under the names the template uses), read in a fixed number of queries and
through the provider's own visibility rules.
"""

from collections.abc import Callable

CaseSectionProvider = Callable[[object, object], dict]

_case_sections: dict[str, CaseSectionProvider] = {}


def register_case_section(name: str, provider: CaseSectionProvider) -> None:
    """Adds (or, under the same name, replaces) a section of the case page."""
    _case_sections[name] = provider


def case_sections(case, user) -> dict:
    """The extra context of every registered section, in the order registered."""
    context = {}
    for provider in _case_sections.values():
        context.update(provider(case, user))
    return context
