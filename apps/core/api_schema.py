"""OpenAPI descriptions (drf-spectacular) that the apps' `api/schema.py` modules
share: reading a list, reading one object, downloading a file. Each returns an
`extend_schema(...)` to pass to `extend_schema_view` for that method."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema

from apps.core.api import error_responses


def read_list(serializer_class, summary=None, *, errors=(403,), **kwargs):
    """A list of `serializer_class` (a page of it), or one of the `errors`."""
    return extend_schema(
        summary=summary,
        responses={200: serializer_class(many=True), **error_responses(*errors)},
        **kwargs,
    )


def read_one(serializer_class, summary=None):
    """One object as `serializer_class`; 403 without the read action, 404 when it
    does not exist for the caller."""
    return extend_schema(
        summary=summary, responses={200: serializer_class, **error_responses(403, 404)}
    )


def download(summary, description, media_type, file_description=""):
    """A file of `media_type`; 404 while there is none (yet)."""
    return extend_schema(
        summary=summary,
        description=description,
        responses={
            (200, media_type): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=file_description
            ),
            **error_responses(403, 404),
        },
    )
