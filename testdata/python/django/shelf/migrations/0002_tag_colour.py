from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("shelf", "0001_initial")]

    # Must run before library's second migration, which depends on it anyway.
    run_before = [("library", "0002_release_two")]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="colour",
            field=models.CharField(max_length=7, null=True),
        ),
    ]
