from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [("shelf", "0001_initial"), ("shelf", "0002_tag_colour")]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.SlugField(unique=True)),
                ("colour", models.CharField(max_length=7, null=True)),
            ],
        ),
    ]
