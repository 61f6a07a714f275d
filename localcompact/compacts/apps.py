from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "localcompact.compacts"
    verbose_name = "Compacts"
    default_auto_field = "django.db.models.BigAutoField"
