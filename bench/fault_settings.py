"""Settings for bench/fault_bench.py's gunicorn and task worker: the load bench's (the
test settings with DEBUG off and cookies over plain HTTP), with e-mail written to files
in FAULT_BENCH_MAIL_DIR (one file per connection, read by the bench after the worker was
killed), paced by FAULT_BENCH_MAIL_PAUSE seconds a message as a mail server would be,
and a short django-q retry period (FAULT_BENCH_Q_RETRY seconds, instead of 15 minutes)
so a killed worker's task comes back within the run."""

import os

from load_settings import *  # noqa: F403

EMAIL_BACKEND = "fault_bench.PacedFileBackend"
EMAIL_FILE_PATH = os.environ.get("FAULT_BENCH_MAIL_DIR", "")

_retry = int(os.environ.get("FAULT_BENCH_Q_RETRY", "20"))
Q_CLUSTER = {**Q_CLUSTER, "retry": _retry, "timeout": _retry - 5, "poll": 0.2}  # noqa: F405
