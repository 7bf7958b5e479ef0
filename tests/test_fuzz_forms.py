"""Every form of every role with hostile values: none may answer with a server error.

Each page below is opened as its role sees it, every form on it is read from the HTML, and it is
sent again with one thing changed at a time: a field empty, 100 000 characters long, with a NUL or
other control characters, of the wrong type, with the id of somebody else's object, twice, or
missing; a formset's counts absurd or negative; a file empty, junk or badly named; the form's
address with another object's id. Every request runs in a transaction that is rolled back, with
the cookies put back after it, so that each starts from the same world and the order of the cases
does not matter. The choice of cases is fixed by a seed, and bounded per page.

A server error whose exception is that of a defect another change is fixing (KNOWN_DEFECTS) does
not fail its page's test; one case of it runs on its own as an expected failure that must fail,
so that the entry goes when the defect does."""

import random
import sys
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications.models import Application, ApplicationSchool
from laeringsmiljo.models import GovernorOffice, Municipality, School
from selection.models import Criterion, LetterTemplate
from tests.applications.factories import pdf_bytes
from tests.signin import sign_in
from tests.world import build_world

SEED = 20200421  # the kick-off gathering of pulje 5
CASES_PER_PAGE = 30

TEXT = [
    ("tom", ""),
    ("100k", "x" * 100_000),
    ("nul", "før\x00etter"),
    ("kontrolltegn", "a\x0bb\x1bc\x7fd\x08e"),
    ("retningstegn", "\u202eabc\u200b\ufeff"),
    ("html", "<script>alert(1)</script>"),
]
TYPES = [
    ("negativt", "-1"),
    ("null", "0"),
    ("30 siffer", "9" * 30),
    ("desimal", "1.5"),
    ("bokstaver", "abc"),
    ("1e309", "1e309"),
    ("arabiske siffer", "\u0661\u0662"),
    ("30. februar", "2020-02-30"),
    ("år 0", "0000-01-01"),
    ("mellomrom", " 1 "),
]
COUNTS = [
    ("negativt antall", "-1"),
    ("million", "1000000"),
    ("2^31", "2147483648"),
    ("tekst som antall", "abc"),
    ("tomt antall", ""),
]
FILES = [
    ("tom fil", lambda: SimpleUploadedFile("tom.pdf", b"")),
    ("søppel", lambda: SimpleUploadedFile("plan.pdf", bytes(range(256)) * 400)),
    ("nul i navnet", lambda: SimpleUploadedFile("a\x00b.pdf", pdf_bytes())),
    ("langt navn", lambda: SimpleUploadedFile("n" * 3000 + ".pdf", pdf_bytes())),
    ("sti i navnet", lambda: SimpleUploadedFile("../../etc/passwd.csv", b"a;b\r\n")),
    ("tekst i stedet for fil", lambda: "ikke en fil"),
]
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
# Forms of every page's header: logging out ends the session and is left alone; the language
# switch is sent on one page only.
LOGOUT = {"/konto/logg-ut/", "/admin/logout/"}
LANGUAGE = "/sprak/"
LANGUAGE_PAGE = "kommunens-side"

# What the exception says -> (the defect, and a case that shows it: page, field, case).
KNOWN_DEFECTS = {}


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list = field(default_factory=list)  # (name, kind, value, options)
    buttons: list = field(default_factory=list)  # (name, value)

    def base(self):
        """What the browser would send: every field as the page fills it, the first button."""
        data = {}
        for name, kind, value, options in self.fields:
            if kind in ("checkbox", "radio"):
                if value is not None:
                    data.setdefault(name, []).append(value)
                continue
            if kind == "select" and not value:
                value = [next((o for o in options if o), "")]
            data.setdefault(name, []).extend(value if isinstance(value, list) else [value])
        if self.buttons:
            name, value = self.buttons[0]
            data.setdefault(name, [value])
        return data

    def options(self, name):
        return [o for n, _k, _v, opts in self.fields if n == name for o in opts]


