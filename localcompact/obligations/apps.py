from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "localcompact.obligations"
    verbose_name = "Obligations"
    default_auto_field = "django.db.models.BigAutoField"
