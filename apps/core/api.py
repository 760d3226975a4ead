import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.core.exceptions import ConcurrentEditError, DomainError


class Conflict(exceptions.APIException):
    """409: the change was based on a version that is no longer the current one."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = ConcurrentEditError.default_message
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    """413: the request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Het verzoek is te groot. Er is niets opgeslagen.")
    default_code = "payload_too_large"


def exception_handler(exc, context):
    """Turn domain and model validation errors from services into 400s with a
    message per field, like a serializer error; a concurrent edit (a stale
    `version`) into a 409 Conflict, so a client can tell "read it again and
    retry" from "your input is wrong". A body over the input limits (Django's
    RequestDataTooBig, TooManyFieldsSent, …) gets a JSON 413 or 400 instead of
    Django's HTML 400 page, and is logged as Django logs it for a page."""
    if isinstance(exc, SuspiciousOperation):
        refused = (
            PayloadTooLarge()
            if isinstance(exc, RequestDataTooBig)
            else exceptions.ParseError(_("Het verzoek is niet in orde. Er is niets opgeslagen."))
        )
        logging.getLogger(f"django.security.{type(exc).__name__}").error(
            str(exc),
            extra={"status_code": refused.status_code, "request": context["request"]._request},
        )
        exc = refused
    elif isinstance(exc, ConcurrentEditError):
        exc = Conflict(str(exc.message))
    elif isinstance(exc, DomainError):
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


# The most ids one list of relations takes in a request: each id is looked up on
# its own, so an unbounded list is as many queries as a client cares to send.
MAX_RELATED_IDS = 100