class FormParser(HTMLParser):
    """The forms of a page, with their fields, as a browser would send them."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.form = page, [], None
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(
                method=(attrs.get("method") or "get").lower(),
                action=urljoin(self.page, attrs.get("action") or self.page),
                enctype=attrs.get("enctype") or "",
            )
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self.form.buttons.append((name, attrs.get("value", "")))
            elif kind in ("checkbox", "radio"):
                checked = attrs.get("value", "on") if "checked" in attrs else None
                self.form.fields.append((name, kind, checked, [attrs.get("value", "on")]))
            else:
                self.form.fields.append((name, kind, attrs.get("value", ""), []))
        elif tag == "button" and name:
            self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select = [name, "select", [], []]
            self.multiple = "multiple" in attrs
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select[3].append(value)
            if "selected" in attrs:
                self.select[2].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, "textarea", "", []]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            name, kind, selected, options = self.select
            if not self.multiple:
                selected = selected[:1]
            self.form.fields.append((name, kind, selected, options))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, kind, text, options = self.textarea
            self.form.fields.append((name, kind, text.lstrip("\n"), options))
            self.textarea = None


def forms_of(path, html, *, language=False):
    """The forms of the page at `path`, without the header's (the language switch if asked)."""
    parser = FormParser(path)
    parser.feed(html)
    skipped = LOGOUT if language else {*LOGOUT, LANGUAGE}
    return [f for f in parser.forms if urlsplit(f.action).path not in skipped]


def _file_for(form):
    """A file the form takes: a PDF attachment, or a spreadsheet to import."""
    if "/import/" in form.action:
        return SimpleUploadedFile("mobbing.csv", b"Organisasjonsnummer;Skole\r\n")
    return SimpleUploadedFile("plan.pdf", pdf_bytes())


def cases(form, foreign_ids, rng):
    """(form, field, case, data, address) for the form: each field changed in one way at a time,
    the address with other objects' ids, and all fields at once; round-robin over the fields
    so that a bounded number of cases still reaches every field."""
    base = form.base()
    files = {name for name, kind, _v, _o in form.fields if kind == "file"}
    for name in files:
        base[name] = [lambda: _file_for(form)]
    per_field = {}
    for name, _kind, _value, options in form.fields:
        if name in per_field or name == "csrfmiddlewaretoken":
            continue
        choices = []
        if name in files:
            choices = [(label, {**base, name: make}) for label, make in FILES]
        elif name.endswith(MANAGEMENT):
            choices = [(label, {**base, name: [value]}) for label, value in COUNTS]
        else:
            values = [*TEXT, *TYPES, *((f"id {i}", str(i)) for i in foreign_ids)]
            choices = [(label, {**base, name: [value]}) for label, value in values]
            current = base.get(name, [""])
            choices += [
                ("to ganger", {**base, name: [*current, "x"]}),
                ("to ganger, omvendt", {**base, name: ["x", *current]}),
                ("mangler", {k: v for k, v in base.items() if k != name}),
            ]
            if options:
                choices.append(("alle valg", {**base, name: list(options)}))
        # For text: empty, huge and NUL first, then the rest in the seed's order.
        first = 0 if name in files or name.endswith(MANAGEMENT) else 3
        rest = choices[first:]
        rng.shuffle(rest)
        choices = [*choices[:first], *rest]
        per_field[name] = [(form, name, label, data, form.action) for label, data in choices]
    everything = [
        (
            form,
            "alle felt",
            label,
            {k: base[k] if k in files else [value] for k in base},
            form.action,
        )
        for label, value in TEXT[:3]
    ]
    path = urlsplit(form.action).path
    segments = path.split("/")
    addresses = []
    for i, segment in enumerate(segments):
        if segment.isdigit():
            for other in [*rng.sample(foreign_ids, 2), 0, 2**63]:
                changed = "/".join([*segments[:i], str(other), *segments[i + 1 :]])
                addresses.append((form, "adressen", f"id {other}", base, changed))
    queues = [*per_field.values(), everything, addresses]
    ordered = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def _materialize(data):
    """The form data with files made fresh (an uploaded file is read once)."""
    out = {}
    for name, value in data.items():
        if callable(value):
            value = value()
        elif isinstance(value, list):
            value = [v() if callable(v) else v for v in value]
        out[name] = value
    return out


class Recorder:
    """The exception behind the last server error, with its traceback's last lines."""

    def __init__(self):
        self.last = None

    def __call__(self, sender, request=None, **kwargs):
        kind, error, tb = sys.exc_info()
        frames = traceback.extract_tb(tb)[-2:]
        where = "; ".join(f"{f.filename.split('/work/')[-1]}:{f.lineno}" for f in frames)
        self.last = f"{kind.__name__}: {str(error)[:200]} ({where})"


