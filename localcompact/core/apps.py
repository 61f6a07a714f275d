from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "localcompact.core"
    verbose_name = "Core pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins, failed sign-ins and sign-outs go to the audit log. These receivers
        # only write a log line; they change nothing.
        from django.contrib.auth import signals

        from . import logging as audit

        signals.user_logged_in.connect(
            audit.log_user_logged_in, dispatch_uid="localcompact.audit.logged_in"
        )
        signals.user_login_failed.connect(
            audit.log_user_login_failed, dispatch_uid="localcompact.audit.login_failed"
        )
        signals.user_logged_out.connect(
            audit.log_user_logged_out, dispatch_uid="localcompact.audit.logged_out"
        )
