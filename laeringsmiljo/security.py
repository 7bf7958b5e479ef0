"""What the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) allows beyond its
rules, one response at a time."""

import base64
import hashlib
import re

STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def allow_own_styles(response, html):
    """Let the browser apply the <style> elements of `html`, and only those, on this response:
    each is named by its SHA-256 in the policy's style-src. For a page the service makes for
    another medium (a letter's HTML, made for the PDF), shown as it is."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in STYLE_ELEMENT.findall(html)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}
    return response
