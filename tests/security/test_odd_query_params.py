"""SQL-looking and odd search terms, filters and ids: never a 500.

Every query parameter the portal uses gets odd values: `'; DROP TABLE …`, `%`,
`_`, a backslash, 10,000 characters, a NUL byte, odd unicode (a superscript
digit that `str.isdigit()` accepts and `int()` refuses, right-to-left override),
the script payload, an impossible date, a negative, huge or non-numeric id. The
answer is a page (200, the form saying what is wrong), a 400 with a message, or
a 404 for an id that names nothing; never a 500, and what was typed is shown
escaped.

The parameters are found, not listed, so new ones are covered without an update:
- pages: the fields of every GET form on every page (and of a POST form that an
  htmx `hx-get` sends as a query), the parameters in the links between pages,
  and what a view reads from `request.GET` itself (read from its source);
- the API: the query parameters of every operation in the OpenAPI schema
  (filters, search, `cursor`, `page_size`), typed by the schema.
"""

import base64
import inspect
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.urls import Resolver404, resolve, reverse
from rest_framework.test import APIClient

from apps.core.api import ScopeFreeSchemaGenerator
from tests.security.test_escaping import assert_escaped
from tests.security.walk import PAYLOAD, create_hostile_world, portal_urls
from tests.test_tenancy_urls import iter_urls, view_class_of

SQL = "'; DROP TABLE intake_question; --"
HUGE_ID = "99999999999999999999"  # beyond a bigint
NUL = "a\x00b"
LONG = "x" * 10_000
UNICODE = "Zoë ² \u202e𝒳 ١٢"
VALUES = {
    "text": [SQL, "%", "_", "\\", LONG, NUL, UNICODE, PAYLOAD],
    "date": ["2026-13-45", "-1", LONG, NUL],
    "id": ["-1", "abc", HUGE_ID, "²", NUL],
    "choice": [SQL, "²", NUL],
}
# Read straight from the query string: anything may come.
VALUES["raw"] = [*VALUES["id"], SQL, LONG]


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


# A cursor is ours to decode: well-formed ones of each kind we write (the inbox's,
# the log's, DRF's), carrying what a query cannot take.
VALUES["cursor"] = [
    "abc",
    NUL,
    LONG,
    _b64(json.dumps(["new", "9999-12-31T23:59:59+14:00", 10**30])),
    _b64(json.dumps(["0001-01-01T00:00:00+14:00", 10**30])),
    _b64(json.dumps(["9999-12-31T23:59:59-14:00", True])),
    _b64("o=1&r=0&p=abc"),
    _b64(f"p={HUGE_ID}&r=1"),
]
# Parameters that carry our pagination cursors.
CURSOR_PARAMS = {"na", "cursor"}
# Terms that a search must treat as text: they match no name in the world.
WILDCARDS = {SQL, "%", "_", "\\"}
# Form fields that are no query (the form's protection and municipality).
NOT_PARAMS = {"csrfmiddlewaretoken", "_municipality"}
# How a view reads the query string itself.
READS = re.compile(r"""(?:GET|query_params|params)(?:\.get(?:list)?\(|\[)\s*["'](\w+)["']""")


