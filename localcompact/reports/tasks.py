"""Tasks the django-q2 cluster runs for annual reports.

`report_generate_task(report_id)` is queued by `services.report_request` (on commit) and
run by a worker (`manage.py qcluster`). It is idempotent: it generates only a report
that is waiting, so a task run twice, or a report asked for twice, generates once.
"""

from django.utils import timezone

from .services import report_generate


def report_generate_task(report_id: int) -> dict:
    now = timezone.now()
    report = report_generate(report_id=report_id, today=timezone.localdate(now), now=now)
    if report is None:
        return {"report": report_id, "generated": False}
    return {"report": report_id, "generated": True, "year": report.year}
