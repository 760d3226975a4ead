from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django_scopes import scope
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import DomainError


def exception_handler(exc, context):
    """Turn domain and model validation errors from services into 400s with a
    message per field, like a serializer error."""
    if isinstance(exc, DomainError):
        exc = serializers.ValidationError({"non_field_errors": [str(exc.message)]})
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for error in errors for m in error.messages]
                for field, errors in exc.error_dict.items()
            }
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation to a municipality-owned model: the choices are looked up per
    request inside the municipality scope, so an id of another municipality is
    "does not exist". `filters` narrows the choices further.

    Usage: ScopedPrimaryKeyRelatedField(model=Area, filters={"is_active": True})
    """

    def __init__(self, *, model=None, filters=None, **kwargs):
        self.filters = filters or {}
        if not kwargs.get("read_only"):
            # .none() is allowed without a scope; it only carries the model.
            kwargs["queryset"] = model.objects.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = self.queryset.model.objects.all()
        if not self.filters:
            return qs
        # What may be chosen now, plus what the object links to already.
        return qs.filter(Q(**self.filters) | Q(pk__in=self._current_pks())).distinct()

    def _current_pks(self):
        parent = self.parent
        name = self.source or self.field_name
        if isinstance(parent, serializers.ManyRelatedField):
            name = parent.source or parent.field_name
            parent = parent.parent
        instance = getattr(parent, "instance", None)
        if instance is None or not getattr(instance, "pk", None) or name is None:
            return []
        field = instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(instance, name).values_list("pk", flat=True))
        pk = getattr(instance, field.attname)
        return [pk] if pk is not None else []


class ScopeFreeSchemaGenerator(SchemaGenerator):
    """Generating the OpenAPI schema inspects querysets and filter sets without
    running them. It runs in an empty scope (no municipality at all): querysets
    can be built, and any that were run by mistake would find nothing. For the
    schema view and `manage.py spectacular` alike."""

    def get_schema(self, *args, **kwargs):
        with scope(municipality=[]):
            return super().get_schema(*args, **kwargs)


# Bodies of the error responses DRF gives (through `exception_handler` above).
ERROR_DETAIL_SCHEMA = {
    "type": "object",
    "description": "An error that is not about one field: `detail` says what went wrong.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Input that was refused: per field name the messages (a list, or per item of a "
        "list field an object of messages); `non_field_errors` for the request as a "
        "whole; `detail` when the body could not be read at all."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema with the error responses the API really gives,
    added to every operation where they can occur (unless the view documents the
    code itself with `@extend_schema(responses=...)`):

    - 400 for a request body or query parameters (validation, filters);
    - 401 and 403 where a key or session is required (none, a wrong or expired
      key: 401; a role that may not do this, or a missing CSRF token: 403);
    - 404 for a path with parameters (an object that does not exist, or belongs to
      another municipality) and for a paginated list (an invalid cursor);
    - 415 for a request body in a media type the API does not read;
    - 429 where the rate limits apply.

    Optional query parameters get `allowEmptyValue`: for DRF's pagination and
    django-filter's filters an empty value means the parameter is absent.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        detail = self._error_component("ErrorDetail", ERROR_DETAIL_SCHEMA)
        invalid = self._error_component("ValidationError", VALIDATION_ERROR_SCHEMA)
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        security = operation.get("security", [])
        errors = {}
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            errors["400"] = ("Invalid input.", invalid)
        if security and {} not in security:
            errors["401"] = ("No valid API key or session.", detail)
            errors["403"] = ("Not allowed for your roles in this municipality.", detail)
        if any(p["in"] == "path" for p in parameters) or self._is_paginated(parameters):
            errors["404"] = ("Not found (or of another municipality).", detail)
        if "requestBody" in operation:
            errors["415"] = ("Unsupported media type of the request body.", detail)
        if self.view.get_throttles():
            errors["429"] = ("Too many requests; retry after the time in Retry-After.", detail)
        responses = operation.setdefault("responses", {})
        for code, (description, component) in errors.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return operation

    def _error_component(self, name, schema):
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component

    def _is_paginated(self, parameters):
        paginator = getattr(self.view, "paginator", None)
        if paginator is None or self.method != "GET":
            return False
        names = {p["name"] for p in paginator.get_schema_operation_parameters(self.view)}
        return any(p["in"] == "query" and p["name"] in names for p in parameters)
