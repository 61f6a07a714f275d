"""The load mix for bench/load_bench.py (locust; see that script, which runs it).

Visitors browse the public pages (the compacts, the register, consultations);
respondents answer an open consultation anonymously (the form, then the answer sent);
officers look at their organisation's obligations.
Every request is named after its page, so locust's figures come page by page. The bare
page (`/accessibility/`: the site's layout around a little static text, no query but
the session's) is requested in the same run, as the yardstick for the others.

The data the requests need (organisation slugs, words to search, open consultations,
officers' session cookies) is in the JSON file named by LOAD_BENCH_DATA, written by load_bench.py.

Random choices here pick pages to visit, not secrets (S311 is off for this file).
"""

# ruff: noqa: S311
import json
import os
import random
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["LOAD_BENCH_DATA"], encoding="utf-8") as _file:
    DATA = json.load(_file)

WAIT = [float(x) for x in os.environ.get("LOAD_BENCH_WAIT", "0.5,1.5").split(",")]


def _get(user, url: str, name: str) -> None:
    with user.client.get(url, name=name, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} for {url}")
        elif b"</html>" not in (response.content or b"") and name != "register CSV":
            response.failure(f"incomplete page for {url}")


class Visitor(FastHttpUser):
    """Someone not signed in, browsing the compacts and the register."""

    weight = 4
    wait_time = between(*WAIT)

    @task(3)
    def bare(self):
        _get(self, "/accessibility/", "bare page (same layout)")

    @task(3)
    def home(self):
        _get(self, "/", "home")

    @task(2)
    def compacts(self):
        _get(self, "/compacts/", "compacts")

    @task(3)
    def compact(self):
        _get(self, f"/compacts/{random.choice(DATA['compacts'])}/", "a compact")

    @task(2)
    def standards(self):
        _get(self, f"/compacts/{random.choice(DATA['compacts'])}/standards/", "its standards")

    @task(3)
    def register(self):
        _get(self, "/register/", "register")

    @task(4)
    def search(self):
        _get(self, f"/register/?q={random.choice(DATA['words'])}", "register search")

    @task(4)
    def organisation(self):
        _get(self, f"/organisations/{random.choice(DATA['slugs'])}/", "an organisation")

    @task(2)
    def compliance(self):
        _get(self, f"/compacts/{DATA['compliance']}/compliance/", "compliance figures")

    @task(2)
    def consultations(self):
        _get(self, "/consultations/", "consultations")

    @task(3)
    def consultation(self):
        _get(self, f"/consultations/{random.choice(DATA['consultations'])}/", "a consultation")


TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Respondent(FastHttpUser):
    """Someone answering an open consultation without signing in: the form, then the
    answer, sent (a write: a response, its receipt code)."""

    weight = 1
    wait_time = between(*WAIT)

    @task
    def respond(self):
        url = f"/consultations/{random.choice(DATA['consultations'])}/respond/anonymous/"
        with self.client.get(url, name="respond: the form", catch_response=True) as response:
            found = TOKEN.search(response.content or b"")
            if response.status_code != 200 or found is None:
                response.failure(f"{response.status_code} (or no form) for {url}")
                return
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": found.group(1).decode(),
                "answer": "A view sent during the load test.",
                "consent_to_publish": "on",
                "action": "send",
            },
            name="respond: send",
            catch_response=True,
        ) as response:
            body = response.content or b""
            if response.status_code != 200 or b"govuk-error-summary" in body:
                response.failure(f"{response.status_code} (or refused) for {url}")


class Officer(FastHttpUser):
    """An officer of a public body, signed in, looking at what it owes."""

    weight = 1
    wait_time = between(*WAIT)

    def on_start(self):
        self.session = random.choice(DATA["officers"])

    def _headers(self):
        return {"Cookie": f"{DATA['cookie_name']}={self.session['cookie']}"}

    @task(3)
    def owing(self):
        url = f"/organisations/{self.session['slug']}/obligations/"
        with self.client.get(
            url, name="officer: what it owes", headers=self._headers(), catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")

    @task(1)
    def bare(self):
        _get(self, "/accessibility/", "bare page (same layout)")
