"""The unit file: the project's JSON format for curated history.

`read_unit` validates a whole file before anything touches the database, and
`load_unit` writes it in one transaction, updating records in place by slug so
that questions pointing at them survive a re-import. `dump_unit` writes the
same format back out; dump → load into an empty database → dump is identical.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from history.citations import citation, is_file_name
from history.dates import PartialDate
from history.models import Event, EventRole, Idea, Person, Place, Role, Source, Unit, Work

FORMAT_HINT = 'a date like "1940", "1940-08" or "1940-08-21"'


class UnitFileError(Exception):
    """Bad input, located: which record, which field, what was expected."""

    def __init__(self, message: str, *, where: str = ""):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class UnitData:
    slug: str
    title: str
    summary: str
    people: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    works: list[dict] = field(default_factory=list)
    ideas: list[dict] = field(default_factory=list)
    # The unit's "sources", each with a "citation" (how records name it). None for a file
    # in the old format, whose records cite each source by one line of text.
    sources: list[dict] | None = None


class _Reader:
    def __init__(self, where: str):
        self.where = where

    def fail(self, message: str, place: str = ""):
        raise UnitFileError(message, where=" → ".join(p for p in (self.where, place) if p))

    def text(self, record: dict, key: str, place: str, *, required=True, blank=False) -> str:
        value = record.get(key)
        if value is None and not required:
            return ""
        if value is None:
            self.fail(f'missing field "{key}"', place)
        if not isinstance(value, str):
            self.fail(f'"{key}" must be text, got {type(value).__name__}', place)
        if not blank and not value.strip():
            self.fail(f'"{key}" must not be empty', place)
        return value.strip()

    def date(self, record: dict, key: str, place: str, *, required=False) -> PartialDate | None:
        value = record.get(key)
        if value is None:
            if required:
                self.fail(f'missing field "{key}" ({FORMAT_HINT})', place)
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            self.fail(f'"{key}": {error} (expected {FORMAT_HINT})', place)

    def text_list(self, record: dict, key: str, place: str) -> list[str]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f'"{key}" must be a list of non-empty texts', place)
        return [v.strip() for v in value]

    def slug(self, record: dict, label: str, place: str, seen: set[str]) -> str:
        raw = record.get("slug")
        if raw is not None and (not isinstance(raw, str) or slugify(raw) != raw or not raw):
            self.fail(f'"slug" must be lowercase letters, digits and hyphens, got {raw!r}', place)
        slug = raw or slugify(label)[:100]
        if not slug:
            self.fail('cannot make a "slug" from the name; give one', place)
        if slug in seen:
            self.fail(f'duplicate slug "{slug}": each record needs its own', place)
        seen.add(slug)
        return slug

    def sources(self, data: dict) -> list[dict] | None:
        if "sources" not in data:
            return None
        sources, citations, files = [], set(), set()
        for index, record in enumerate(self.records(data, "sources"), start=1):
            place = f"sources[{index}]"
            if record.get("title") is None:
                self.fail(
                    'missing field "title": the name pupils read, e.g. "The Prophet Armed" '
                    '(a file name goes in "file")',
                    place,
                )
            title = self.text(record, "title", place)
            if is_file_name(title):
                self.fail(
                    f'"title": {title!r} is a file name; put it in "file" and give the source '
                    "a title pupils can read",
                    place,
                )
            place = f'source "{title}"'
            source = {
                "title": title,
                "author": self.text(record, "author", place, required=False, blank=True),
                "year": self.year(record, place),
                "url": self.url(record, place),
                "file": self.text(record, "file", place, required=False, blank=True),
            }
            for key in ("title", "author", "url", "file"):
                limit = Source._meta.get_field(key).max_length
                if len(source[key]) > limit:
                    self.fail(f'"{key}" is longer than {limit} characters', place)
            source["citation"] = citation(source["title"], source["author"], source["year"])
            if source["citation"] in citations:
                self.fail(f'"{source["citation"]}" is listed twice', place)
            if source["file"] and source["file"] in files:
                self.fail(f'"file": {source["file"]!r} belongs to another source too', place)
            citations.add(source["citation"])
            files.add(source["file"])
            sources.append(source)
        return sources

    def year(self, record: dict, place: str) -> int | None:
        value = record.get("year")
        if value is not None and (type(value) is not int or not 1 <= value <= 9999):
            self.fail(f'"year" must be a year like 1954 or null, got {value!r}', place)
        return value

    def url(self, record: dict, place: str) -> str:
        value = self.text(record, "url", place, required=False, blank=True)
        try:
            if value:
                URLValidator()(value)
        except ValidationError:
            self.fail(f'"url" must be a web address like "https://…", got {value!r}', place)
        return value

    def cited(self, record: dict, place: str, sources: list[dict] | None) -> list[str]:
        """A record's "sources": citations of the unit's sources (any one line, in an old file)."""
        cited = self.text_list(record, "sources", place)
        if sources is not None:
            known = {s["citation"] for s in sources}
            for text in cited:
                if text not in known:
                    self.fail(
                        f'"sources": unknown source {text!r}; add it to the unit\'s "sources" '
                        'and cite it as it reads ("Author, Title (Year)")',
                        place,
                    )
        return list(dict.fromkeys(cited))

    def records(self, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            self.fail(f'"{key}" must be a list of objects')
        return value


def read_unit(raw: str, where: str = "unit file") -> UnitData:
    """Validate a unit file's text; raise UnitFileError on the first problem."""
    reader = _Reader(where)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        reader.fail(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")
    if not isinstance(data, dict):
        reader.fail("the top level must be a JSON object")
    for key in ("title", "slug", "people", "events"):
        if key not in data:
            reader.fail(f'missing top-level field "{key}"')
    unit = UnitData(
        slug=reader.slug(data, "", "unit", set()),
        title=reader.text(data, "title", "unit"),
        summary=reader.text(data, "summary", "unit", required=False, blank=True),
        sources=reader.sources(data),
    )

    seen: set[str] = set()
    names: set[str] = set()
    for index, record in enumerate(reader.records(data, "people"), start=1):
        place = f"people[{index}]"
        name = reader.text(record, "name", place)
        place = f'person "{name}"'
        if name in names:
            reader.fail("the same name appears twice; people are referred to by name", place)
        names.add(name)
        born = reader.date(record, "born", place)
        died = reader.date(record, "died", place)
        if born and died and died.sort_key < born.sort_key:
            reader.fail('"died" comes before "born"', place)
        unit.people.append(
            {
                "slug": reader.slug(record, name, place, seen),
                "name": name,
                "aliases": reader.text_list(record, "aliases", place),
                "born": born,
                "died": died,
                "summary": reader.text(record, "summary", place),
                "sources": reader.cited(record, place, unit.sources),
                "notes": reader.text(record, "notes", place, required=False, blank=True),
            }
        )

    def person_name(value, place: str, key: str) -> str:
        if not isinstance(value, str) or value not in names:
            reader.fail(f'"{key}": unknown person {value!r}; add them to "people" first', place)
        return value

    seen = set()
    for index, record in enumerate(reader.records(data, "events"), start=1):
        title = reader.text(record, "title", f"events[{index}]")
        place = f'event "{title}"'
        start = reader.date(record, "start", place, required=True)
        end = reader.date(record, "end", place)
        if end and end.sort_key <= start.sort_key:
            reader.fail('"end" must come after "start"', place)
        people = []
        for entry in record.get("people", []):
            if not isinstance(entry, dict):
                reader.fail('"people" must be a list of {"name": ..., "role": ...}', place)
            name = person_name(entry.get("name"), place, "people")
            role = entry.get("role", Role.PARTICIPANT)
            if role not in Role.values:
                reader.fail(
                    f'"role" of {name}: {role!r} is not one of {", ".join(Role.values)}', place
                )
            if any(p["name"] == name for p in people):
                reader.fail(f'"people": {name} is listed twice', place)
            people.append({"name": name, "role": role})
        event_place = record.get("place")
        if event_place is not None and (
            not isinstance(event_place, str) or not event_place.strip()
        ):
            reader.fail('"place" must be a place name or null', place)
        unit.events.append(
            {
                "slug": reader.slug(record, title, place, seen),
                "title": title,
                "summary": reader.text(record, "summary", place),
                "start": start,
                "end": end,
                "old_style": reader.date(record, "old_style", place),
                "place": event_place.strip() if event_place else None,
                "people": people,
                "sources": reader.cited(record, place, unit.sources),
                "notes": reader.text(record, "notes", place, required=False, blank=True),
            }
        )

    seen = set()
    for index, record in enumerate(reader.records(data, "works"), start=1):
        title = reader.text(record, "title", f"works[{index}]")
        place = f'work "{title}"'
        author = record.get("author")
        unit.works.append(
            {
                "slug": reader.slug(record, title, place, seen),
                "title": title,
                "author": None if author is None else person_name(author, place, "author"),
                "published": reader.date(record, "published", place),
                "summary": reader.text(record, "summary", place),
                "sources": reader.cited(record, place, unit.sources),
                "notes": reader.text(record, "notes", place, required=False, blank=True),
            }
        )

    seen = set()
    for index, record in enumerate(reader.records(data, "ideas"), start=1):
        name = reader.text(record, "name", f"ideas[{index}]")
        place = f'idea "{name}"'
        people = [
            person_name(n, place, "people") for n in reader.text_list(record, "people", place)
        ]
        unit.ideas.append(
            {
                "slug": reader.slug(record, name, place, seen),
                "name": name,
                "people": people,
                "summary": reader.text(record, "summary", place),
                "sources": reader.cited(record, place, unit.sources),
                "notes": reader.text(record, "notes", place, required=False, blank=True),
            }
        )
    return unit


@dataclass
class LoadReport:
    unit: Unit
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __str__(self):
        counts = {
            "events": self.unit.event_set.count(),
            "people": self.unit.person_set.count(),
            "works": self.unit.work_set.count(),
            "ideas": self.unit.idea_set.count(),
        }
        listed = ", ".join(f"{n} {label}" for label, n in counts.items())
        return (
            f'Imported "{self.unit.title}": {listed} '
            f"({self.created} created, {self.updated} updated, {self.deleted} deleted)."
        )


class _Writer:
    """Creates or updates records by slug and counts what really changed."""

    def __init__(self, report: LoadReport):
        self.report = report

    def upsert(self, model, unit: Unit, slug: str, values: dict, sources: list[Source]):
        obj = model.objects.filter(unit=unit, slug=slug).first()
        if obj is None:
            obj = model.objects.create(unit=unit, slug=slug, **values)
            obj.sources.set(sources)
            self.report.created += 1
            return obj, True
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save()
        if sorted(s.pk for s in obj.sources.all()) != sorted(s.pk for s in sources):
            obj.sources.set(sources)
            changed.append("sources")
        if changed:
            self.report.updated += 1
        return obj, bool(changed)

    def sources(self, data: UnitData) -> dict[str, Source]:
        """The Source for each citation in the file, made or brought up to date."""
        if data.sources is None:
            cited = list(
                dict.fromkeys(
                    text
                    for records in (data.people, data.events, data.works, data.ideas)
                    for record in records
                    for text in record["sources"]
                )
            )
            return dict(zip(cited, Source.objects.cited_as(cited), strict=True))
        found = {}
        for record in data.sources:
            values = {k: record[k] for k in ("title", "author", "year", "url", "file")}
            # The file is how a source keeps its identity while its title is corrected.
            source = None
            if values["file"]:
                source = Source.objects.filter(file=values["file"]).first()
            if source is None:
                source = Source.objects.filter(
                    title=values["title"], author=values["author"], year=values["year"]
                ).first()
            created = source is None
            source = source or Source()
            changed = [name for name, value in values.items() if getattr(source, name) != value]
            if changed:
                for name in changed:
                    setattr(source, name, values[name])
                try:
                    source.validate_constraints()
                except ValidationError as error:
                    raise UnitFileError(
                        " ".join(error.messages), where=f'source "{record["citation"]}"'
                    ) from None
                source.save()
                if created:
                    self.report.created += 1
                else:
                    self.report.updated += 1
            found[record["citation"]] = source
        return found

    def touched(self, already_counted: bool):
        """A record whose links (roles, people) changed counts as updated once."""
        if not already_counted:
            self.report.updated += 1


@transaction.atomic
def load_unit(data: UnitData) -> LoadReport:
    unit, created = Unit.objects.get_or_create(
        slug=data.slug, defaults={"title": data.title, "summary": data.summary}
    )
    report = LoadReport(unit=unit, created=int(created))
    writer = _Writer(report)
    if not created and (unit.title, unit.summary) != (data.title, data.summary):
        unit.title, unit.summary = data.title, data.summary
        unit.save()
        report.updated += 1

    sources = writer.sources(data)

    def cited(record) -> list[Source]:
        return [sources[text] for text in record["sources"]]

    people = {}
    for record in data.people:
        # Names are unique per unit; free a name that another slug still holds
        # (that person is deleted below, as the file no longer lists them).
        Person.objects.filter(unit=unit, name=record["name"]).exclude(slug=record["slug"]).update(
            name=f"{record['name']} [{record['slug']}, replaced]"
        )
        values = {k: record[k] for k in ("name", "aliases", "born", "died", "summary", "notes")}
        person, _ = writer.upsert(Person, unit, record["slug"], values, cited(record))
        people[person.name] = person

    for record in data.events:
        values = {k: record[k] for k in ("title", "summary", "start", "end", "old_style", "notes")}
        values["place"] = (
            Place.objects.get_or_create(name=record["place"])[0] if record["place"] else None
        )
        event, counted = writer.upsert(Event, unit, record["slug"], values, cited(record))
        wanted = [(people[p["name"]].pk, p["role"]) for p in record["people"]]
        if list(event.roles.order_by("id").values_list("person_id", "role")) != wanted:
            event.roles.all().delete()
            EventRole.objects.bulk_create(
                EventRole(event=event, person_id=pk, role=role) for pk, role in wanted
            )
            writer.touched(counted)

    for record in data.works:
        values = {k: record[k] for k in ("title", "published", "summary", "notes")}
        values["author"] = people[record["author"]] if record["author"] else None
        writer.upsert(Work, unit, record["slug"], values, cited(record))

    for record in data.ideas:
        values = {k: record[k] for k in ("name", "summary", "notes")}
        idea, counted = writer.upsert(Idea, unit, record["slug"], values, cited(record))
        wanted = sorted(people[name].pk for name in record["people"])
        if sorted(idea.people.values_list("pk", flat=True)) != wanted:
            idea.people.set(wanted)
            writer.touched(counted)

    # The file is the whole unit: what it no longer lists goes.
    for model, records in (
        (Event, data.events),
        (Work, data.works),
        (Idea, data.ideas),
        (Person, data.people),
    ):
        stale = model.objects.filter(unit=unit).exclude(slug__in=[r["slug"] for r in records])
        report.deleted += stale.count()
        stale.delete()
    return report


def import_unit_file(path: Path) -> LoadReport:
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnitFileError(f"cannot read the file: {error}", where=str(path)) from None
    return load_unit(read_unit(raw, where=str(path)))


def _date(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def _sources(obj) -> list[str]:
    return sorted(s.citation for s in obj.sources.all())


def _source(source: Source) -> dict:
    record = {"title": source.title}
    for key in ("author", "year", "url", "file"):
        if getattr(source, key):
            record[key] = getattr(source, key)
    return record


def dump_unit(unit: Unit) -> dict:
    people = sorted(
        unit.person_set.prefetch_related("sources"),
        key=lambda p: (p.born.sort_key if p.born else 10**9, p.slug),
    )
    events = (
        unit.event_set.select_related("place")
        .prefetch_related("sources", "roles__person")
        .order_by("start_sort", "slug")
    )
    works = sorted(
        unit.work_set.select_related("author").prefetch_related("sources"),
        key=lambda w: (w.published.sort_key if w.published else 10**9, w.slug),
    )
    ideas = unit.idea_set.prefetch_related("sources", "people").order_by("slug")
    cited = {
        source.citation: source
        for records in (people, events, works, ideas)
        for record in records
        for source in record.sources.all()
    }

    def event(e: Event) -> dict:
        record = {
            "slug": e.slug,
            "title": e.title,
            "summary": e.summary,
            "start": _date(e.start),
            "end": _date(e.end),
        }
        if e.old_style:
            record["old_style"] = _date(e.old_style)
        record.update(
            {
                "place": e.place.name if e.place else None,
                "people": [
                    {"name": r.person.name, "role": r.role}
                    for r in sorted(e.roles.all(), key=lambda r: r.id)
                ],
                "sources": _sources(e),
                "notes": e.notes,
            }
        )
        return record

    return {
        "title": unit.title,
        "slug": unit.slug,
        "summary": unit.summary,
        "sources": [_source(cited[text]) for text in sorted(cited)],
        "people": [
            {
                "slug": p.slug,
                "name": p.name,
                "aliases": p.aliases,
                "born": _date(p.born),
                "died": _date(p.died),
                "summary": p.summary,
                "sources": _sources(p),
                "notes": p.notes,
            }
            for p in people
        ],
        "events": [event(e) for e in events],
        "works": [
            {
                "slug": w.slug,
                "title": w.title,
                "author": w.author.name if w.author else None,
                "published": _date(w.published),
                "summary": w.summary,
                "sources": _sources(w),
                "notes": w.notes,
            }
            for w in works
        ],
        "ideas": [
            {
                "slug": i.slug,
                "name": i.name,
                "summary": i.summary,
                "people": sorted(p.name for p in i.people.all()),
                "sources": _sources(i),
                "notes": i.notes,
            }
            for i in ideas
        ],
    }


def dumps_unit(unit: Unit) -> str:
    return json.dumps(dump_unit(unit), ensure_ascii=False, indent=2) + "\n"
