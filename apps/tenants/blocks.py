"""What tenants adds to the start page (registered in TenantsConfig.ready;
assembled by apps.portal): the municipality admin's configuration links."""

from apps.core.registry import StartBlock, register_start_block
from apps.tenants.permissions import Role


def admin_block(user, municipality, roles):
    return True if Role.MUNICIPALITY_ADMIN in roles else None


def register():
    register_start_block(StartBlock(key="admin", order=60, build=admin_block))
