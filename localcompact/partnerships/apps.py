from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "localcompact.partnerships"
    verbose_name = "Partnership groups and meetings"
    default_auto_field = "django.db.models.BigAutoField"
