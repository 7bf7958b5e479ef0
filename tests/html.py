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
        elif tag == "title":
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
        elif tag == "title":
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