class ScopedManyRelatedField(serializers.ManyRelatedField):
    default_error_messages = {"max_length": _("Geef ten hoogste {max_length} ids.")}

    def __init__(self, *args, max_length=MAX_RELATED_IDS, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation to a municipality-owned model: the choices are looked up per
    request inside the municipality scope, so an id of another municipality is
    "does not exist". `filters` narrows the choices further.

    Usage: ScopedPrimaryKeyRelatedField(model=Area, filters={"is_active": True})

    With `many=True`, a list of at most MAX_RELATED_IDS ids.
    """

    @classmethod
    def many_init(cls, *args, **kwargs):
        # As DRF's own many_init, with a bounded list.
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ScopedManyRelatedField(**list_kwargs)

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


# --- documented error responses -------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERROR_DESCRIPTIONS = {
    400: "Invalid input: a list of messages per field name (nested for nested objects; "
    "`non_field_errors` for the request as a whole). Nothing was saved.",
    401: "The API key is unknown, expired or revoked.",
    403: "Your roles in this municipality do not allow this, or not on this object.",
    404: "No such object in this municipality (objects of other municipalities do not exist "
    "for you).",
    409: "Someone changed the object since you read it (the `version` you sent is stale). "
    "Read it again and repeat your change if it still applies. Nothing was saved.",
    429: "A limit was reached (`detail` says which and when it is lifted). Nothing was saved.",
}

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            # `detail`, when the body could not be read at all (malformed JSON).
            {"type": "string"},
        ]
    },
}


def error_responses(*codes, examples=None) -> dict:
    """`extend_schema(responses={...})` entries for the error statuses `codes`;
    `examples` maps a status to its OpenApiExamples."""
    examples = examples or {}
    return {
        code: OpenApiResponse(
            response=VALIDATION_ERROR_SCHEMA if code == 400 else ErrorDetailSerializer,
            description=ERROR_DESCRIPTIONS[code],
            examples=examples.get(code, []),
        )
        for code in codes
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
    - 409 for a change (PUT/PATCH) that carries the `version` it was based on;
    - 415 for a request body in a media type the API does not read;
    - 429 where the rate limits apply.

    Optional query parameters get `allowEmptyValue`: for DRF's pagination and
    django-filter's filters an empty value means the parameter is absent.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        detail = self.resolve_serializer(ErrorDetailSerializer, "response")
        invalid = self._error_component("ValidationError", VALIDATION_ERROR_SCHEMA)
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        security = operation.get("security", [])
        errors = {}
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            errors["400"] = (ERROR_DESCRIPTIONS[400], invalid)
        if security and {} not in security:
            errors["401"] = (ERROR_DESCRIPTIONS[401], detail)
            errors["403"] = (ERROR_DESCRIPTIONS[403], detail)
        if any(p["in"] == "path" for p in parameters) or self._is_paginated(parameters):
            errors["404"] = (ERROR_DESCRIPTIONS[404], detail)
        if self.method in ("PUT", "PATCH") and self._has_version_field():
            errors["409"] = (ERROR_DESCRIPTIONS[409], detail)
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

    def _has_version_field(self):
        """A change checked against the `version` the client read (optimistic
        locking): a stale one gives 409."""
        serializer = force_instance(self.get_request_serializer())
        return is_serializer(serializer) and "version" in getattr(serializer, "fields", {})

    def _is_paginated(self, parameters):
        paginator = getattr(self.view, "paginator", None)
        if paginator is None or self.method != "GET":
            return False
        names = {p["name"] for p in paginator.get_schema_operation_parameters(self.view)}
        return any(p["in"] == "query" and p["name"] in names for p in parameters)


# --- shared by the viewsets ------------------------------------------------------

CONFLICT_EXAMPLES = {
    409: [
        OpenApiExample(
            "Changed by someone else",
            response_only=True,
            status_codes=["409"],
            value={
                "detail": "Fatima Bakker heeft dit intussen gewijzigd. Laad de pagina opnieuw "
                "en voer uw wijziging nogmaals in."
            },
        )
    ]
}
WRITE_ERRORS = error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES)


def municipality_of(request):
    return request._request.municipality


def log_list_page(request, objects, object_type, what, resident_of=None):
    """One access-log entry for a page of a list: which objects it showed and
    whose (by default the resident of each object's case; select the case with
    the list). NEN 7513 counts a list as a read, as the overview for a resident."""
    objects = list(objects)
    log_list(
        request=request,
        objects=objects,
        object_type=object_type,
        resident_of=resident_of or (lambda obj: obj.case.resident_id),
        object_label=gettext("%(what)s, %(count)s getoond") % {"what": what, "count": len(objects)},
    )


class LoggedListMixin:
    """ListModelMixin's list, with the page shown written to the access log."""

    list_log_what = ""
    list_log_resident_of = None  # default: the resident of the object's case

    def list(self, request, *args, **kwargs):
        return logged_page_response(
            self,
            self.filter_queryset(self.get_queryset()),
            self.get_serializer,
            self.list_log_what,
            resident_of=self.list_log_resident_of,
        )


# --- answers whose read is recorded in the access log ---------------------------------


def logged_page_response(view, queryset, serializer, what, resident_of=None) -> Response:
    """A viewset's answer with one page of `queryset`, serialized by `serializer`
    (a serializer class, or the view's `get_serializer`), after one access-log
    entry for the page (`log_list_page`: the objects shown and whose they are;
    the object type is the queryset's model). `LoggedListMixin.list` answers
    through this; so do list actions that parse their own filters."""
    page = list(view.paginate_queryset(queryset))
    log_list_page(
        view.request, page, queryset.model._meta.label_lower, what, resident_of=resident_of
    )
    return view.get_paginated_response(serializer(page, many=True).data)


def logged_object_response(view, serializer, resident_of=None) -> Response:
    """A viewset's answer with the object of the URL (`view.get_object()`, with
    its 404s), serialized by `serializer`, after recording the look at it in the
    access log; `resident_of(obj)` names whose file it is, where the log cannot
    tell from the object itself."""
    obj = view.get_object()
    resident = resident_of(obj) if resident_of else None
    log_access(request=view.request, action=AccessLogEntry.Action.VIEW, obj=obj, resident=resident)
    return Response(serializer(obj).data)
