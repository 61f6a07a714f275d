from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "localcompact.governance"
    verbose_name = "Running the compact"
    default_auto_field = "django.db.models.BigAutoField"
