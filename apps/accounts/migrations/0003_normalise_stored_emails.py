"""Store every address in its normalised form (NFKC, lower case), as the
login, the login lock and the password reset now look it up. An address whose
normalised form already belongs to another account is left as it is (a
platform admin merges or renames it); the login reaches the normalised one."""

import unicodedata

from django.db import migrations


def normalise(value):
    # As apps.accounts.normalize.normalize_email (a migration keeps its own copy).
    return unicodedata.normalize("NFKC", value or "").lower().strip()


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.only("pk", "email").order_by("pk"):
        email = normalise(user.email)
        if email != user.email and email not in taken:
            User.objects.filter(pk=user.pk).update(email=email)
            taken.add(email)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