def send(client, form, data, address, recorder):
    """One request in a transaction that is rolled back; the cookies are put back after it."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    recorder.last = None
    try:
        with transaction.atomic():
            payload = _materialize(data)
            if form.method == "post":
                response = client.post(address, payload)
            else:
                response = client.get(address, payload)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response.status_code, recorder.last


def _reset_link(world):
    user = world.users["municipality"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/konto/passord/nullstill/{uid}/{default_token_generator.make_token(user)}/"


def _first_criterion():
    return f"/admin/selection/criterion/{Criterion.objects.order_by('pk').first().pk}/change/"


def _template():
    template = LetterTemplate.objects.filter(kind="invitation").order_by("pk").first()
    return f"/admin/selection/lettertemplate/{template.pk}/change/"


# (page, who, address); the address may be worked out from the world.
PAGES = [
    ("innlogging", None, "/konto/logg-inn/"),
    ("glemt-passord", None, "/konto/passord/nullstill/"),
    ("nytt-passord", None, _reset_link),
    ("kommunens-side", "municipality", "/kommune/"),
    ("soknaden", "municipality", lambda w: f"/soknader/{w.world['draft'].pk}/"),
    *(
        (f"del-{slug}", "municipality", lambda w, s=slug: f"/soknader/{w.world['draft'].pk}/{s}/")
        for slug in ["kontakt", "skoler", "barnehager", "ppt", "forpliktelser", "motivasjon"]
    ),
    ("vedlegg", "municipality", lambda w: f"/soknader/{w.world['draft'].pk}/vedlegg/"),
    ("endre-passord", "municipality", "/konto/passord/endre/"),
    ("trekk", "neighbour", lambda w: f"/soknader/{w.world['ranked'][0].pk}/trekk/"),
    ("kvittering", "neighbour", lambda w: f"/soknader/{w.world['ranked'][0].pk}/kvittering/"),
    ("soknadsliste", "office", "/soknader/"),
    ("gjenapne", "office", lambda w: f"/soknader/{w.world['ranked'][0].pk}/"),
    *(
        (f"import-{kind}", "office", f"/utvelging/grunnlag/import/{kind}/")
        for kind in ["elevundersokelsen", "klagesaker", "tilsyn"]
    ),
    (
        "forhandsvisning",
        "office",
        lambda w: f"/utvelging/grunnlag/import/forhandsvisning/{w.world['pending'].pk}/",
    ),
    (
        "ny-klagesak",
        "office",
        lambda w: f"/utvelging/grunnlag/kommune/{w.municipality.pk}/klagesaker/ny/",
    ),
    (
        "klagesak",
        "office",
        lambda w: (
            f"/utvelging/grunnlag/kommune/{w.municipality.pk}/klagesaker/{w.world['case'].pk}/"
        ),
    ),
    (
        "nytt-tilsyn",
        "office",
        lambda w: f"/utvelging/grunnlag/kommune/{w.municipality.pk}/tilsyn/nytt/",
    ),
    (
        "tilsyn",
        "office",
        lambda w: (
            f"/utvelging/grunnlag/kommune/{w.municipality.pk}/tilsyn/{w.world['finding'].pk}/"
        ),
    ),
    ("poeng-puljen", "office", lambda w: f"/utvelging/vurdering/pulje/{w.cohort.pk}/"),
    ("poeng", "office", lambda w: f"/utvelging/vurdering/soknad/{w.world['ranked'][0].pk}/"),
    (
        "poeng-uten-grunnlag",
        "office",
        lambda w: f"/utvelging/vurdering/soknad/{w.world['ranked'][1].pk}/",
    ),
    (
        "invitasjoner",
        "office",
        lambda w: f"/utvelging/pulje/{w.cohort.pk}/embete/{w.office.pk}/invitasjoner/",
    ),
    (
        "rangering",
        "office",
        lambda w: f"/utvelging/pulje/{w.cohort.pk}/embete/{w.office.pk}/rangering/",
    ),
    ("brev-embetet", "office", lambda w: f"/utvelging/pulje/{w.cohort.pk}/brev/"),
    ("bunke", "office", lambda w: f"/utvelging/brev/bunke/{w.world['batch'].pk}/"),
    # The office's section holds the decision forms; the summary above it only links.
    ("utvalget", "udir", lambda w: f"/utvelging/pulje/{w.cohort.pk}/utvalg/?kontor={w.office.pk}"),
    (
        "rangering-udir",
        "udir",
        lambda w: f"/utvelging/pulje/{w.cohort.pk}/embete/{w.world['other_office'].pk}/rangering/",
    ),
    ("brev-udir", "udir", lambda w: f"/utvelging/pulje/{w.cohort.pk}/brev/"),
    ("admin-kriterium", "admin", lambda w: _first_criterion()),
    ("admin-brevmal", "admin", lambda w: _template()),
    ("admin-pulje", "admin", lambda w: f"/admin/laeringsmiljo/cohort/{w.cohort.pk}/change/"),
    (
        "admin-tidsplan",
        "admin",
        lambda w: f"/admin/laeringsmiljo/officeschedule/{w.schedule.pk}/change/",
    ),
    ("admin-ny-bruker", "admin", "/admin/auth/user/add/"),
]


def foreign_ids(world):
    """Ids of objects that belong to others: another office's application and school, another
    office, a municipality elsewhere, and ids nothing has."""
    elsewhere = world.world["sent"][0]
    return sorted(
        {
            elsewhere.pk,
            ApplicationSchool.objects.filter(application=elsewhere).first().pk,
            School.objects.filter(municipality=elsewhere.municipality).first().pk,
            world.world["other_office"].pk,
            Municipality.objects.exclude(county=world.municipality.county).first().pk,
            GovernorOffice.objects.order_by("-pk").first().pk + 1,
            Application.objects.order_by("-pk").first().pk + 1000,
        }
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for all the pages, in a transaction rolled back after the last of them; each
    test's own transaction (the db fixture) is a savepoint inside it."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("fuzz"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def fuzz(world, db):
    recorder = Recorder()
    got_request_exception.connect(recorder)
    yield world, recorder
    got_request_exception.disconnect(recorder)


def _client(world, who):
    client = Client(raise_request_exception=False)
    if who:
        sign_in(client, world.users[who])
    return client


def page_cases(world, page, who, address):
    """The page's address and its cases, the same on every run."""
    client = _client(world, who)
    if callable(address):
        address = address(world)
    response = client.get(address, follow=True)
    assert response.status_code == 200, (page, address, response.status_code)
    path = response.request["PATH_INFO"]
    forms = forms_of(path, response.content.decode(), language=page == LANGUAGE_PAGE)
    assert forms, f"{page}: ingen skjema på {path}"
    rng = random.Random(f"{SEED}:{page}")
    ids = foreign_ids(world)
    queues = [cases(form, ids, rng) for form in forms]
    chosen = []
    while any(queues) and len(chosen) < CASES_PER_PAGE:
        for queue in queues:
            if queue and len(chosen) < CASES_PER_PAGE:
                chosen.append(queue.pop(0))
    return client, chosen


