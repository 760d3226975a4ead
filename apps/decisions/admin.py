"""The provision catalogue, proposals and decisions in the platform admin.

The catalogue is configuration: the platform admin may change it, with the same
validation and version check as the pages (`MunicipalityOwnedAdmin`). Proposals
are shown, not changed. Decisions and deadline changes are read-only for
everyone here (rule 1: only `proposal_decide` writes a decision; the admin has
no add, change or delete and no bulk action)."""

from django.contrib import admin
from django.db.models.functions import Coalesce

from apps.cases.admin import ReadOnlyAdmin
from apps.core.admin import MunicipalityOwnedAdmin
from apps.decisions.models import DeadlineChange, Decision, Proposal, ProvisionType


@admin.register(ProvisionType)
class ProvisionTypeAdmin(MunicipalityOwnedAdmin):
    list_display = ["name", "law", "unit", "end_date_required", "municipality", "is_active"]
    list_filter = ["municipality", "law", "is_active"]
    search_fields = ["name", "legal_basis"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "provision_type",
        "case",
        "status",
        "application_date",
        "decision_deadline",
        "municipality",
    ]
    list_filter = ["municipality", "status"]
    list_select_related = ["provision_type", "case", "municipality"]
    search_fields = ["=id"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "outcome",
        "provision_type",
        "consultant",
        "law",
        "decided_at",
        "municipality",
    ]
    list_filter = ["municipality", "outcome", "law"]
    list_select_related = ["provision_type", "consultant__user", "municipality"]
    search_fields = ["=id"]


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(ReadOnlyAdmin):
    resident_path = Coalesce("proposal__resident_id", "question__resident_id")
    list_display = ["kind", "proposal", "question", "old_date", "new_date", "at", "municipality"]
    list_select_related = ["proposal", "question", "municipality"]
