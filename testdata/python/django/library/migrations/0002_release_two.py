# Every schema operation Django writes, once.
from django.db import migrations, models
from django.db.models.functions import Now

ARCHIVE_SQL = "UPDATE library_book SET title = UPPER(title) WHERE published IS NULL"


def fill_slugs(apps, schema_editor):
    Book = apps.get_model("library", "Book")
    for book in Book.objects.all():
        book.slug = book.title.lower()
        book.save()


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0001_initial"),
        ("shelf", "0002_tag_colour"),
    ]

    operations = [
        migrations.AddField(model_name="book", name="subtitle", field=models.CharField(max_length=200, null=True)),
        migrations.AddField(model_name="book", name="slug", field=models.SlugField(default="", max_length=80), preserve_default=False),
        migrations.AddField(model_name="book", name="added", field=models.DateTimeField(db_default=Now())),
        migrations.AddField(model_name="book", name="editor", field=models.ForeignKey(null=True, on_delete=models.SET_NULL, to="library.author")),
        migrations.RemoveField(model_name="author", name="bio"),
        migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=300)),
        migrations.RenameField(model_name="book", old_name="isbn", new_name="isbn13"),
        migrations.AddIndex(model_name="book", index=models.Index(fields=["slug"], name="book_slug_idx")),
        migrations.RemoveIndex(model_name="book", name="book_published_idx"),
        migrations.RenameIndex(model_name="book", new_name="book_slug_ix", old_name="book_slug_idx"),
        migrations.AddConstraint(model_name="book", constraint=models.CheckConstraint(check=models.Q(price__gte=0), name="book_price_positive")),
        migrations.AddConstraint(model_name="loan", constraint=models.UniqueConstraint(fields=["book", "due"], name="loan_once")),
        migrations.RemoveConstraint(model_name="loan", name="loan_once"),
        migrations.AlterUniqueTogether(name="book", unique_together={("slug", "author")}),
        migrations.AlterIndexTogether(name="loan", index_together={("due", "book")}),
        migrations.RunSQL(ARCHIVE_SQL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunPython(fill_slugs),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="book", name="published")],
            database_operations=[migrations.RunSQL("ALTER TABLE library_book ALTER COLUMN published DROP NOT NULL")],
        ),
        migrations.RenameModel(old_name="Loan", new_name="Borrowing"),
        migrations.AlterModelTable(name="author", table="library_writers"),
        migrations.DeleteModel(name="Borrowing"),
    ]
