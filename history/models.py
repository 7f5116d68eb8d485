from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from history.citations import citation, is_file_name, parse_citation
from history.dates import format_date, format_range
from history.fields import PartialDateField


class Unit(models.Model):
    """A topic students study and are quizzed on (Trotsky and Stalin, Ancient Rome...)."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("unit")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("history:timeline", args=[self.slug])


class SourceQuerySet(models.QuerySet):
    def cited_as(self, citations) -> list["Source"]:
        """The sources named by one-line citations (an old unit file's, a generated question's).

        A citation names the source that reads the same to a pupil; a file name names the
        source kept for that file. Where none does, one is made from the citation.
        """
        known = list(self.all())
        found = []
        for text in citations:
            source = next((s for s in known if s.citation == text), None)
            if source is None:
                fields = parse_citation(text)
                if fields["file"]:
                    source = next((s for s in known if s.file == fields["file"]), None)
                else:
                    wanted = citation(fields["title"], fields["author"], fields["year"])
                    source = next((s for s in known if s.citation == wanted), None)
            if source is None:
                fields["title"] = _free_title(fields, known)
                source = self.create(**fields)
                known.append(source)
            found.append(source)
        return found

    def get_by_natural_key(self, title, author, year):
        return self.get(title=title, author=author, year=year)


def _free_title(fields: dict, known: list["Source"]) -> str:
    """The title, numbered if another source already reads the same ("Untitled document 2")."""
    taken = {s.citation for s in known}
    title, number = fields["title"], 1
    while citation(title, fields["author"], fields["year"]) in taken:
        number += 1
        title = f"{fields['title']} {number}"
    return title


class Source(models.Model):
    """Where a record's facts come from: a book, a web page, the seed document.

    Pupils read the title (with author and year); `file` keeps the name of the
    document a unit was curated from, which is no title to show anyone.
    """

    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("What pupils read, e.g. “The Prophet Armed” or “Web pages about Trotsky”."),
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The year the edition used was published."),
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    file = models.CharField(
        _("file"),
        max_length=255,
        blank=True,
        help_text=_("The name of the document's file, if the unit was curated from one."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "author", "year"]
        verbose_name = _("source")
        constraints = [
            # Two sources that read the same to a pupil would be one source twice, and a
            # unit file names a source by how it reads.
            models.UniqueConstraint(
                "title",
                "author",
                Coalesce("year", Value(0)),
                name="history_source_once",
                violation_error_message=_("A source with this title, author and year exists."),
            ),
            models.UniqueConstraint(
                fields=["file"],
                condition=~Q(file=""),
                name="history_source_file_once",
                violation_error_message=_("Another source is already kept for this file."),
            ),
        ]

    def __str__(self):
        return self.citation

    def natural_key(self):
        return (self.title, self.author, self.year)

    def clean(self):
        if is_file_name(self.title):
            raise ValidationError(
                {
                    "title": _(
                        "This is a file name. Put it under “file” and give the source a title "
                        "pupils can read."
                    )
                }
            )

    @property
    def citation(self) -> str:
        return citation(self.title, self.author, self.year)


class Place(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Record(models.Model):
    """What every curated record has: a unit, a slug, provenance and notes."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name=_("unit"))
    slug = models.SlugField(_("slug"), max_length=100)
    summary = models.TextField(_("summary"))
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Where the source is wrong, garbled or contested, and what is correct."),
    )

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.unit.slug, self.slug)


class Person(Record):
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    born = PartialDateField(_("born"), null=True, blank=True)
    died = PartialDateField(_("died"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="history_person_slug_once"),
            models.UniqueConstraint(fields=["unit", "name"], name="history_person_name_once"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("history:person", args=[self.unit.slug, self.slug])

    @property
    def lifespan(self) -> str:
        if self.born and self.died:
            return f"{format_date(self.born)} – {format_date(self.died)}"
        if self.born:
            return _("born %(date)s") % {"date": format_date(self.born)}
        if self.died:
            return _("died %(date)s") % {"date": format_date(self.died)}
        return ""

    def clean(self):
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Other names must be a list of names.")})
        if self.born and self.died and self.died.sort_key < self.born.sort_key:
            raise ValidationError({"died": _("A person cannot die before being born.")})


class Role(models.TextChoices):
    LEADER = "leader", _("leader")
    ORGANISER = "organiser", _("organiser")
    COMMANDER = "commander", _("commander")
    PARTICIPANT = "participant", _("participant")
    AUTHOR = "author", _("author")
    VICTIM = "victim", _("victim")
    ASSASSIN = "assassin", _("assassin")
    DEFENDANT = "defendant", _("defendant")
    ACCUSER = "accuser", _("accuser")
    SIGNATORY = "signatory", _("signatory")
    EXILE = "exile", _("exile")
    WITNESS = "witness", _("witness")


class Event(Record):
    title = models.CharField(_("title"), max_length=200)
    start = PartialDateField(_("start"))
    end = PartialDateField(_("end"), null=True, blank=True, help_text=_("Only for a range."))
    old_style = PartialDateField(
        _("Old Style date"),
        null=True,
        blank=True,
        help_text=_("The Julian date used in Russia before February 1918, if it matters."),
    )
    # Serves the timeline's "order by date" without parsing every start.
    start_sort = models.IntegerField(editable=False, db_index=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("place")
    )
    people = models.ManyToManyField(Person, through="EventRole", related_name="events")

    class Meta:
        ordering = ["start_sort", "slug"]
        verbose_name = _("event")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="history_event_slug_once"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("history:event", args=[self.unit.slug, self.slug])

    @property
    def when(self) -> str:
        return format_range(self.start, self.end)

    def clean(self):
        if self.start and self.end and self.end.sort_key <= self.start.sort_key:
            raise ValidationError({"end": _("The end must come after the start.")})

    def save(self, *args, **kwargs):
        self.start_sort = self.start.sort_key
        super().save(*args, **kwargs)


class EventRole(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    class Meta:
        ordering = ["event__start_sort", "id"]
        verbose_name = _("role in event")
        verbose_name_plural = _("people in event")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="history_role_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) — {self.event}"


class Work(Record):
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="works"
    )
    published = PartialDateField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("work")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="history_work_slug_once"),
        ]

    def __str__(self):
        return self.title


class Idea(Record):
    name = models.CharField(_("name"), max_length=200)
    people = models.ManyToManyField(Person, blank=True, related_name="ideas")

    class Meta:
        ordering = ["name"]
        verbose_name = _("idea")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="history_idea_slug_once"),
        ]

    def __str__(self):
        return self.name
