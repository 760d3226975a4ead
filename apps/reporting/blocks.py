"""What reporting adds to the start page (registered in ReportingConfig.ready;
assembled by apps.portal)."""

from apps.core.registry import StartBlock, head, register_start_block
from apps.reporting.services import visible_reports
from apps.tenants.permissions import Role


def policy_block(user, municipality, roles=None):
    """The policy advisor's latest reports."""
    if roles is not None and Role.POLICY_ADVISOR not in roles:
        return None
    return head(visible_reports(user, municipality).order_by("-created_at", "-pk"))


def register():
    register_start_block(StartBlock(key="policy", order=50, build=policy_block))
