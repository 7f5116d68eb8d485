"""The facts: a plain, frozen snapshot of a unit, the generator's only input."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from history.dates import PartialDate
from quiz.generator.dating import active_years, event_order
from quiz.generator.english import name_parts


@dataclass(frozen=True)
class PersonFact:
    slug: str
    name: str
    summary: str = ""
    aliases: tuple[str, ...] = ()
    born: PartialDate | None = None
    died: PartialDate | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventFact:
    slug: str
    title: str
    summary: str
    start: PartialDate
    end: PartialDate | None = None
    old_style: PartialDate | None = None
    place: str | None = None
    roles: tuple[tuple[str, str], ...] = ()  # (person slug, role)
    sources: tuple[str, ...] = ()

    @property
    def last(self) -> PartialDate:
        return self.end or self.start


@dataclass(frozen=True)
class WorkFact:
    slug: str
    title: str
    summary: str = ""
    author: str | None = None  # person slug
    published: PartialDate | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdeaFact:
    slug: str
    name: str
    summary: str = ""
    people: tuple[str, ...] = ()  # person slugs
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    slug: str
    title: str
    people: tuple[PersonFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    works: tuple[WorkFact, ...] = ()
    ideas: tuple[IdeaFact, ...] = ()

    @cached_property
    def _people(self) -> dict[str, PersonFact]:
        return {p.slug: p for p in self.people}

    @cached_property
    def _events(self) -> dict[str, EventFact]:
        return {e.slug: e for e in self.events}

    @cached_property
    def _events_of(self) -> dict[str, list[EventFact]]:
        index = defaultdict(list)
        for event in self.events:
            for slug, _role in event.roles:
                index[slug].append(event)
        return index

    @cached_property
    def latest_year(self) -> int | None:
        """The last year the unit knows of: no year distractor goes past it."""
        dates = [d for e in self.events for d in (e.start, e.end)]
        dates += [d for p in self.people for d in (p.born, p.died)]
        dates += [w.published for w in self.works]
        return max((d.year for d in dates if d is not None), default=None)

    @cached_property
    def _active(self) -> dict[str, tuple[int, int] | None]:
        return {p.slug: active_years(self, p) for p in self.people}

    @cached_property
    def _name_parts(self) -> dict[str, tuple[str, ...]]:
        """Each person's giveaway name parts: their name's, and their other names' own."""
        own = {p.slug: name_parts(PersonFact(p.slug, p.name)) for p in self.people}
        parts = {}
        for person in self.people:
            others = set().union(*(v for slug, v in own.items() if slug != person.slug))
            parts[person.slug] = tuple(own[person.slug] | (name_parts(person) - others))
        return parts

    @cached_property
    def _memo(self) -> dict:
        # Work that depends on the facts alone, kept across calls to generate().
        return {}

    @cached_property
    def _ties(self) -> set[frozenset[str]]:
        """Pairs of events the data cannot order (see `event_order`)."""
        return {
            frozenset((a.slug, b.slug))
            for a, b in combinations(self.events, 2)
            if a.title == b.title or event_order(a, b) == 0
        }

    def tie(self, a: "EventFact", b: "EventFact") -> bool:
        return frozenset((a.slug, b.slug)) in self._ties

    def person(self, slug: str) -> PersonFact | None:
        return self._people.get(slug)

    def event(self, slug: str) -> EventFact | None:
        return self._events.get(slug)

    def work(self, slug: str) -> WorkFact | None:
        return next((w for w in self.works if w.slug == slug), None)

    def idea(self, slug: str) -> IdeaFact | None:
        return next((i for i in self.ideas if i.slug == slug), None)

    def person_named(self, name: str) -> PersonFact | None:
        return next((p for p in self.people if p.name == name), None)

    def events_titled(self, title: str) -> list[EventFact]:
        return [e for e in self.events if e.title == title]

    def events_of(self, person_slug: str) -> list[EventFact]:
        return self._events_of.get(person_slug, [])


def _facts(slug, title, people, events, works, ideas) -> Facts:
    # Sorted by slug, so the database and the unit file give equal snapshots.
    return Facts(
        slug=slug,
        title=title,
        people=tuple(sorted(people, key=lambda r: r.slug)),
        events=tuple(sorted(events, key=lambda r: r.slug)),
        works=tuple(sorted(works, key=lambda r: r.slug)),
        ideas=tuple(sorted(ideas, key=lambda r: r.slug)),
    )


def facts_from_unit(unit) -> Facts:
    """Snapshot a `history.models.Unit` in a handful of queries."""
    people = list(unit.person_set.prefetch_related("sources"))
    events = unit.event_set.select_related("place").prefetch_related("sources", "roles__person")
    works = unit.work_set.select_related("author").prefetch_related("sources")
    ideas = unit.idea_set.prefetch_related("sources", "people")

    def sources(record) -> tuple[str, ...]:
        return tuple(sorted(s.citation for s in record.sources.all()))

    return _facts(
        unit.slug,
        unit.title,
        [
            PersonFact(
                slug=p.slug,
                name=p.name,
                summary=p.summary,
                aliases=tuple(p.aliases),
                born=p.born,
                died=p.died,
                sources=sources(p),
            )
            for p in people
        ],
        [
            EventFact(
                slug=e.slug,
                title=e.title,
                summary=e.summary,
                start=e.start,
                end=e.end,
                old_style=e.old_style,
                place=e.place.name if e.place else None,
                roles=tuple(sorted((r.person.slug, r.role) for r in e.roles.all())),
                sources=sources(e),
            )
            for e in events
        ],
        [
            WorkFact(
                slug=w.slug,
                title=w.title,
                summary=w.summary,
                author=w.author.slug if w.author else None,
                published=w.published,
                sources=sources(w),
            )
            for w in works
        ],
        [
            IdeaFact(
                slug=i.slug,
                name=i.name,
                summary=i.summary,
                people=tuple(sorted(p.slug for p in i.people.all())),
                sources=sources(i),
            )
            for i in ideas
        ],
    )


def facts_from_data(data) -> Facts:
    """Snapshot a `history.units.UnitData` (what `read_unit` returns)."""
    slugs = {p["name"]: p["slug"] for p in data.people}
    return _facts(
        data.slug,
        data.title,
        [
            PersonFact(
                slug=p["slug"],
                name=p["name"],
                summary=p["summary"],
                aliases=tuple(p["aliases"]),
                born=p["born"],
                died=p["died"],
                sources=tuple(sorted(p["sources"])),
            )
            for p in data.people
        ],
        [
            EventFact(
                slug=e["slug"],
                title=e["title"],
                summary=e["summary"],
                start=e["start"],
                end=e["end"],
                old_style=e["old_style"],
                place=e["place"],
                roles=tuple(sorted((slugs[r["name"]], r["role"]) for r in e["people"])),
                sources=tuple(sorted(e["sources"])),
            )
            for e in data.events
        ],
        [
            WorkFact(
                slug=w["slug"],
                title=w["title"],
                summary=w["summary"],
                author=slugs[w["author"]] if w["author"] else None,
                published=w["published"],
                sources=tuple(sorted(w["sources"])),
            )
            for w in data.works
        ],
        [
            IdeaFact(
                slug=i["slug"],
                name=i["name"],
                summary=i["summary"],
                people=tuple(sorted(slugs[n] for n in i["people"])),
                sources=tuple(sorted(i["sources"])),
            )
            for i in data.ideas
        ],
    )
