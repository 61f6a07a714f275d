"""The processes test_faults.py kills: each scenario does its work against the database
named by DATABASE_URL, says how far it got on standard output (one line a step, flushed),
and, where the test kills it, stops in the middle of a write and waits to be killed.

    python -m tests.quality.fault_child write       # killed inside activity_record
    python -m tests.quality.fault_child sweep       # the queued sweep task, killed while
                                                    # its e-mails go out
    python -m tests.quality.fault_child sweep-retry # the task again, as django-q retries it

Not a test module; run by test_faults.py with DJANGO_SETTINGS_MODULE set to the test
settings and DATABASE_URL to a database the test made.
"""

import datetime as dt
import json
import os
import sys
import time

HOLD_SECONDS = 60  # far longer than any test waits: the test kills us first


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hold(why: str) -> None:
    say(f"HOLDING {why}")
    time.sleep(HOLD_SECONDS)
    say("NOT KILLED")
    sys.exit(3)


def setup() -> None:
    import django

    django.setup()


def cast(today: dt.date, organisations: int = 1):
    """The Leicester compact, public bodies each with an officer and an administrator
    (who get e-mails), and a charity they owe things to."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from localcompact.compacts.loader import read_definition
    from localcompact.compacts.services import compact_load
    from localcompact.organisations.models import Membership, Organisation, Role

    compact_load(
        definition=read_definition(settings.COMPACT_DEFINITIONS_DIR / "leicester.yaml"),
        now=timezone.now() - dt.timedelta(days=60),
    )
    users = get_user_model().objects
    bodies = []
    for n in range(organisations):
        body = Organisation.objects.create(name=f"Fault Council {n}", slug=f"fault-council-{n}")
        for role in (Role.OFFICER, Role.ADMINISTRATOR):
            user = users.create_user(f"fault-{n}-{role}", email=f"{role}{n}@fault.example.org")
            Membership.objects.create(user=user, organisation=body, role=role)
        bodies.append(body)
    charity = Organisation.objects.create(name="Fault Charity", slug="fault-charity", sector="vcs")
    return bodies, charity


def record(body, charity, *, title: str, today: dt.date, start_on: dt.date):
    from localcompact.compacts.models import Compact
    from localcompact.obligations.services import activity_record

    version = Compact.objects.get(slug="leicester").current_version
    return activity_record(
        organisation=body,
        standard=version.standards.get(ident="consultation-feedback"),
        title=title,
        description="",
        start_on=start_on,
        end_on=None,
        agreed_due_on=None,
        owed_to=[charity],
        owed_to_label="",
        by=body.memberships.first().user,
        today=today,
    )


def write() -> None:
    """One activity recorded and acknowledged, then a second killed mid-transaction,
    after its activity, links, obligation and events were written."""
    from django.utils import timezone

    from localcompact.obligations import services

    today = timezone.localdate()
    [body], charity = cast(today)
    done = record(body, charity, title="Acknowledged", today=today, start_on=today)
    say(f"ACK {done.pk}")

    real_sync = services.obligations_sync

    def sync_then_hold(**kwargs):
        made = real_sync(**kwargs)
        hold(f"activity {kwargs['source'].pk} with {len(made)} obligations, uncommitted")

    services.obligations_sync = sync_then_hold
    record(body, charity, title="Interrupted", today=today, start_on=today)


class LoggingBackend:
    """An e-mail backend that writes one line per message to FAULT_MAIL_LOG (flushed and
    synced to disk before it returns: what the test reads is what was 'sent'), and holds
    after FAULT_HOLD_AFTER messages, to be killed in the middle of sending."""

    def __init__(self, fail_silently=False, **kwargs):
        pass

    def open(self):
        return False

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_messages(self, messages):
        path = os.environ["FAULT_MAIL_LOG"]
        for message in messages:
            with open(path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
                log.flush()
                os.fsync(log.fileno())
            with open(path, encoding="utf-8") as log:
                sent = sum(1 for _ in log)
            if sent == int(os.environ.get("FAULT_HOLD_AFTER", "0")):
                hold(f"after {sent} e-mails")
        return len(messages)


def _use_logging_backend() -> None:
    from django.conf import settings

    from localcompact.obligations import reminders

    settings.EMAIL_BACKEND = "tests.quality.fault_child.LoggingBackend"
    reminders.SEND_BATCH = int(os.environ.get("FAULT_SEND_BATCH", reminders.SEND_BATCH))


def sweep() -> None:
    """Seed obligations that are missed today, queue the daily sweep as django-q does,
    take it from the queue as a worker does, and run it: held (to be killed) after the
    first e-mail."""
    from django.utils import timezone
    from django_q.brokers import get_broker
    from django_q.conf import Conf
    from django_q.signing import SignedPackage
    from django_q.tasks import async_task

    from localcompact.obligations.tasks import SWEEP_FUNC

    _use_logging_backend()
    today = timezone.localdate()
    bodies, charity = cast(today, organisations=3)
    for body in bodies:
        for n in range(2):
            record(
                body,
                charity,
                title=f"Decision {n}",
                today=today - dt.timedelta(days=40),
                start_on=today - dt.timedelta(days=30),
            )
    Conf.RETRY = 2  # a short retry period, so the test need not wait 15 minutes
    task_id = async_task(SWEEP_FUNC)
    say(f"QUEUED {task_id}")
    broker = get_broker()
    [(ack_id, payload)] = broker.dequeue()
    task = SignedPackage.loads(payload)
    say(f"TAKEN {task['id']}")
    module, name = task["func"].rsplit(".", 1)
    getattr(__import__(module, fromlist=[name]), name)()
    say("FINISHED")  # only if FAULT_HOLD_AFTER was not reached


def sweep_retry() -> None:
    """Wait for the killed worker's task to come back to the queue, run it, acknowledge
    it; print what the database holds."""
    from django.db.models import Count
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    from localcompact.obligations.models import ObligationEvent, Reminder
    from localcompact.obligations.tasks import sweep_daily

    _use_logging_backend()
    broker = get_broker()
    deadline = time.monotonic() + 8
    taken = []
    while not taken and time.monotonic() < deadline:
        taken = broker.dequeue() or []
        if not taken:
            time.sleep(0.2)
    if not taken:
        say("NOTHING TO RETRY")
        sys.exit(4)
    [(ack_id, payload)] = taken
    task = SignedPackage.loads(payload)
    say(f"TAKEN {task['id']}")
    result = sweep_daily()
    broker.acknowledge(ack_id)
    events = ObligationEvent.objects.values("obligation_id", "to_status").annotate(n=Count("id"))
    say(
        "RESULT "
        + json.dumps(
            {
                "sweep": {k: v for k, v in result.items() if k != "today"},
                "reminders": dict(
                    Reminder.objects.values_list("state").annotate(n=Count("id")).order_by()
                ),
                "repeated_events": [e for e in events if e["n"] > 1],
                "left_in_queue": broker.queue_size() + broker.lock_size(),
            }
        )
    )


if __name__ == "__main__":
    setup()
    {"write": write, "sweep": sweep, "sweep-retry": sweep_retry}[sys.argv[1]]()
