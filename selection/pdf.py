"""HTML to tagged PDF with WeasyPrint, with one font configuration per worker process."""

import io
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


def html_to_pdf(html):
    """A PDF/UA-1 document (tagged, with its language and title) from the letter's HTML."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_letter_css()],
        font_config=_font_config(),
        pdf_variant="pdf/ua-1",
    )


def page_count(pdf_bytes):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)
