from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins made over the web.

    Without a request (a management command, the test client's ``login``) there is no
    address to count failures by, so the check is skipped instead of refusing; every
    sign-in form (allauth's, the admin's) passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
