"""HTTP part of the production smoke run (scripts/prod-smoke.sh starts the
processes): walks the portal as people do, through the real pages.

    python scripts/prod_smoke.py http://127.0.0.1:PORT PASSWORD

Standard library only. Every request has a timeout; every wait is bounded.
Exits non-zero with one line naming the step that failed.
"""

import base64
import hashlib
import hmac
import http.cookiejar
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from html.parser import HTMLParser

TIMEOUT = 30  # seconds, per request
KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"
GATE = "vraagverhelderaar@overbetuwe.demo.test"
CONSULTANT = "consulent@overbetuwe.demo.test"
POLICY_ADVISOR = "beleid@overbetuwe.demo.test"


class SmokeError(Exception):
    pass


def step(text):
    print(f"prod-smoke: {text}", flush=True)


def totp(secret_b32: str, at: float | None = None, step_s: int = 30, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1), as authenticator apps compute it."""
    secret = secret_b32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step_s)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


class Forms(HTMLParser):
    """The forms of a page: action, fields with their current values, option
    texts of selects and the text of their submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.option, self.textarea = [], None, None, None, None
        self.button = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {
                "action": a.get("action") or "",
                "method": a.get("method", "get"),
                "fields": {},
                "options": {},
                "buttons": [],
                "checkboxes": {},
            }
            self.forms.append(self.form)
        if self.form is None:
            return
        fields = self.form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.form["checkboxes"].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind != "submit":
                fields[a["name"]] = [a.get("value", "")]
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            fields.setdefault(self.select, [])
            self.form["options"][self.select] = []
        elif tag == "option" and self.select:
            self.option = [a.get("value", ""), ""]
            self.form["options"][self.select].append(self.option)
            if "selected" in a:
                self.form["fields"][self.select] = [self.option[0]]
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            fields[self.textarea] = [""]
        elif tag == "button":
            self.button = ""

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea and self.form:
            self.form["fields"][self.textarea][0] += data
        if self.button is not None:
            self.button += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            if self.form and self.select and not self.form["fields"][self.select]:
                opts = self.form["options"][self.select]
                self.form["fields"][self.select] = [opts[0][0]] if opts else []
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "button" and self.button is not None:
            if self.form:
                self.form["buttons"].append(" ".join(self.button.split()))
            self.button = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = None

    def request(self, path, data=None, headers=None):
        url = urllib.parse.urljoin(self.url or self.base + "/", path)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        if not url.startswith(self.base + "/"):  # only ever the portal under test
            raise SmokeError(f"refusing to follow {url}")
        headers = {"Referer": self.url or url, **(headers or {})}
        req = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310  # nosec B310
        try:
            response = self.opener.open(req, timeout=TIMEOUT)
        except urllib.error.HTTPError as exc:
            raise SmokeError(f"{req.get_method()} {url} answered {exc.code}") from None
        content = response.read()
        self.url = response.geturl()
        return response, content

    def page(self, path):
        response, content = self.request(path)
        return content.decode()

    def submit(self, html, button, values=None, choose=None, tick=()):
        """Post the form holding the button with text `button`, its current
        values updated with `values`; `choose` picks select options by text."""
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            if any(button == b for b in form["buttons"]):
                break
        else:
            raise SmokeError(f"no form with the button {button!r} on {self.url}")
        fields = dict(form["fields"])
        for name, pattern in (choose or {}).items():
            opts = [v for v, text in form["options"].get(name, []) if re.search(pattern, text)]
            if not opts:
                raise SmokeError(f"no option {pattern!r} for {name} on {self.url}")
            fields[name] = [opts[0]]
        for name, value in (values or {}).items():
            fields[name] = value if isinstance(value, list) else [value]
        for name in tick:  # tick the first box of a checkbox list
            if not form["checkboxes"].get(name):
                raise SmokeError(f"no checkbox {name} on {self.url}")
            fields[name] = [form["checkboxes"][name][0]]
        response, content = self.request(form["action"] or self.url, fields)
        return content.decode()