@pytest.mark.parametrize(("page", "who", "address"), PAGES, ids=[p[0] for p in PAGES])
def test_no_form_answers_with_a_server_error(fuzz, page, who, address):
    world, recorder = fuzz
    client, chosen = page_cases(world, page, who, address)
    errors = []
    for form, name, label, data, target in chosen:
        status, error = send(client, form, data, target, recorder)
        if status >= 500 and not any(known in (error or "") for known in KNOWN_DEFECTS):
            errors.append(f"{urlsplit(target).path} {name} ({label}): {status} {error}")
    assert errors == []


def _known(signature):
    reason, case = KNOWN_DEFECTS[signature]
    return pytest.param(signature, case, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize(("signature", "case"), [_known(s) for s in KNOWN_DEFECTS])
def test_a_known_defect_still_gives_a_server_error(fuzz, signature, case):
    """Fails while the defect is there; when it is fixed, this passes, which strict xfail turns
    into a failure: then the entry in KNOWN_DEFECTS goes."""
    world, recorder = fuzz
    page, field_name, label = case
    _page, who, address = next(p for p in PAGES if p[0] == page)
    client = _client(world, who)
    address = address(world) if callable(address) else address
    response = client.get(address, follow=True)
    path = response.request["PATH_INFO"]
    rng = random.Random(f"{SEED}:{page}")
    ids = foreign_ids(world)
    for form in forms_of(path, response.content.decode(), language=page == LANGUAGE_PAGE):
        for form_, name, case_label, data, target in cases(form, ids, rng):
            if (name, case_label) == (field_name, label):
                status, error = send(client, form_, data, target, recorder)
                assert status < 500, error
                return
    pytest.fail(f"fant ikke tilfellet {case}")
