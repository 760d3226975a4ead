"""The decisions app's part of the case page (`apps.cases.registry`): the case's
proposals (voorwerk) with their decisions and letters, and the provisions
granted on it. Registered in `DecisionsConfig.ready()`."""

from django.db.models import Prefetch

from apps.cases.registry import register_case_section
from apps.decisions.models import Decision, Proposal, Provision


def proposals_and_provisions(case, user) -> dict:
    """`proposals` (newest first, each with its decisions in the order taken)
    and `provisions` of `case`: three queries. Whoever may see the case sees
    these (docs/permissions.md, `case.view`); `user` is not needed for that."""
    proposals = (
        Proposal.objects.filter(case=case)
        .select_related("provision_type", "resident", "assigned_consultant__user")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("consultant__user", "letter").order_by(
                    "decided_at", "pk"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    provisions = Provision.objects.filter(case=case).select_related(
        "provision_type", "resident", "provider"
    )
    return {"proposals": list(proposals), "provisions": list(provisions)}


def register() -> None:
    register_case_section("decisions", proposals_and_provisions)
