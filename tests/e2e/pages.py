"""Page helpers: what a person does in the browser (log in, follow a link, switch language) and
what every page must show (one h1, a title, its language, no axe violation, a screenshot)."""

import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.axe import assert_no_axe_violations
from tests.nynorsk import bokmal_words

ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "e2e"
SITE_TITLE = "Læringsmiljøprosjektet"

# A focused element shows it: an outline or a box shadow that is not nothing.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    id: element.id,
    tag: element.tagName.toLowerCase(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def screenshot_path(name, language):
    return ARTEFACTS / f"{name}-{language}.png"


class Site:
    """The service as one person in one browser tab meets it."""

    def __init__(self, page, base_url, *, user_texts=(), people=None):
        self.page = page
        self.base_url = base_url.rstrip("/")
        # Who may log in: a name for each role ("municipality", "office" ...) and its login.
        self.people = people or {}
        # Data typed in or created by the test: it is not checked for untranslated text.
        self.user_texts = set(user_texts)
        self.checked = []

    # Getting around

    def url(self, path):
        return f"{self.base_url}{path}"

    @property
    def path(self):
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def visit(self, path):
        """Open a path as if typed in the address bar; returns the HTTP status."""
        response = self.page.goto(self.url(path))
        return response.status

    def click_link(self, name, *, exact=True):
        """Follow the first link of that name, and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=exact).first.click()

    def click_button(self, name, *, exact=True):
        """Press the button that sends a form, and wait for the page that comes back."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=exact).click()

    def download(self, name, *, exact=True):
        """Follow the first link of that name that gives a file; returns Playwright's Download,
        whose file is complete when this returns."""
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name=name, exact=exact).first.click()
        download = info.value
        assert download.failure() is None, download.failure()
        return download

    def login(self, username, password):
        """Log in through the login page; lands on the start page of the user's role."""
        self.visit("/konto/logg-inn/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        with self.page.expect_navigation():
            self.page.locator("main form[action$='/logg-inn/'] button[type=submit]").click()
        assert self.path != "/konto/logg-inn/", self.alerts()
        self.pass_second_factor(username)

    def pass_second_factor(self, username):
        """Staff give the code from the app after the password: the first time they set it up
        from the key on the page and are shown their recovery codes."""
        from django.contrib.auth import get_user_model

        from tests.signin import code_for, code_from_key

        path = urlsplit(self.page.url).path
        if path == "/konto/kode/sett-opp/":
            key = self.page.locator("code.manual-key").inner_text()
            self.page.locator("#id_code").fill(code_from_key(key))
            with self.page.expect_navigation():
                self.page.locator("main form:has(#id_code) button[type=submit]").click()
            assert urlsplit(self.page.url).path == "/konto/kode/gjenopprettingskoder/", (
                self.alerts()
            )
            with self.page.expect_navigation():
                self.page.locator("main a.btn-primary").click()
        elif path == "/konto/kode/":
            user = get_user_model().objects.get(username=username)
            self.page.locator("#id_code").fill(code_for(user))
            with self.page.expect_navigation():
                self.page.locator("main form:has(#id_code) button[type=submit]").click()
            assert urlsplit(self.page.url).path != "/konto/kode/", self.alerts()

    def log_in_as(self, who):
        """Log in as one of the people, by the name of their part: "municipality", "office" ..."""
        self.login(*self.people[who])

    def logout(self):
        """Log out through the button in the header, whatever the language."""
        with self.page.expect_navigation():
            self.page.locator("header form[action$='/logg-ut/'] button").click()

    def switch_language(self, code):
        """Use the language switch in the header; the user stays on the same page."""
        before = self.path
        self.page.locator("#sprakvalg").select_option(code)
        with self.page.expect_navigation():
            self.page.locator("header form[action$='/sprak/'] button").click()
        assert self.language == code
        assert self.path == before

    # What the page says

    @property
    def language(self):
        return self.page.locator("html").get_attribute("lang")

    def h1(self):
        return self.page.locator("h1").inner_text().strip()

    def alerts(self):
        return [text.strip() for text in self.page.locator(".alert").all_inner_texts()]

    def main_text(self):
        return self.page.locator("main").inner_text()

    def focused(self):
        """The focused element's id and whether its focus can be seen."""
        return self.page.evaluate(FOCUS_STYLE)

    def tab_to(self, target, *, limit=80, backwards=False):
        """Press Tab (or Shift+Tab) until the target (a CSS selector or a locator) has focus."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        element = locator.element_handle()
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            self.page.keyboard.press(key)
            if element.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{target} fikk ikke fokus etter {limit} trykk på {key}")

    # What every page must satisfy

    def check(self, name):
        """The page meets the rules for every page, and its screenshot is kept.

        One h1, a title of its own, html lang nb or nn, no axe violation of WCAG 2.0/2.1 A and
        AA, and in nynorsk no bokmål-only word outside the user's own data.
        """
        language = self.language
        assert language in ("nb", "nn"), f"{self.page.url}: <html lang={language!r}>"
        assert self.page.locator("h1").count() == 1, f"{self.page.url}: ikke nøyaktig én h1"
        title = self.page.title().strip()
        assert title and not title.startswith("–") and title != SITE_TITLE, (
            f"{self.page.url}: sidens tittel er {title!r}"
        )
        assert_no_axe_violations(self.page)
        if language == "nn":
            found = bokmal_words(self.page.locator("body").inner_text(), ignore=self.user_texts)
            assert found == [], f"{self.page.url}: bokmål på nynorsk side: {found}"
        self.screenshot(name)
        self.checked.append((name, language, self.path))

    def screenshot(self, name):
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=screenshot_path(name, self.language), full_page=True)


def wait_for(condition, *, timeout=60, message="det skjedde ikke"):
    """Poll until condition() is true, for work a task does in the background."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{message} innen {timeout} sekunder")
