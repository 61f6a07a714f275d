from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "localcompact.notices"
    verbose_name = "Informing notices"
    default_auto_field = "django.db.models.BigAutoField"
