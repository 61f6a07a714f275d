from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "localcompact.disputes"
    verbose_name = "Disagreements and breaches"
    default_auto_field = "django.db.models.BigAutoField"
