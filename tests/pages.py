"""Every page of the portal, filled in with the objects of the `everything`
fixture (`tests/conftest.py`): shared by the walks over all pages (the security
headers in `tests/core/test_security.py`, the page structure in
`tests/core/test_page_structure.py`).

Like `tests/test_tenancy_urls.py`, whose helpers it uses, this needs no update
when a later issue adds pages: a URL kwarg `pk` belongs to the view's model,
`<name>_pk` to the scoped model called <name>, and every municipality-owned
model has a factory in `tests/factories.py`.
"""

from django.urls import reverse

from tests.test_tenancy_urls import iter_urls, model_by_name, model_of_view

# Pages that are not the portal's own: Django's admin and the API's documentation.
NOT_OURS = {"api:docs", "api:redoc"}


def every_url(objects, municipality):
    """(URL name, path) of every page whose URL can be filled in with `objects`;
    a URL with another kind of argument (a token, a file name) is left out."""
    for name, kwargs, callback in iter_urls():
        if name.startswith("admin:") or name in NOT_OURS:
            continue
        values = {}
        for kwarg in kwargs:
            if kwarg == "pk":
                model = model_of_view(callback, municipality)
            elif kwarg.endswith("_pk"):
                model = model_by_name(kwarg[: -len("_pk")])
            else:
                values = None
                break
            values[kwarg] = objects[model].pk
        if values is not None:
            yield name, reverse(name, kwargs=values)


def is_html_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")