class QueryFinder(HTMLParser):
    """The query parameters a page sends: {path: {name: kind}}."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.found: dict[str, dict[str, str]] = {}
        self.form = None

    def add(self, path, name, kind):
        if name and name not in NOT_PARAMS:
            params = self.found.setdefault(urlsplit(path).path or self.page_path, {})
            params.setdefault(name, kind)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            target = a.get("hx-get")
            if target is None and (a.get("method") or "get").lower() == "get":
                target = a.get("action") or self.page_path
            self.form = target
        elif tag in ("input", "select", "textarea") and self.form is not None:
            kind = {"date": "date", "datetime-local": "date", "search": "text", "text": "text"}
            input_kind = kind.get(a.get("type", "text"), "id") if tag == "input" else None
            self.add(
                self.form, a.get("name"), input_kind or ("choice" if tag == "select" else "text")
            )
        elif tag == "a" and "?" in (a.get("href") or ""):
            href = a["href"]
            for name in parse_qs(urlsplit(href).query, keep_blank_values=True):
                self.add(href, name, "raw")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def source_reads(callback) -> set[str]:
    """The query parameters a view reads itself (in its own code and its mixins)."""
    view_class = view_class_of(callback)
    parts = (
        [c for c in inspect.getmro(view_class) if c.__module__.startswith("apps.")]
        if (view_class)
        else [callback]
    )
    return {name for part in parts for name in READS.findall(own_source(part))}


def own_source(part) -> str:
    try:
        return inspect.getsource(part)
    except OSError:
        # A class made by a factory (`PlanFormView.on`) has no source: it holds
        # attributes only, no code of its own; what it reads is its bases' code.
        assert not [v for v in vars(part).values() if inspect.isfunction(v)], part
        return ""


def page_queries(world, browser) -> dict[str, dict[str, str]]:
    """{url: {parameter: kind}} for every page that takes a query."""
    queries: dict[str, dict[str, str]] = {}
    for _name, url, callback in portal_urls(world, skip_namespaces=("admin", "api")):
        response = browser.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            finder = QueryFinder(url)
            finder.feed(response.content.decode())
            for path, params in finder.found.items():
                queries.setdefault(path, {}).update(params)
        for param in source_reads(callback):
            queries.setdefault(url, {}).setdefault(param, "raw")
    portal = {}
    for path, params in queries.items():
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if not match.view_name.startswith(("admin:", "api:")) and params:
            portal[path] = params
    return portal


def api_queries() -> dict[str, dict[str, str]]:
    """{path: {parameter: kind}} from the query parameters in the OpenAPI schema."""
    schema = ScopeFreeSchemaGenerator().get_schema(request=None, public=True)
    queries = {}
    for path, operations in schema["paths"].items():
        params = {}
        for param in operations.get("get", {}).get("parameters", []):
            if param["in"] != "query":
                continue
            spec = param["schema"]
            if "enum" in spec or spec.get("type") == "boolean":
                params[param["name"]] = "choice"
            elif spec.get("format") in ("date", "date-time"):
                params[param["name"]] = "date"
            elif spec.get("type") == "integer":
                params[param["name"]] = "id"
            else:
                params[param["name"]] = "text"
        if params and "{" not in path:
            queries[path] = params
    return queries


def by_kind(params):
    kinds: dict[str, list[str]] = {}
    for name, kind in params.items():
        kinds.setdefault("cursor" if name in CURSOR_PARAMS else kind, []).append(name)
    return kinds


# Values a parameter may accept, and go on to use: each on its own, so that
# another parameter refusing its value does not keep this one from being used.
USED_AFTER_CHECKS = ("text", "cursor")


def odd_queries(params):
    """(what, query) for each request: for a search term or a cursor, each odd
    value in every such parameter at once; the other parameters (ids, choices,
    dates) refuse all their odd values, so they get them together, in turns."""
    kinds = by_kind(params)
    for kind in USED_AFTER_CHECKS:
        for value in VALUES[kind] if kind in kinds else ():
            yield f"{kind} {value[:40]!r}", dict.fromkeys(kinds[kind], value)
    others = {kind: names for kind, names in kinds.items() if kind not in USED_AFTER_CHECKS}
    for turn in range(max((len(VALUES[kind]) for kind in others), default=0)):
        yield (
            f"odd ids, choices and dates (turn {turn})",
            {
                name: VALUES[kind][turn % len(VALUES[kind])]
                for kind, names in others.items()
                for name in names
            },
        )


def test_odd_query_values_on_every_page_are_refused_cleanly(db):
    world = create_hostile_world()
    browser = world.sign_in()
    queries = page_queries(world, browser)
    for url, params in queries.items():
        for what, query in odd_queries(params):
            response = browser.get(url, query, follow=True)
            where = f"GET {url} with {what} in {sorted(query)}"
            # An id that names nothing may be a 404 (a resident to register for).
            allowed = (200, 400) if what.startswith("text") else (200, 400, 404)
            assert response.status_code in allowed, f"{where}: {response.status_code}"
            assert_escaped(where, response)
    found = {resolve(url).view_name: set(params) for url, params in queries.items()}
    assert {"q", "received_from", "na", "area", "channel"} <= found["intake:inbox"]
    assert {"q"} <= found["intake:resident_search"]
    assert {"resident_q", "date_from", "resident", "na"} <= found["audit:log"]
    assert {"team", "inactive"} <= found["teams:membership_list"]
    assert {"inwoner", "life_domains", "date_of_birth"} <= found["intake:triage_preview"]


def test_odd_query_values_on_every_endpoint_are_refused_cleanly(db):
    world = create_hostile_world()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    queries = api_queries()
    for url, params in queries.items():
        for what, query in odd_queries(params):
            response = api.get(url, query)
            where = f"GET {url} with {what} in {sorted(query)}"
            assert response.status_code in (200, 400), f"{where}: {response.status_code}"
            body = response.json()
            if response.status_code == 400:
                assert set(body) & set(query) or "detail" in body, f"{where}: {body}"
            elif what.startswith("text") and set(query.values()) & WILDCARDS and "results" in body:
                assert body["results"] == [], f"{where} found {body['results']}"
    assert {"q", "cursor", "received_from", "team"} <= set(queries["/api/v1/questions/"])
    assert {"q", "bsn"} <= set(queries["/api/v1/residents/"])


def test_an_id_in_the_path_that_names_nothing_is_a_404(db):
    """A negative id does not match a URL; one beyond a bigint is no row."""
    world = create_hostile_world()
    browser = world.sign_in()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    checked = []
    for name, kwargs, _callback in iter_urls():
        if not kwargs or name.split(":")[0] == "admin" or name == "accounts:password_reset_confirm":
            continue
        url = reverse(name, kwargs=dict.fromkeys(kwargs, HUGE_ID))
        response = (api if name.startswith("api:") else browser).get(url)
        assert response.status_code in (404, 405), f"GET {url} ({name}): {response.status_code}"
        checked.append(name)
    assert {"intake:resident_detail", "api:question-detail", "audit:resident_overview"} <= set(
        checked
    )
