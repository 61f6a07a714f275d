from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "localcompact.funding"
    verbose_name = "Funding and commissioning"
    default_auto_field = "django.db.models.BigAutoField"
