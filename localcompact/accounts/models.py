from django.conf import settings
from django.db import models


class DeletionRequest(models.Model):
    """A user's request that their account be deleted.

    The support team erases the personal data by hand for now; the records the user
    published (activities, responses) are kept. Erasure itself comes later.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Deletion request {self.pk} by user {self.user_id}"
