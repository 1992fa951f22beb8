from django.db import models


class Rule(models.Model):
    priority = models.IntegerField(null=True)
    legacy_flag = models.BooleanField(null=True)

    class Meta:
        db_table = "rules"
