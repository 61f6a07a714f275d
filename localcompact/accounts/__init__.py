"""Accounts: signing up and in (django-allauth), two-factor authentication, session
time-outs, sign-in throttling (django-axes), and a person's personal data.

Personal data (UK GDPR), for every app that keeps something about a person (a foreign
key to the user, an e-mail address, free text they wrote): connect two receivers in
your ``AppConfig.ready()``, as ``localcompact/obligations/apps.py`` does::

    from django.contrib.auth import get_user_model
    from localcompact.accounts.personal_data import account_erased, personal_data_requested

    personal_data_requested.connect(my_export, sender=get_user_model(), dispatch_uid="myapp.data")
    account_erased.connect(my_erase, sender=get_user_model(), dispatch_uid="myapp.erase")

- ``my_export(sender, *, user, **kwargs) -> dict``: ``{section: list or dict}`` of what
  the app holds about ``user`` (JSON-serialisable; other people's personal data and
  secrets left out). It goes into the file a person downloads from "Your personal data"
  (/accounts/personal-data/). Section names must be unique across apps.
- ``my_erase(sender, *, user, by, now, emails, **kwargs) -> dict[str, int]``: runs inside
  the erasure's transaction (staff carry out a deletion request at
  /accounts/staff/deletion-requests/), before the account is anonymised. Delete or
  blank what is only personal (their contact details, free text they wrote that the
  compact does not need, queued e-mails to them), with your app's history and audit
  rows; keep the records the compact must keep: their foreign keys go on pointing at
  the anonymised account, whose full name is then "a former user", so pages that name
  the person (``user.get_full_name() or user.get_username()``, see
  ``display.person_name``) show that. Return counts for the audit log. Raising rolls
  the whole erasure back. ``emails`` are all the addresses the account had, for
  matching records kept by address.

Details and the erasure itself: ``localcompact/accounts/personal_data.py``.
"""