def errors_of(html):
    """The texts of the page's alerts (the error summary of a form)."""
    alerts = re.findall(r'role="alert"[^>]*>(.*?)</div>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", alert).split()) for alert in alerts]


def login(base, email, password):
    browser = Browser(base)
    html = browser.page("/inloggen/")
    html = browser.submit(html, "Inloggen", {"username": email, "password": password})
    if "/tweestapsverificatie/instellen/" in browser.url:
        secret = re.search(r'class="portal-secret">([A-Z2-7 ]+)<', html)
        if not secret:
            raise SmokeError(f"{email}: no secret on the set-up page")
        browser.secret = secret.group(1)
        html = browser.submit(html, "Instellen", {"code": totp(browser.secret)})
    elif "/tweestapsverificatie/" in browser.url:
        raise SmokeError(f"{email}: asked for a code but the smoke run set up no device")
    if "tweestapsverificatie" in browser.url or "/inloggen/" in browser.url:
        raise SmokeError(f"{email}: login did not pass ({browser.url}): {errors_of(html)}")
    return browser


def _button(html, pattern):
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        for b in form["buttons"]:
            if re.search(pattern, b):
                return b
    raise SmokeError(f"no button matching {pattern!r}")


def poll(fetch, what, seconds):
    deadline = time.monotonic() + seconds
    while True:
        result = fetch()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeError(f"{what}: not ready after {seconds} s")
        time.sleep(1)


def main(base, password):
    today = date.today().isoformat()
    anon = Browser(base)
    response, _ = anon.request("/healthz")
    step(f"/healthz answers {response.status}")

    html = anon.page("/inloggen/")
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', html)
    if not css:
        raise SmokeError("the login page links no hashed /static/css/portal.<hash>.css")
    response, _ = anon.request(css.group(1))
    cache = response.headers.get("Cache-Control", "")
    if "max-age=315360000" not in cache or "immutable" not in cache:
        raise SmokeError(f"{css.group(1)}: Cache-Control is {cache!r}, not far-future")
    step(f"static file served with Cache-Control: {cache}")

    gate = login(base, GATE, password)
    step(f"{GATE} logged in with password and TOTP (device set up on the real page)")
    html = gate.page("/intake/vragen/nieuw/")
    html = gate.submit(
        html,
        "Vraag registreren",
        {
            "surname": "Smoketest",
            "first_names": "Sam",
            "channel": "telephone",
            "received_at": time.strftime("%Y-%m-%dT%H:%M"),
            "description": "Productie-rooktest: hulp bij het huishouden.",
            "laws": "wmo",
            "override_reason": "Rooktest: naar het kernteam.",
        },
        choose={"override_team": "Kernteam Elst", "area": "Elst"},
        tick=["life_domains"],
    )
    question = re.search(r"/intake/vragen/(\d+)/$", gate.url)
    if not question:
        raise SmokeError(f"question not registered ({gate.url}): {errors_of(html)}")
    step(f"question {question.group(1)} registered")

    member = login(base, KERNTEAM_MEMBER, password)
    step(f"{KERNTEAM_MEMBER} logged in")
    html = member.page(f"/intake/vragen/{question.group(1)}/")
    html = member.submit(html, "Casus starten")
    case = re.search(r"/casussen/(\d+)/$", member.url)
    if not case:
        raise SmokeError(f"no case opened ({member.url}): {errors_of(html)}")
    step(f"case {case.group(1)} opened")
    html = member.page(f"/casussen/{case.group(1)}/voorstellen/nieuw/")
    html = member.submit(
        html,
        "Opslaan",
        {
            "volume": "3",
            "unit": "hours_per_week",
            "start_date": today,
            "motivation": "Rooktest: kan het huishouden niet aan.",
            # A grant has a form of delivery: in kind, by a contracted provider.
            "delivery_form": "zin",
        },
        choose={
            "provision_type": "Hulp bij het huishouden",
            "resident": "Smoketest",
            "provider": "Thuiszorg Betuwe",
        },
    )
    proposal = re.search(r"/casussen/voorstellen/(\d+)/$", member.url)
    if not proposal:
        raise SmokeError(f"proposal not saved ({member.url}): {errors_of(html)}")
    html = member.submit(html, "Indienen bij het loket")
    step(f"proposal {proposal.group(1)} drafted and submitted to the loket")

    consultant = login(base, CONSULTANT, password)
    step(f"{CONSULTANT} logged in")
    html = consultant.page(f"/loket/voorstellen/{proposal.group(1)}/")
    html = consultant.submit(html, "Besluit vastleggen", {"outcome": "granted"})
    decision = re.search(r"/besluiten/(\d+)/$", consultant.url)
    if not decision:
        raise SmokeError(f"no decision recorded ({consultant.url}): {errors_of(html)}")
    step(f"decision {decision.group(1)} granted")

    def letter():
        try:
            response, content = consultant.request(f"/besluiten/{decision.group(1)}/brief/")
        except SmokeError:
            return None
        return content if content.startswith(b"%PDF") else None

    pdf = poll(letter, "decision letter", 90)
    step(f"decision letter built by the worker and downloaded ({len(pdf)} bytes, %PDF)")

    advisor = login(base, POLICY_ADVISOR, password)
    step(f"{POLICY_ADVISOR} logged in")
    html = advisor.page("/rapportages/")
    month = today[:7]
    html = advisor.submit(html, "Aanvragen", {"period_start": month, "period_end": month})
    report = re.search(r"/rapportages/(\d+)/$", advisor.url)
    if not report:
        raise SmokeError(f"no report requested ({advisor.url}): {errors_of(html)}")

    def report_pdf():
        try:
            response, content = advisor.request(f"/rapportages/{report.group(1)}/pdf/")
        except SmokeError:
            return None
        return content if content.startswith(b"%PDF") else None

    pdf = poll(report_pdf, "report PDF", 120)
    step(f"report {report.group(1)} built by the worker and downloaded ({len(pdf)} bytes, %PDF)")

    # Readiness: database, cache, broker and a worker heartbeat (the worker has
    # been up since the letter). Every answer carries a request id for the logs.
    def ready():
        try:
            response, content = anon.request("/readyz", headers={"Accept": "application/json"})
        except SmokeError:
            return None
        return (response, content)

    response, content = poll(ready, "/readyz", 60)
    if not response.headers.get("X-Request-ID"):
        raise SmokeError("/readyz answered without an X-Request-ID header")
    step(f"/readyz answers {response.status}: {content.decode()[:160]}")


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except SmokeError as exc:
        print(f"prod-smoke: FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    print("prod-smoke: all HTTP steps passed")
