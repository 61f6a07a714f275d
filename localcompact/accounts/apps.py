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
        self.connect_personal_data()

    def connect_personal_data(self) -> None:
        """The personal-data hooks of accounts itself and of organisations (which has
        no ready() of its own yet; other apps connect theirs in their own ready())."""
        from django.contrib.auth import get_user_model

        from localcompact.organisations import services as organisations

        from . import personal_data as data

        user = get_user_model()
        for signal, receiver, uid in (
            (data.personal_data_requested, data.accounts_personal_data, "accounts.personal_data"),
            (data.account_erased, data.accounts_erase, "accounts.erase"),
            (
                data.personal_data_requested,
                organisations.personal_data,
                "organisations.personal_data",
            ),
            (data.account_erased, organisations.personal_data_erase, "organisations.erase"),
        ):
            signal.connect(receiver, sender=user, dispatch_uid=uid)
