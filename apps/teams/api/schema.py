"""The OpenAPI description shared by the configuration viewsets (the bases in
`base.py`), kept apart from their behaviour."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from apps.core.api import CONFLICT_EXAMPLES, error_responses
from apps.core.api_schema import read_list, read_one


def configuration_schema(serializer_class):
    """The responses of a `ConfigurationViewSet` over `serializer_class`, to apply
    to the viewset: `configuration_schema(ProvisionTypeSerializer)(ProvisionTypeViewSet)`."""
    write_errors = error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES)
    return extend_schema_view(
        list=read_list(serializer_class),
        retrieve=read_one(serializer_class),
        create=extend_schema(responses={201: serializer_class, **error_responses(400, 403)}),
        update=extend_schema(responses={200: serializer_class, **write_errors}),
        partial_update=extend_schema(responses={200: serializer_class, **write_errors}),
    )
