"""Every operation of the API schema, fuzzed by schemathesis against a live server.

The operations are read from the schema (drf-spectacular), so an endpoint added
later is fuzzed without a change here. Each operation gets MAX_EXAMPLES generated
requests (a budget for the whole schema, see examples_per_operation), valid and
invalid ones, sent with the API key of a person of municipality A who holds every
role there (so write operations run too, and a 403 means a bug, not a missing
role). Every response is checked:

- no 5xx (`not_a_server_error`);
- status code, content type, headers and body as the schema documents them
  (`status_code_conformance`, `content_type_conformance`,
  `response_headers_conformance`, `response_schema_conformance`);
- invalid input is refused with a 4xx (`negative_data_rejection`);
- without a key, or with a wrong one, the operation refuses (`ignored_auth`);
- nothing of municipality B shows, an id of B in the path gives 404 and an id of
  B in a relation field is never accepted (`nothing_of_other_municipality`).
Afterwards no object of B has changed and no row points across municipalities.

To reach real objects and not only 404s, valid requests often get path
parameters and relation fields from the ids that exist (of A, or of B: the
attack), and `version` as it is now (optimistic locking). Which model a path
parameter or relation field is about is read from the DRF view behind the path,
as tests/test_tenancy_urls.py does.

No shrinking: a failure is reported as found, with a curl command to reproduce it
and the hypothesis seed. SCHEMATHESIS_MAX_EXAMPLES=500 gives a deeper local run,
SCHEMATHESIS_RANDOM=1 new cases on every run (CI uses a fixed set).

Known and accepted: DRF trims leading and trailing whitespace before it checks a
text's maximum length, so a name of 151 characters that starts with a space is
accepted as 150 characters, which schemathesis (counting the raw text) reports as
"schema-violating request accepted" in a random run.
"""

import os
import re

import pytest
import schemathesis
from django.urls import Resolver404, resolve
from django_scopes import scopes_disabled
from drf_spectacular.settings import spectacular_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.teams.models import Membership, Team
from tests.conftest import api_key_for, make_person
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory, TeamFactory
from tests.test_cross_municipality_relations import assert_no_cross_municipality_references
from tests.test_tenancy_urls import (
    MARKER,
    create_objects_of_b,
    model_by_name,
    model_of_view,
    pks_of,
    relation_fields,
    snapshot,
)


