"""The organisations app's URLs: the public register, and managing an organisation.

The two halves live in their own modules so each reads on its own.
"""

from .urls_manage import urlpatterns as manage_urls
from .urls_register import urlpatterns as register_urls

app_name = "organisations"

urlpatterns = register_urls + manage_urls
