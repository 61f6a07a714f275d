"""Forget stored figures (and their PDFs) in a format older than 2: they publish the
disagreement counts without disclosure control. The rows stay; a ready report with no
figures in the current format is generated again on its next view (views._report_for),
and one waiting or being generated gets its new figures from the task."""

from django.db import migrations

CURRENT = 2  # reports.selectors.FORMAT when this migration was written


def forget_old_figures(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    stale = [
        pk
        for pk, figures in AnnualReport.objects.values_list("pk", "figures").iterator()
        if figures and figures.get("format") != CURRENT
    ]
    AnnualReport.objects.filter(pk__in=stale).update(
        figures={}, pdf=None, pdf_generated_at=None, as_of=None
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forget_old_figures, migrations.RunPython.noop)]