def examples_per_operation(count):
    """A budget of about TOTAL_EXAMPLES requests for the whole schema (~50 ms each
    on 2 cores), at least 20 and at most 50 per operation; the environment
    variable SCHEMATHESIS_MAX_EXAMPLES overrides it for a deeper local run."""
    if os.environ.get("SCHEMATHESIS_MAX_EXAMPLES"):
        return int(os.environ["SCHEMATHESIS_MAX_EXAMPLES"])
    return min(50, max(20, TOTAL_EXAMPLES // max(count, 1)))


TOTAL_EXAMPLES = 600
SCHEMA_URL = "/api/v1/schema/?format=json"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


def schema_operations():
    """(METHOD, path) of every operation, from the generator that serves
    SCHEMA_URL (each test checks that the served schema has its operation)."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    paths = generator.get_schema(request=None, public=True)["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in HTTP_METHODS
    )


OPERATIONS = schema_operations()
MAX_EXAMPLES = examples_per_operation(len(OPERATIONS))
RANDOM = os.environ.get("SCHEMATHESIS_RANDOM", "") not in ("", "0")


@pytest.fixture
def world(transactional_db):
    """A with areas, organisations, teams and people; B with one object of every
    kind, each text marked with MARKER (see tests/test_tenancy_urls.py)."""
    a = MunicipalityFactory(name="Gemeente A")
    b = MunicipalityFactory(name=f"Gemeente {MARKER}")
    objects_b = create_objects_of_b(b)
    F, K = Membership.Function, Team.Kind
    with scopes_disabled():
        areas = [AreaFactory(municipality=a, name=name) for name in ("Elst", "Driel", "Heteren")]
        mother = OrganisationFactory(municipality=a, name="Moederorganisatie")
        OrganisationFactory(municipality=a, name="Partner", kind="partner")
        kernteam = TeamFactory(municipality=a, name="Kernteam Elst", run_by=mother)
        kernteam.areas.set(areas[:2])
        loket = TeamFactory(municipality=a, name="Loket Samenleven", kind=K.LOKET)
    make_person(a, memberships=[(loket, F.CONSULTANT)])
    make_person(a, memberships=[(kernteam, F.TEAM_MEMBER)])
    # The caller holds every role in A: any 403 is a finding, not a missing role.
    user = make_person(
        a,
        admin=True,
        policy=True,
        memberships=[
            (loket, F.CONSULTANT),
            (loket, F.GATE_CLARIFIER),
            (kernteam, F.TEAM_MEMBER),
            (kernteam, F.COORDINATOR),
            (K.EXPERTISE, F.BEHAVIOURAL_EXPERT),
            (kernteam, F.VOLUNTEER),
        ],
    )
    _, key = api_key_for(user, a, actor=user)
    pks_a, pks_b = pks_of(a), pks_of(b)
    return {
        "a": a,
        "b": b,
        "key": key,
        "objects_b": objects_b,
        "pks_a": pks_a,
        "pks_b": pks_b,
        "all_pks_b": set().union(*pks_b.values()),
    }


@pytest.fixture
def unthrottled(monkeypatch):
    """The rate limits (read once, at import) would stop the fuzzing halfway."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


def models_of(path, municipality):
    """The models behind `path`: {path parameter: model} and {body field: (model,
    many)}, read from the DRF view; what cannot be told is left to the generator."""
    names = re.findall(r"{([^}]+)}", path)
    try:
        match = resolve(re.sub(r"{[^}]+}", "1", path))
    except Resolver404:
        return {}, {}
    path_models = {}
    for name, kwarg in zip(names, match.kwargs, strict=False):
        if kwarg == "pk":
            path_models[name] = model_of_view(match.func, municipality)
        elif kwarg.endswith("_pk"):
            path_models[name] = model_by_name(kwarg[: -len("_pk")])
    return path_models, relation_fields(match.func)


def nothing_of_other_municipality(world, body_models):
    """A schemathesis check: nothing of B in any response, 404 for an id of B in
    the path, never a 2xx for an id of B in a relation field."""
    texts = (MARKER.lower(), world["b"].cbs_code.lower())
    ids_b = world["all_pks_b"]

    def ids_in(value):
        values = value if isinstance(value, list) else [value]
        return {v for v in values if isinstance(v, int)}

    def check(ctx, response, case):
        label = case.operation.label
        text = response.text.lower()
        for shown in texts:
            if shown in text:
                raise Failure(
                    operation=label,
                    title="Data of another municipality",
                    message=f"The response shows {shown!r} of municipality B.",
                )
        in_path = {int(v) for v in (case.path_parameters or {}).values() if str(v).isdigit()}
        if in_path & ids_b and response.status_code != 404:
            raise Failure(
                operation=label,
                title="Object of another municipality reachable",
                message=f"An id of B in the path gave {response.status_code}, not 404.",
            )
        body = case.body if isinstance(case.body, dict) else {}
        linked = set().union(*(ids_in(body[name]) for name in body_models if name in body))
        if linked & ids_b and 200 <= response.status_code < 300:
            raise Failure(
                operation=label,
                title="Relation to another municipality accepted",
                message=f"An id of B in a relation field gave {response.status_code}.",
            )
        return True

    return check


def test_the_leak_check_fails_on_what_it_should():
    from types import SimpleNamespace as NS

    world = {"b": NS(cbs_code="GM8888"), "all_pks_b": {880001}}
    check = nothing_of_other_municipality(world, {"team": (Team, False)})
    operation = NS(label="PATCH /api/v1/x/{id}/")

    def run(status, text, path=None, body=None):
        case = NS(operation=operation, path_parameters=path or {}, body=body)
        return check(None, NS(status_code=status, text=text), case)

    assert run(200, '{"name": "Kernteam A", "id": 12}', {"id": 12}, {"team": 5})
    assert run(404, '{"detail": "Niet gevonden."}', {"id": 880001})
    assert run(400, '{"team": ["bestaat niet"]}', {"id": 12}, {"team": 880001})
    for status, text, path, body in [
        (200, f'{{"name": "{MARKER} team"}}', None, None),
        (200, '{"municipality": "GM8888"}', None, None),
        (200, '{"id": 880001}', {"id": 880001}, None),
        (403, '{"detail": "Geen toegang."}', {"id": 880001}, None),
        (200, '{"team": 880001}', {"id": 12}, {"team": 880001}),
    ]:
        with pytest.raises(Failure):
            run(status, text, path, body)


def test_the_schema_has_operations_to_fuzz():
    assert ("GET", "/api/v1/me/") in OPERATIONS
    assert ("POST", "/api/v1/teams/") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(method, path, world, live_server, unthrottled):
    schema = schemathesis.openapi.from_url(live_server.url + SCHEMA_URL)
    operation = schema.find_operation_by_path(method.lower(), path)
    assert operation is not None, f"{method} {path} is not in the schema served at {SCHEMA_URL}"
    path_models, body_models = models_of(path, world["a"])

    def existing(model):
        """Ids of `model` in A and in B, to draw from."""
        return sorted(world["pks_a"].get(model, set()) | world["pks_b"].get(model, set()))

    def current_version(model, pk):
        if not isinstance(pk, int):
            return None
        with scopes_disabled():
            obj = model._base_manager.filter(pk=pk).first()
        return getattr(obj, "version", None)

    headers = {"Authorization": f"Token {world['key']}"}
    extra_check = nothing_of_other_municipality(world, body_models)
    statuses = []
    before = snapshot(world["objects_b"])

    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)

    def use_existing_ids(case, data):
        """Put ids that exist (of A or B) into the path and the relation fields,
        and the current version into the body. Only for valid (positive) cases:
        schemathesis would still judge a changed invalid case as invalid."""
        if path_models and data.draw(st.booleans(), label="existing ids in the path"):
            for name, model in path_models.items():
                case.path_parameters[name] = data.draw(st.sampled_from(existing(model)), label=name)
        if not isinstance(case.body, dict):
            return
        for name, (model, many) in body_models.items():
            if name in case.body and data.draw(st.booleans(), label=f"existing {name}"):
                pick = st.sampled_from(existing(model))
                value = st.lists(pick, max_size=3, unique=True) if many else pick
                case.body[name] = data.draw(value, label=name)
        target = [(m, case.path_parameters.get(n)) for n, m in path_models.items()][-1:]
        if "version" in case.body and target and data.draw(st.booleans(), label="version"):
            version = current_version(*target[0])
            if version is not None:
                case.body["version"] = version

    @given(data=st.data())
    @settings(
        max_examples=MAX_EXAMPLES,
        # The same requests on every run of `make test`, so a build never fails
        # on a case no earlier run could have shown; SCHEMATHESIS_RANDOM=1 explores
        # new ones (a deeper local run, see the module docstring).
        derandomize=not RANDOM,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def fuzz(data):
        if data.draw(st.booleans(), label="invalid input"):
            case = data.draw(negative, label="case")
        else:
            case = data.draw(positive, label="case")
            use_existing_ids(case, data)
        response = case.call_and_validate(
            base_url=live_server.url,
            headers=headers,
            # A report is built inside its POST: generous on a busy 2-core
            # machine running two test workers (the default is 10 s).
            timeout=60,
            checks=CHECKS,
            additional_checks=[extra_check],
        )
        statuses.append(response.status_code)

    fuzz()
    assert snapshot(world["objects_b"]) == before, "an object of municipality B was changed"
    assert_no_cross_municipality_references()
    # A caller with every role who never gets past authentication and permissions
    # means the set-up is broken (or the operation is closed to everyone).
    assert set(statuses) - {401, 403}, f"{method} {path}: only {sorted(set(statuses))}"
