"""Every municipality that exists before life domains did gets the ZRM list."""

from django.db import migrations

ZRM = [
    "Financiën",
    "Werk en opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def forwards(apps, schema_editor):
    Municipality = apps.get_model("tenants", "Municipality")
    LifeDomain = apps.get_model("intake", "LifeDomain")
    for municipality in Municipality.objects.all():
        if not LifeDomain.objects.filter(municipality=municipality).exists():
            LifeDomain.objects.bulk_create(
                LifeDomain(municipality=municipality, name=name, position=i)
                for i, name in enumerate(ZRM, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
