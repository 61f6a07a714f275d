"""Demo annual reports: Leicester's for this year and last year, generated from the demo
records the other apps made (the reports app seeds after them), with their PDFs, so
`make run` shows a report at /reports/leicester/<year>/ at once."""

from django.utils import timezone

from .services import report_generate_now


def seed(demo) -> str | None:
    leicester = demo.compact("leicester")
    now = timezone.now()
    years = (demo.today.year, demo.today.year - 1)
    for year in years:
        report_generate_now(compact=leicester, year=year, today=demo.today, now=now, pdf=True)
    return f"Demo annual reports: Leicester {years[1]} and {years[0]}, with their PDFs."
