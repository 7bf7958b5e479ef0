"""What axe does not see, on every main page of every role (found by following the links each
person sees): form fields whose edge has 3:1 contrast against what surrounds them (WCAG 2.1
1.4.11), and pages that do not scroll sideways on a 320 px wide screen (1.4.10), with wide
tables in scroll regions that the keyboard reaches (axe run at that width)."""

import pytest
from django.test import Client

from tests.crawl import build_world, crawl_every_role
from tests.e2e.axe import axe_violations, describe_violations
from tests.e2e.cohort import PASSWORD

pytestmark = pytest.mark.e2e

# The contrast of each visible, enabled form field's border against the first background
# behind it, as WCAG computes relative luminance.
FIELD_CONTRAST = """() => {
  const parse = (colour) => {
    const parts = colour.match(/[\\d.]+/g);
    if (!parts) return null;
    const [r, g, b, a] = parts.map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  };
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (x, y) => {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
  };
  const behind = (element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour && colour.a > 0) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const fields = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea"
  );
  const found = [];
  for (const field of fields) {
    const style = getComputedStyle(field);
    if (field.disabled || style.visibility === "hidden" || field.getClientRects().length === 0) {
      continue;
    }
    const border = parse(style.borderTopColor);
    const width = parseFloat(style.borderTopWidth);
    const contrast = border && border.a > 0 && width > 0 ? ratio(border, behind(field)) : 0;
    found.push({ field: field.id || field.name, border: style.borderTopColor, contrast });
  }
  return found;
}"""

# What sticks out to the right of the page, outside the scroll regions.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    (e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-responsive")
  );
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    wide: wide.slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + (e.className ? "." + String(e.className).split(" ").join(".") : "")),
  };
}"""


@pytest.fixture
def scenario(transactional_db):
    return build_world()


def main_pages(scenario):
    """Every page of the crawl once, with the first person who reaches it: [(who, path)]."""
    pages, seen = [], set()
    for who, path in crawl_every_role(Client(), scenario, "nb"):
        if path not in seen:
            seen.add(path)
            pages.append((who, path))
    return pages


def visit_as_each(site, scenario, width=None):
    """Visit every main page signed in as the person who reaches it; yields each path."""
    pages = sorted(main_pages(scenario), key=lambda page: str(page[0]))
    site.people["no_role"] = (scenario.users["no_role"].username, PASSWORD)
    if width:
        site.page.set_viewport_size({"width": width, "height": 900})
    current = object()
    for who, path in pages:
        if who != current:
            site.page.context.clear_cookies()
            if who:
                site.log_in_as(who)
            current = who
        assert site.visit(path) == 200, path
        yield path


def test_every_form_field_edge_has_3_to_1_contrast(site, scenario):
    faint, checked = {}, 0
    for path in visit_as_each(site, scenario):
        for field in site.page.evaluate(FIELD_CONTRAST):
            checked += 1
            if field["contrast"] < 3:
                faint.setdefault(path, []).append(
                    f"{field['field']} {field['border']} {field['contrast']:.2f}:1"
                )
    assert faint == {}, "skjemafelt med for svak kant:\n" + "\n".join(
        f"{path}: {', '.join(fields)}" for path, fields in sorted(faint.items())
    )
    assert checked > 100


def test_no_main_page_scrolls_sideways_at_320_px(site, scenario):
    sideways, broken = {}, {}
    for path in visit_as_each(site, scenario, width=320):
        overflow = site.page.evaluate(OVERFLOW)
        if overflow["scrollWidth"] > overflow["clientWidth"]:
            sideways[path] = overflow
        violations = axe_violations(site.page)
        if violations:
            broken[path] = describe_violations(violations)
    assert sideways == {}, "sider som ruller sidelengs ved 320 px:\n" + "\n".join(
        f"{path}: {o['scrollWidth']} > {o['clientWidth']} ({', '.join(o['wide'])})"
        for path, o in sorted(sideways.items())
    )
    assert broken == {}, "\n".join(f"{path}:\n{text}" for path, text in sorted(broken.items()))
