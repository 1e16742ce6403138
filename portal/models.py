from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRecord(models.Model):
    """Remembers which row `load_demo` made for each piece of the demo story.

    The demo data is found again through this key, never through a name a user
    can change, so a renamed demo record stays as the user left it.
    """

    key = models.CharField(max_length=100, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return self.key
