"""Sources get a title fit to show a pupil, and optional author, year, web address and file.

A source used to be one line of text. The line is read back into the new fields:
"Isaac Deutscher, The Prophet Armed (1954)" gives author, title and year; a file
name (the seed's "000_1d8253ec5883a8d2.txt") moves to `file`, with a readable title.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

# Pure functions of a string; this migration needs them to stay.
from history.citations import citation, parse_citation


def titles_from_names(apps, schema_editor):
    Source = apps.get_model("history", "Source")
    taken = set()
    parsed = [(source.pk, parse_citation(source.name)) for source in Source.objects.order_by("pk")]
    # A citation keeps its own words; a title made from a file name or address is the one
    # numbered if two would read the same ("Untitled document 2").
    parsed.sort(key=lambda row: bool(row[1]["file"] or row[1]["url"]))
    for pk, fields in parsed:
        title, number = fields["title"], 1
        while citation(title, fields["author"], fields["year"]) in taken:
            number += 1
            title = f"{fields['title']} {number}"
        fields["title"] = title
        taken.add(citation(title, fields["author"], fields["year"]))
        Source.objects.filter(pk=pk).update(**fields)


def names_from_titles(apps, schema_editor):
    Source = apps.get_model("history", "Source")
    for source in Source.objects.order_by("pk"):
        name = source.file or citation(source.title, source.author, source.year)
        Source.objects.filter(pk=source.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
    ]

    operations = [
        # Not unique while it is rewritten, so the way back can fill it row by row.
        migrations.AlterField(
            model_name="source",
            name="name",
            field=models.CharField(default="", max_length=300, verbose_name="citation"),
        ),
        migrations.AddField(
            model_name="source",
            name="title",
            field=models.CharField(
                default="",
                help_text="What pupils read, e.g. “The Prophet Armed” or “Web pages about Trotsky”.",
                max_length=300,
                verbose_name="title",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="source",
            name="author",
            field=models.CharField(blank=True, max_length=200, verbose_name="author"),
        ),
        migrations.AddField(
            model_name="source",
            name="year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The year the edition used was published.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="year",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="url",
            field=models.URLField(blank=True, max_length=500, verbose_name="web address"),
        ),
        migrations.AddField(
            model_name="source",
            name="file",
            field=models.CharField(
                blank=True,
                help_text="The name of the document's file, if the unit was curated from one.",
                max_length=255,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(titles_from_names, names_from_titles),
        migrations.RemoveField(model_name="source", name="name"),
        migrations.AlterModelOptions(
            name="source",
            options={"ordering": ["title", "author", "year"], "verbose_name": "source"},
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.UniqueConstraint(
                models.F("title"),
                models.F("author"),
                Coalesce("year", Value(0)),
                name="history_source_once",
                violation_error_message="A source with this title, author and year exists.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.UniqueConstraint(
                condition=~Q(file=""),
                fields=("file",),
                name="history_source_file_once",
                violation_error_message="Another source is already kept for this file.",
            ),
        ),
    ]
