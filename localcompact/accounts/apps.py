from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "localcompact.accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # At every sign-in: start the session's clocks and decide whether the user must
        # set up two-factor authentication. These receivers only write to the session.
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals

        from . import middleware

        signals.user_logged_in.connect(
            middleware.on_signed_in, dispatch_uid="localcompact.accounts.signed_in"
        )
        mfa_signals.authenticator_added.connect(
            middleware.on_authenticators_changed, dispatch_uid="localcompact.accounts.mfa_added"
        )
        mfa_signals.authenticator_removed.connect(
            middleware.on_authenticators_changed, dispatch_uid="localcompact.accounts.mfa_removed"
        )
