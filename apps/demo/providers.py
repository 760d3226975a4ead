"""The demo's providers (zorgaanbieders, #21 part 1): a few per municipality,
contracted for the demo catalogue, made through
`apps.decisions.services.provider_ensure` (idempotent). The names are made up;
the AGB codes are fictitious (8 digits, starting 99, no real provider's)."""

from apps.decisions.models import Provider, ProvisionType
from apps.decisions.services import provider_ensure

# (name, AGB code, the demo provisions it is contracted for)
DEMO_PROVIDERS = [
    ("Thuiszorg Betuwe (demo)", "99000101", ["Hulp bij het huishouden", "Begeleiding"]),
    ("Zorggroep De Linge (demo)", "99000102", ["Hulp bij het huishouden", "Begeleiding"]),
    ("Hulpmiddelencentrum Midden (demo)", "99000103", ["Rolstoel"]),
    ("Jeugdhulp Rivierenland (demo)", "99000104", ["Jeugdhulp"]),
    ("Taxi Vervoer Regio (demo)", "99000105", ["Leerlingenvervoer"]),
    ("Schuldhulp Plus (demo)", "", ["Schuldhulpverlening"]),
]


def seed_providers(municipality) -> list[Provider]:
    """The demo providers of `municipality`, inside its scope; after the catalogue."""
    catalogue = {p.name: p for p in ProvisionType.objects.filter(municipality=municipality)}
    return [
        provider_ensure(
            municipality=municipality,
            name=name,
            agb_code=agb_code,
            provision_types=[catalogue[n] for n in names if n in catalogue],
        )
        for name, agb_code, names in DEMO_PROVIDERS
    ]
