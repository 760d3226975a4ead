"""A row of one municipality only ever points at rows of the same municipality.

`assert_no_cross_municipality_references()` checks that over the whole
database: for every model of ours with a `municipality` field, every foreign key
and many-to-many relation to another such model. It needs no update when a later
issue adds models or relations; call it at the end of any test that writes
through pages, the API, services, tasks or commands (the URL walk in
`tests/test_tenancy_urls.py` does, after every request it sends).
"""

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F
from django_scopes import scopes_disabled

from apps.cases.models import WorkReassignmentItem
from apps.decisions.models import DeadlineChange
from apps.documents.models import Document
from tests.factories import FACTORIES


def scoped_models():
    """Every model of ours that belongs to one municipality."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        and any(f.name == "municipality" for f in model._meta.fields)
    ]


def scoped_relations():
    """(model, field) for every foreign key and many-to-many relation from a
    municipality-owned model to another municipality-owned model."""
    scoped = set(scoped_models())
    relations = []
    for model in scoped_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            if field.is_relation and field.name != "municipality" and field.related_model in scoped:
                relations.append((model, field))
    return relations


def cross_municipality_references():
    """Every row that points to a row of another municipality, as readable lines."""
    found = []
    with scopes_disabled():
        for model, field in scoped_relations():
            label = f"{model.__name__}.{field.name}"
            if isinstance(field, models.ManyToManyField):
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                rows = through._base_manager.exclude(
                    **{f"{source}__municipality": F(f"{target}__municipality")}
                ).values_list(f"{source}_id", f"{source}__municipality_id", f"{target}_id")
            else:
                rows = (
                    model._base_manager.filter(**{f"{field.name}__isnull": False})
                    .exclude(**{f"{field.name}__municipality": F("municipality")})
                    .values_list("pk", "municipality_id", field.attname)
                )
            found += [
                f"{label}: {model.__name__} {pk} of municipality {municipality_id} "
                f"points to {field.related_model.__name__} {target_pk} of another municipality"
                for pk, municipality_id, target_pk in rows
            ]
    return found


def assert_no_cross_municipality_references():
    found = cross_municipality_references()
    assert not found, "rows linked across municipalities:\n" + "\n".join(found)


# --- the check itself ---------------------------------------------------------


def test_the_check_knows_the_relations_of_the_organisation():
    names = {f"{model.__name__}.{field.name}" for model, field in scoped_relations()}
    assert {
        "Team.areas",
        "Team.run_by",
        "Team.linked_loket_consultant",
        "Membership.staff_member",
        "Membership.team",
        "Membership.organisation",
        "ApiToken.staff_member",
    } <= names


APPEND_ONLY_TABLES = {
    "tenants_rolechange",
    "audit_accesslogentry",
    "audit_accesslogresident",
    "intake_questionforward",
    "decisions_decision",
    "decisions_deadlinechange",
    "decisions_provisionevent",
    "decisions_objectiondecision",
    "cases_directorchange",
    "cases_teamchange",
    "cases_workreassignment",
    "cases_workreassignmentitem",
    "cases_activitynoterevision",
    "intake_questiondescriptionrevision",
    "letters_letter",
}

# Relations of which a row has exactly one (a check constraint): planting one
# clears the other.
EXCLUSIVE_WITH = {
    (DeadlineChange, "question"): {"proposal_id": None},
    (WorkReassignmentItem, "question"): {"case_id": None},
    # A document hangs on a case or a question, never both.
    (Document, "question"): {"case_id": None},
}


def disable_append_only_guard(table):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")


def test_the_check_finds_every_kind_of_cross_municipality_link(municipality, other_municipality):
    """Plant one link across municipalities per relation, directly in the
    database (past every form, serializer, service and model check), and see
    the check report exactly that link."""
    with scopes_disabled():
        for model, field in scoped_relations():
            with transaction.atomic():
                row = FACTORIES[model](municipality=municipality)
                target = FACTORIES[field.related_model](municipality=other_municipality)
                assert cross_municipality_references() == [], f"{model.__name__}.{field.name}"
                if isinstance(field, models.ManyToManyField):
                    getattr(row, field.name).add(target)
                else:
                    # Append-only tables refuse UPDATE on PostgreSQL and in their
                    # managers; this planting (rolled back below) goes past both
                    # guards, with a plain queryset.
                    if model._meta.db_table in APPEND_ONLY_TABLES:
                        disable_append_only_guard(model._meta.db_table)
                    if field.unique:
                        # A one-to-one link: the target's own row (a decision's
                        # provision, made by proposal_decide) makes room first.
                        models.QuerySet(model).filter(**{field.attname: target.pk}).delete()
                    planted = {
                        field.attname: target.pk,
                        **EXCLUSIVE_WITH.get((model, field.name), {}),
                    }
                    models.QuerySet(model).filter(pk=row.pk).update(**planted)
                found = cross_municipality_references()
                assert len(found) == 1, (model, field, found)
                assert found[0].startswith(f"{model.__name__}.{field.name}: ")
                assert f" points to {field.related_model.__name__} {target.pk} " in found[0]
                transaction.set_rollback(True)
