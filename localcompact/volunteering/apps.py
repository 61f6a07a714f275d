from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "localcompact.volunteering"
    verbose_name = "Volunteering and inclusion"
    default_auto_field = "django.db.models.BigAutoField"
