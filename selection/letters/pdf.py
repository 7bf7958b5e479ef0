"""HTML to tagged PDF with WeasyPrint, with one font configuration per worker process."""

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _letter_css():
    from weasyprint import CSS

    return CSS(
        filename=str(settings.BASE_DIR / "templates" / "letters" / "letter.css"),
        font_config=_font_config(),
    )


def render_pdf(html):
    """A PDF/UA-1 document (tagged, with its language and title) from the letter's HTML, and
    its number of pages as laid out, so that nobody has to parse the PDF again to count them."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_letter_css()], font_config=_font_config(), pdf_variant="pdf/ua-1"
    )
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


def html_to_pdf(html):
    """The PDF alone; see render_pdf."""
    return render_pdf(html)[0]
