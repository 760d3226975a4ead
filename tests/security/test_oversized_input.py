"""Oversized input: refused cleanly, nothing saved.

- A request body over DATA_UPLOAD_MAX_MEMORY_SIZE, or with more fields or files
  than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES, posted to any page: Django's 400,
  shown as our own page (templates/400.html), logged; on the API a JSON 413 or
  400. Every URL is walked; the limits are lowered here so the bodies stay small
  (the mechanism does not depend on the number).
- Text longer than a field allows: an error on that field, nothing saved, on the
  question register page and on the API's question endpoint (nested resident
  fields included); lists of ids and laws are bounded too. And every text field
  of every form and serializer the portal has says how long it may be.
"""

import itertools
import json
import logging
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.intake.api.serializers import QuestionCreateSerializer
from apps.intake.forms import QuestionRegisterForm
from apps.intake.models import LifeDomain
from tests.security.walk import create_hostile_world, database_state, portal_urls
from tests.test_tenancy_urls import body_of, iter_urls, view_class_of

LIMIT = 20_000
FIELD_LIMIT = 50
FILE_LIMIT = 2
# Django's own login and password forms: a password is hashed, never stored or
# shown; the login's username gets its max_length (254) when the form is made.
UNBOUNDED = {"password", "new_password1", "new_password2", "username"}


