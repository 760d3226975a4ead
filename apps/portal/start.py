"""The start page per role: "what should I do now". One block for each role the
person holds in the active municipality, each the head (at most `SHOWN` rows) of
a list that has a page of its own, read through the selectors of those lists
with their permission and tenancy rules.

The blocks are registered by the domain apps (apps.core.registry: intake the
gate's new questions, decisions the team member's work and the loket's queue,
cases the coordinator's caseload, reporting the policy advisor's reports,
tenants the admin's links); this module only assembles them.

Every block is a fixed number of queries, whatever the amount of data. No block
shows more about residents than the list it links to. Like those lists, the page
is a read of what it shows: the view writes one access-log entry naming the
residents in its blocks (`residents_shown`; apps/audit).
"""

from apps.core.registry import SHOWN, Head, start_blocks_registered

__all__ = ["SHOWN", "Head", "residents_shown", "start_blocks"]


def start_blocks(user, municipality, roles) -> dict:
    """The blocks the start page shows this person: a key per block they get."""
    blocks = {}
    for block in start_blocks_registered():
        built = block.build(user, municipality, roles)
        if built is not None:
            blocks[block.key] = built
    return blocks


def residents_shown(blocks: dict) -> list[int]:
    """The ids of the residents the blocks name (questions, cases, check-ins,
    proposals), without a query: each block selected what it shows."""
    rows = []
    for block in start_blocks_registered():
        if block.key in blocks:
            rows += block.residents(blocks[block.key])
    return list(dict.fromkeys(row.resident_id for row in rows if row.resident_id))
