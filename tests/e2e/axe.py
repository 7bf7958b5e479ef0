"""axe-core, from the JavaScript that the axe-playwright-python package ships (nothing is fetched
at run time), run for the WCAG 2.0 and 2.1 rules at levels A and AA."""

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, tags=WCAG_TAGS):
    """axe's violations on the page as it is now, for the rules with any of the given tags."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "options => window.axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]},
    )
    return results["violations"]


def describe_violations(violations):
    """One paragraph per rule broken: its id, impact and help, then each element it found."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{', '.join(tag for tag in violation['tags'] if tag.startswith('wcag'))}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert violations == [], (
        f"axe fant brudd på WCAG 2.1 A/AA på {page.url}:\n{describe_violations(violations)}"
    )