def too_large_bodies():
    """(what, request arguments) for each way a body can be too large."""
    text = "x" * LIMIT
    many = {f"veld{i}": "x" for i in range(FIELD_LIMIT + 1)}
    files = {f"bestand{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(FILE_LIMIT + 1)}
    urlencoded = "application/x-www-form-urlencoded"
    return [
        ("a large form", {"data": {"description": text}}),
        (
            "a large urlencoded form",
            {"data": urlencode({"description": text}), "content_type": urlencoded},
        ),
        ("too many fields", {"data": many}),
        ("too many urlencoded fields", {"data": urlencode(many), "content_type": urlencoded}),
        ("too many files", {"data": files}),
    ]


def test_the_limits_are_sane():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100


def test_a_too_large_body_is_a_clean_400_on_every_page(db, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = FIELD_LIMIT
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = FILE_LIMIT
    world = create_hostile_world()
    # As a browser is checked: the CSRF check reads the body before any view does.
    browser = world.sign_in(enforce_csrf_checks=True)
    before = database_state()
    caplog.set_level(logging.ERROR, logger="django.security")
    bodies = itertools.cycle(too_large_bodies())
    refused = []
    for name, url, _callback in portal_urls(world, skip_namespaces=("admin", "api")):
        what, request = next(bodies)
        caplog.clear()
        response = browser.post(url, **request)
        assert response.status_code == 400, f"POST {url} ({name}) with {what}: {response}"
        assert "Verzoek niet verwerkt" in body_of(response), f"{url}: not our 400 page"
        assert any(r.name.startswith("django.security.") for r in caplog.records), url
        refused.append(name)
    assert database_state() == before
    assert browser.get(reverse("core:start")).status_code == 200  # the logout did not happen
    assert {"intake:question_register", "accounts:login", "teams:team_edit"} <= set(refused)


def test_a_too_large_body_is_refused_by_every_endpoint(db, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = FIELD_LIMIT
    world = create_hostile_world()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    api.get(reverse("api:me"))  # the key's first use is recorded (last_used_at)
    before = database_state()
    caplog.set_level(logging.ERROR, logger="django.security")
    refused = []
    for name, url, callback in portal_urls(world, skip_namespaces=("admin",)):
        writes = {"post", "put", "patch"} & set(getattr(callback, "actions", {}))
        for method in sorted(writes):
            caplog.clear()
            large = getattr(api, method)(url, {"description": "x" * LIMIT}, format="json")
            assert large.status_code == 413, f"{method} {url} ({name}), large: {large}"
            assert large.json()["detail"], large.json()
            many = getattr(api, method)(
                url,
                urlencode({f"veld{i}": "x" for i in range(FIELD_LIMIT + 1)}),
                content_type="application/x-www-form-urlencoded",
            )
            # The API reads JSON only: a form body is refused before it is read.
            assert many.status_code == 415, f"{method} {url} ({name}), many fields: {many}"
            assert many.json()["detail"], many.json()
            assert len([r for r in caplog.records if r.name.startswith("django.security.")]) == 1
            refused.append(name)
    assert database_state() == before
    assert {"api:question-list", "api:question-forward", "api:team-detail"} <= set(refused)


def every_form_and_serializer():
    """(where, form or serializer class) for every page and endpoint."""
    seen = set()
    for name, _kwargs, callback in iter_urls():
        view_class = view_class_of(callback)
        initkwargs = getattr(callback, "view_initkwargs", None) or {}
        drf_initkwargs = getattr(callback, "initkwargs", None) or {}
        for found in (
            initkwargs.get("form_class"),
            initkwargs.get("authentication_form"),
            getattr(view_class, "form_class", None),
            drf_initkwargs.get("serializer_class"),
            getattr(view_class, "serializer_class", None),
        ):
            if found is not None and found not in seen:
                seen.add(found)
                yield name, found


def text_fields(serializer, prefix=""):
    """(path, field) for every writable text field of a serializer, nested too."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.Serializer):
            yield from text_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.CharField):
            yield f"{prefix}{name}", field


def test_every_text_field_says_how_long_it_may_be():
    unbounded = []
    for where, found in every_form_and_serializer():
        if isinstance(found, type) and issubclass(found, forms.BaseForm):
            unbounded += [
                f"{where}: {found.__name__}.{name}"
                for name, field in found.base_fields.items()
                if isinstance(field, forms.CharField)
                and field.max_length is None
                and name not in UNBOUNDED
            ]
        else:
            unbounded += [
                f"{where}: {found.__name__}.{path}"
                for path, field in text_fields(found())
                if field.max_length is None
            ]
    assert not unbounded, f"text fields without max_length: {unbounded}"


def too_long(field) -> str:
    if isinstance(field, forms.EmailField | serializers.EmailField):
        return "x" * (field.max_length - len("@example.nl") + 1) + "@example.nl"
    return "1" * (field.max_length + 1)


def register_data(life_domain):
    received = timezone.localtime() - timedelta(hours=1)
    return {
        "surname": "Jansen",
        "channel": "telephone",
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "description": "Hulp in het huishouden",
        "life_domains": [life_domain.pk],
    }


def test_an_over_long_text_on_the_register_page_is_a_field_error(db):
    world = create_hostile_world()
    browser = world.sign_in()
    with scope(municipality=world.a):
        life_domain = LifeDomain.objects.get(pk=world.objects[LifeDomain].pk)
        life_domain.is_active = True
        life_domain.save()
    url = reverse("intake:question_register")
    valid = register_data(life_domain)
    before = database_state()
    checked = []
    for name, field in QuestionRegisterForm.base_fields.items():
        if not isinstance(field, forms.CharField):
            continue
        response = browser.post(url, {**valid, name: too_long(field)})
        assert response.status_code == 200, f"{name}: {response}"
        errors = response.context["form"].errors
        assert name in errors, f"{name}: no error for {field.max_length + 1} characters: {errors}"
        checked.append(name)
    assert database_state() == before
    assert {"description", "surname", "override_reason", "reporter_contact", "email"} <= set(
        checked
    )


def test_over_long_texts_and_lists_on_the_question_endpoint_are_field_errors(db):
    world = create_hostile_world()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    with scope(municipality=world.a):
        life_domain = LifeDomain.objects.get(pk=world.objects[LifeDomain].pk)
        life_domain.is_active = True
        life_domain.save()
    valid = {
        "resident_data": {"surname": "Jansen"},
        "channel": "telephone",
        "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "description": "Hulp in het huishouden",
        "life_domains": [life_domain.pk],
    }
    url = reverse("api:question-list")
    api.get(reverse("api:me"))  # the key's first use is recorded (last_used_at)
    before = database_state()
    checked = []
    for path, field in text_fields(QuestionCreateSerializer()):
        if field.max_length is None:
            continue
        data = json.loads(json.dumps(valid))
        *parents, leaf = path.split(".")
        target = data
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = too_long(field)
        response = api.post(url, data, format="json")
        assert response.status_code == 400, f"{path}: {response.status_code} {response.content}"
        errors = response.json()
        for parent in parents:
            errors = errors.get(parent, {})
        assert leaf in errors, f"{path}: no error for {field.max_length + 1} characters"
        checked.append(path)
    for name, value in {
        "life_domains": [life_domain.pk] * 101,
        "laws": ["wmo", "jeugdwet", "participatiewet", "wmo"],
    }.items():
        response = api.post(url, {**valid, name: value}, format="json")
        assert response.status_code == 400 and name in response.json(), (name, response.content)
    assert database_state() == before
    assert {"description", "resident_data.surname", "override_reason"} <= set(checked)
