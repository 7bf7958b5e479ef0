"""Read a form off a rendered page, so that a test posts what the page would post."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action):
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action and not self.found
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        if tag == "option" and self._select is not None:
            self._option(attrs)
            return
        if "name" not in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
                return
            if name != "csrfmiddlewaretoken":
                self.data[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, None)
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def _option(self, attrs):
        # The first option unless one is marked as selected.
        if "selected" in attrs or self.data.get(self._select) is None:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the line break right after <textarea>, as Django writes it.
            text = self.data[self._textarea]
            self.data[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None

    def handle_data(self, data):
        if self.inside and self._textarea is not None:
            self.data[self._textarea] += data


def form_data(html, action):
    """The values the browser would send from the page's form posting to `action`: hidden and
    visible inputs, checked boxes, the chosen option of each select and each textarea's text;
    no buttons (add the one the user presses)."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posts to {action}"
    return {name: value for name, value in reader.data.items() if value is not None}
