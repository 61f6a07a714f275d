from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "localcompact.partnerships"
    verbose_name = "Partnership groups and meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A person's data, downloaded or erased (localcompact.accounts.personal_data).
        from django.contrib.auth import get_user_model

        from localcompact.accounts.personal_data import account_erased, personal_data_requested

        from . import personal_data

        user = get_user_model()
        personal_data_requested.connect(
            personal_data.personal_data, sender=user, dispatch_uid="partnerships.personal_data"
        )
        account_erased.connect(
            personal_data.personal_data_erase, sender=user, dispatch_uid="partnerships.erase"
        )
