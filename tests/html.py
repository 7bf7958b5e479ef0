"""What a page shows, read from its HTML: its title and the text of its tables, cell by cell,
without the forms inside the cells (their labels and typed values are not what the table
shows)."""

from html.parser import HTMLParser

SKIPPED = {"form", "details", "script", "style", "caption"}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = []
        self.title = None
        self._in_title = False
        self._skipping = 0
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skipping += 1
        elif tag == "title" and self.title is None:
            # The page's own title; an SVG chart's <title> names only the chart.
            self._in_title = True
            self.title = ""
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self._cell = []
            self.tables[-1][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skipping -= 1
        elif tag == "title" and self._in_title:
            self._in_title = False
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        text = " ".join(data.split())
        if self._cell is not None and not self._skipping and text:
            self._cell.append(text)


def tables(html):
    """Every table of the page: a list of rows, each a list of cells, each the list of the
    cell's text pieces (one per text node) with spaces normalised."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def title(html):
    """The page's <title>, with spaces normalised."""
    parser = _Tables()
    parser.feed(html)
    return " ".join((parser.title or "").split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
# What a reader meets besides the text: names read aloud and hints shown.
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _TextInLanguage(HTMLParser):
    def __init__(self, language):
        super().__init__()
        self.language = language
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            self.handle_startendtag(tag, attrs)
            return
        if self.skipping:
            self.skipping += 1
            return
        lang = dict(attrs).get("lang")
        if tag in ("script", "style") or (lang and lang != self.language):
            self.skipping = 1
            return
        self.parts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self.parts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag not in VOID and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_in_language(html, language):
    """What a reader meets on the page (text, and the names and hints read aloud) outside the
    parts marked as another language (lang="nb" on a nynorsk page)."""
    parser = _TextInLanguage(language)
    parser.feed(html)
    return " ".join(parser.parts)


class _TableRegions(HTMLParser):
    def __init__(self):
        super().__init__()
        self.previous = None
        self.unwrapped = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            region = self.previous or {}
            if not (
                "table-responsive" in (region.get("class") or "").split()
                and region.get("role") == "region"
                and region.get("tabindex") == "0"
                and (region.get("aria-label") or "").strip()
            ):
                self.unwrapped.append(attrs.get("class", ""))
        self.previous = attrs if tag == "div" else None


def tables_outside_scroll_regions(html):
    """The tables (by class) that are not the first thing in a labelled scroll region that the
    keyboard reaches: <div class="table-responsive" role="region" tabindex="0" aria-label=…>."""
    parser = _TableRegions()
    parser.feed(html)
    return parser.unwrapped
