from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "localcompact.core"
    verbose_name = "Core pages"
    default_auto_field = "django.db.models.BigAutoField"
