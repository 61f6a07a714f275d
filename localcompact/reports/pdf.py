"""The report as PDF (WeasyPrint): the same sections, charts and tables as the HTML page,
laid out for A4 by the print stylesheet `static/reports/print.css`."""

from pathlib import Path

from django.template.loader import render_to_string

from .presentation import report_context

PRINT_CSS = Path(__file__).parent / "static" / "reports" / "print.css"


def report_pdf_document(figures: dict):
    """The laid-out document (WeasyPrint's pages), before it is written as PDF."""
    from weasyprint import CSS, HTML

    html = render_to_string("reports/report_pdf.html", report_context(figures))
    return HTML(string=html, base_url=str(PRINT_CSS.parent)).render(
        stylesheets=[CSS(filename=str(PRINT_CSS))]
    )


def report_pdf_bytes(figures: dict) -> bytes:
    # Whole fonts, not subsets: subsetting was a quarter of the time (bench/README.md).
    return report_pdf_document(figures).write_pdf(full_fonts=True)


def document_text(document) -> list[str]:
    """The text laid out on each page (for checking the PDF says what the page says)."""
    from weasyprint.formatting_structure.boxes import TextBox

    pages = []
    for page in document.pages:
        words = [box.text for box in page._page_box.descendants() if isinstance(box, TextBox)]
        pages.append(" ".join(words))
    return pages
