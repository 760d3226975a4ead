"""Lists and searches in the access log: the ids an entry's list showed (a JSON
list, on any database) and a row per resident it showed, append-only like the
entry (on PostgreSQL the trigger function of audit/0002_append_only_trigger
refuses UPDATE and DELETE on the new table too)."""

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models

TABLE = "audit_accesslogresident"


def refuse_changes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE "
        f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change();"
    )


def allow_changes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_access_log_unshare'),
        ('intake', '0001_initial'),
        ('tenants', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogentry',
            name='object_ids',
            field=models.JSONField(blank=True, default=list, verbose_name='getoonde nummers'),
        ),
        migrations.CreateModel(
            name='AccessLogResident',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entry', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='shown_residents', to='audit.accesslogentry', verbose_name='toegangslogregel')),
                ('municipality', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenants.municipality', verbose_name='gemeente')),
                ('resident', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='intake.resident', verbose_name='inwoner')),
            ],
            options={
                'verbose_name': 'getoonde inwoner',
                'verbose_name_plural': 'getoonde inwoners',
                'ordering': ['pk'],
                'default_permissions': ('view',),
                'base_manager_name': 'append_only_base',
                'indexes': [models.Index(fields=['resident', 'entry'], name='audit_shown_resident_entry')],
                'constraints': [models.UniqueConstraint(fields=('entry', 'resident'), name='audit_shown_resident_once')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('append_only_base', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
