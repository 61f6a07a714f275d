from django.conf import settings
from django.db import models


class DeletionRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(erased_at__isnull=True)


class DeletionRequest(models.Model):
    """A person's request that their account be deleted.

    Staff carry it out from the staff pages (`personal_data.account_erase`): the
    account's personal data is erased and the account anonymised, while the records the
    compact must keep stay, naming "a former user". The request stays as the record
    that it was done, by whom and when (its reason is cleared).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["erased_at", "requested_at"])]

    def __str__(self) -> str:
        return f"Deletion request {self.pk} by user {self.user_id}"
