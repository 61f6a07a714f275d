from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "localcompact.reports"
    verbose_name = "Annual compact reports"
    default_auto_field = "django.db.models.BigAutoField"
