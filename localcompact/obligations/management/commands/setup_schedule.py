import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from localcompact.obligations.tasks import SWEEP_FUNC, SWEEP_NAME

RUN_AT = dt.time(6, 0)


def next_run_after(now: dt.datetime, at: dt.time = RUN_AT) -> dt.datetime:
    """The next `at` o'clock in the site's time zone strictly after `now`."""
    local = timezone.localtime(now)
    day = local.date() if local.time() < at else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, at))


class Command(BaseCommand):
    help = (
        "Create or update the django-q2 schedule that runs the obligations sweep daily at "
        "06:00 local time. Idempotent: running it again leaves one schedule. Start a "
        "worker with `manage.py qcluster`."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        next_run = next_run_after(timezone.now())
        schedules = list(Schedule.objects.select_for_update().filter(func=SWEEP_FUNC))
        schedule = schedules[0] if schedules else Schedule(func=SWEEP_FUNC)
        for extra in schedules[1:]:
            extra.delete()
        schedule.name = SWEEP_NAME
        schedule.schedule_type = Schedule.DAILY
        schedule.repeats = -1
        schedule.next_run = next_run
        schedule.save()
        verb = "Updated" if schedules else "Created"
        when = timezone.localtime(next_run).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(f"{verb} schedule {SWEEP_NAME!r}: {SWEEP_FUNC}, daily, next run {when}")
