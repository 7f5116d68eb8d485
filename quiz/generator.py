"""The question generator: pure functions from a unit's facts to quiz questions.

`facts_from_unit` (the only step that touches the database) and `facts_from_data`
take a plain snapshot of a unit; `generate` turns it into questions; and
`check_question` re-derives from the facts alone whether a question breaks a
rule, so teachers and tests can audit any question, generated or not.

Randomness comes only from `random.Random` seeded by the caller: the same facts
and arguments always give the same questions. Each question draws its options
from its own generator, seeded by the seed, the template and the record, so a
question does not change when the filters change which other questions exist.

The prompts go through gettext, but the grammar around them (articles, verb
forms of headline titles such as "Trotsky joins the Bolshevik Party") is
English: a translation needs more than a .po file here.
"""

import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache, partial
from itertools import combinations
from math import comb

from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext, gettext_noop

from history.dates import DAY, MONTH, YEAR, PartialDate, format_date, format_range, format_year
from history.models import Role
from quiz.core.models import Kind

OPTIONS = 4  # every multiple-choice question: the answer and three distractors
ERA_YEARS = 25  # events this close in time are plausible distractors for each other
ADULT_AGE = 15  # people younger than this are not plausible actors in an event
CIRCA_GAP = 3  # "c. 1906" is only ordered against dates at least this many years away
YEAR_SPREAD = 8  # year distractors come from this many years either side of the answer
ENUMERATE_SETS = 3000  # a unit with fewer sets of 3-5 events lists them all rather than sampling
PRECISION_RANK = {YEAR: 0, MONTH: 1, DAY: 2}


def _(message: str) -> str:
    # gettext, remembered per language: a thousand questions ask for the same few strings.
    return _translated(get_language(), message)


@lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


# --- The facts: a plain snapshot of a unit ------------------------------------------------


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
        return {p.slug: _active_years(self, p) for p in self.people}

    @cached_property
    def _name_parts(self) -> dict[str, tuple[str, ...]]:
        """Each person's giveaway name parts: their name's, and their other names' own."""
        own = {p.slug: _name_parts(PersonFact(p.slug, p.name)) for p in self.people}
        parts = {}
        for person in self.people:
            others = set().union(*(v for slug, v in own.items() if slug != person.slug))
            parts[person.slug] = tuple(own[person.slug] | (_name_parts(person) - others))
        return parts

    @cached_property
    def _memo(self) -> dict:
        # Work that depends on the facts alone, kept across calls to generate().
        return {}

    @cached_property
    def _ties(self) -> set[frozenset[str]]:
        """Pairs of events the data cannot order (see `_event_order`)."""
        return {
            frozenset((a.slug, b.slug))
            for a, b in combinations(self.events, 2)
            if a.title == b.title or _event_order(a, b) == 0
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


# --- The question ---------------------------------------------------------------------------


@dataclass
class GeneratedQuestion:
    kind: str
    prompt: str
    options: list[str]  # display order; [] for a typed year
    answer: str | int | list[str]  # option text; a year; the options in the right order
    explanation: str
    template: str
    tolerance: int | None = None  # year questions: this many years off earns partial credit
    sources: list[str] = field(default_factory=list)
    event_slugs: list[str] = field(default_factory=list)
    person_slugs: list[str] = field(default_factory=list)
    work_slugs: list[str] = field(default_factory=list)
    idea_slugs: list[str] = field(default_factory=list)
    # What the question asks, for telling two questions about the same fact apart.
    fact: tuple = field(default=(), repr=False, compare=False)

    def to_json(self) -> dict:
        data = asdict(self)
        del data["fact"]
        data["kind"] = str(self.kind)  # a plain string, not the Kind member
        return data


# --- Text: sentences, names, titles ---------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ABBREVIATIONS = {"St", "Mr", "Mrs", "Dr", "Gen", "Lt", "Col", "Jr", "Sr", "c", "ca", "No", "vs"}
_NAME_PARTICLES = {"von", "van", "der", "del", "de", "la", "le", "du", "da", "di", "bin", "ibn"}
_STOPWORDS = {
    "about", "after", "against", "among", "and", "before", "from", "into", "over", "that",
    "the", "their", "them", "then", "this", "under", "what", "when", "which", "with", "without",
}  # fmt: skip


def _month_names() -> tuple[str, ...]:
    """January to December, in the active language."""
    return _months_in(get_language())


@lru_cache(maxsize=64)
def _months_in(language: str | None) -> tuple[str, ...]:
    return tuple(str(MONTHS[m]) for m in range(1, 13))


def _sentences(text: str) -> list[str]:
    """Split a summary into sentences, not at "St." or an initial."""
    found, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[\"'“‘(]?[A-Z])", text):
        words = text[start : match.start()].split()
        last = words[-1].strip("(\"'“‘") if words else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isupper()):
            continue
        found.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        found.append(rest)
    return found


def _first_sentence(text: str) -> str:
    sentences = _sentences(text)
    return _full_stop(sentences[0]) if sentences else ""


def _full_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _clause(text: str) -> str:
    """A sentence to quote inside a question: no final full stop."""
    return text.strip().rstrip(".").strip()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=4096)
def _name_parts(person: PersonFact) -> frozenset[str]:
    """The parts of a person's names that would give them away ("Trotsky", "Bronstein")."""
    parts = set()
    for name in (person.name, *person.aliases):
        for word in _words(name):
            if len(word) >= 4 and word.lower() not in _NAME_PARTICLES:
                parts.add(word.lower())
    return frozenset(parts)


def _names_person(text: str, person: PersonFact, facts: "Facts | None" = None) -> bool:
    """Does `text` name the person, or a word made from their name ("Stalinism")?

    With the facts, a part of another name that is someone else's own name does
    not count: "Natalia Trotsky" is not named by "Trotsky's house".
    """
    parts = facts._name_parts[person.slug] if facts else tuple(_name_parts(person))
    return any(
        word.startswith(parts)
        # "Sedov" gives away "Natalia Sedova" as much as "Sedova" would.
        or (len(word) >= 5 and any(part.startswith(word) for part in parts))
        for word in _lower_words(text)
    )


@lru_cache(maxsize=4096)
def _lower_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _words(text))


def _contains(text: str, phrase: str) -> bool:
    if not phrase or phrase.lower() not in text.lower():
        return False  # the quick answer, most of the time
    return _phrase_pattern(phrase).search(text) is not None


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)


def _quoted(title: str) -> str:
    return f"“{title}”"


def _joined(items: list[str]) -> str:
    """ "a, b and c"; semicolons when an item has its own comma."""
    if len(items) == 1:
        return items[0]
    separator = "; " if any("," in item or " and " in item for item in items) else ", "
    last = "; and " if separator == "; " else " and "
    return separator.join(items[:-1]) + last + items[-1]


def _midsentence(phrase: str) -> str:
    """Close an appositive ("the birth of X, the future Y") before the sentence goes on."""
    return phrase + "," if "," in phrase else phrase


# Titles that start with one of these are common nouns: "Death of Lenin" → "the death of Lenin".
_COMMON_HEADS = {
    "abdication", "arrest", "assassination", "attack", "attempt", "birth", "capture", "collapse",
    "creation", "death", "decree", "defeat", "deportation", "disappearance", "election",
    "escape", "execution", "exile", "expulsion", "failed", "fall", "flight", "formation",
    "founding", "funeral", "imprisonment", "invasion", "killing", "massacre", "meeting",
    "murder", "mutiny", "outbreak", "publication", "purge", "raid", "release", "return",
    "rise", "secret", "siege", "signing", "split", "start", "suicide", "trial", "uprising",
}  # fmt: skip
# A word after the subject that ends like these is a plural noun, not a verb ("hearings").
_NOUN_ENDINGS = ("ings", "ions", "ments", "ists", "ships", "ness", "ities", "ians")
_IRREGULAR_PAST = {
    "become": "became", "begin": "began", "break": "broke", "bring": "brought", "build": "built",
    "choose": "chose", "come": "came", "do": "did", "draw": "drew", "drive": "drove",
    "fall": "fell", "fight": "fought", "find": "found", "flee": "fled", "get": "got",
    "give": "gave", "go": "went", "have": "had", "hold": "held", "keep": "kept", "lead": "led",
    "leave": "left", "lose": "lost", "make": "made", "meet": "met", "overthrow": "overthrew",
    "put": "put", "rise": "rose", "run": "ran", "say": "said", "see": "saw", "seek": "sought",
    "sell": "sold", "send": "sent", "set": "set", "shoot": "shot", "sit": "sat", "speak": "spoke",
    "split": "split", "stand": "stood", "strike": "struck", "take": "took", "teach": "taught",
    "tell": "told", "think": "thought", "throw": "threw", "win": "won", "write": "wrote",
}  # fmt: skip
_IRREGULAR_PARTICIPLES = {
    "beaten", "born", "broken", "brought", "built", "caught", "chosen", "driven", "forbidden",
    "found", "given", "held", "hidden", "kept", "left", "lost", "made", "overthrown", "put",
    "seen", "sent", "shot", "slain", "sold", "stolen", "struck", "sworn", "taken", "thrown",
    "torn", "won", "written",
}  # fmt: skip
# Verbs of more than one syllable that still double their last letter: "expelling".
_DOUBLED = {
    "admit", "commit", "compel", "control", "expel", "occur", "patrol", "permit", "prefer",
    "propel", "rebel", "refer", "repel", "submit",
}  # fmt: skip


def _base_form(verb: str) -> str:
    """ "joins" → "join", "launches" → "launch", "carries" → "carry"."""
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _doubles_last(verb: str) -> bool:
    if verb in _DOUBLED:
        return True
    vowels = re.findall(r"[aeiou]+", verb)
    return (
        len(vowels) == 1
        and len(verb) >= 3
        and verb[-1] not in "aeiouwxy"
        and verb[-2] in "aeiou"
        and verb[-3] not in "aeiou"
    )


def _past(verb: str) -> str:
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "i", "o", "u"):
        return verb[:-1] + "ied"
    if _doubles_last(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _gerund(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if _doubles_last(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


@dataclass(frozen=True)
class _Title:
    """An event title taken apart, so questions can be built around it.

    Curators write two kinds of title: names ("The Moscow Trials", "Death of
    Lenin") and headlines ("Trotsky joins the Bolshevik Party", "Trotsky
    exiled to Alma-Ata"). A headline becomes "did Trotsky join the Bolshevik
    Party" in a question and "Trotsky joining the Bolshevik Party" in a list.
    """

    text: str
    form: str  # "name", "active" (headline in the present) or "passive"
    subject: str = ""
    verb: str = ""  # base form, or the participle of a passive headline
    rest: str = ""
    plural: bool = False

    @property
    def noun(self) -> str:
        """A noun phrase for the middle of a sentence."""
        if self.form == "active":
            return f"{self.subject} {_gerund(self.verb)}{self.rest}"
        if self.form == "passive":
            return f"{self.subject} being {self.verb}{self.rest}"
        first, _space, rest = self.text.partition(" ")
        if first in ("The", "A", "An"):
            return f"{first.lower()} {rest}"
        if first.endswith(("'s", "’s", "s'", "s’")):
            return self.text
        if first.lower() in _COMMON_HEADS:
            return f"the {first.lower()} {rest}".rstrip()
        return f"the {self.text}"

    def question(self, lead: str, *, begin: bool = False) -> str | None:
        """ "In which year" → "In which year did Trotsky join the Bolshevik Party?".

        `begin` asks when a period began; headlines cannot say that, so None.
        """
        if self.form == "active":
            return None if begin else f"{lead} did {self.subject} {self.verb}{self.rest}?"
        if self.form == "passive":
            be = "were" if self.plural else "was"
            return None if begin else f"{lead} {be} {self.subject} {self.verb}{self.rest}?"
        verb = _("begin") if begin else _("take place")
        return f"{lead} did {_midsentence(self.noun)} {verb}?"

    def statement(self, when: str) -> str:
        """ "Trotsky joined the Bolshevik Party in August 1917." """
        if self.form == "active":
            return f"{_cap(self.subject)} {_past(self.verb)}{self.rest} {when}."
        if self.form == "passive":
            be = "were" if self.plural else "was"
            return f"{_cap(self.subject)} {be} {self.verb}{self.rest} {when}."
        return f"{_cap(_midsentence(self.noun))} took place {when}."


@lru_cache(maxsize=4096)
def _parse_title(title: str) -> _Title:
    tokens = title.split()
    subject: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        core = token.strip("\"'“”‘’()")
        joins = (
            token == "and"
            and subject
            and index + 1 < len(tokens)
            and tokens[index + 1][:1].isupper()
        )
        if not (core[:1].isupper() or joins):
            break
        subject.append(token)
        index += 1
        if token.endswith((",", ":", ";")):
            return _Title(title, "name")
    if not subject or index == len(tokens):
        return _Title(title, "name")
    candidate = tokens[index]
    word = candidate.lower()
    rest = "".join(f" {t}" for t in tokens[index + 1 :])
    plural = "and" in subject
    head = " ".join(subject)
    if head.startswith("The "):
        head = "the " + head[4:]
    if not word.isalpha() or word in _STOPWORDS:
        return _Title(title, "name")
    if (word.endswith("ed") and len(word) > 4) or word in _IRREGULAR_PARTICIPLES:
        return _Title(title, "passive", head, word, rest, plural)
    if word.endswith(_NOUN_ENDINGS):
        return _Title(title, "name")
    if plural:
        return _Title(title, "active", head, word, rest, plural)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _Title(title, "active", head, _base_form(word), rest, plural)
    return _Title(title, "name")


def event_phrase(title: str) -> str:
    """An event title as a noun phrase for the middle of a sentence."""
    return _parse_title(title).noun


# --- Dates ----------------------------------------------------------------------------------


def _coarser(a: PartialDate, b: PartialDate) -> str:
    return min(a.precision, b.precision, key=PRECISION_RANK.__getitem__)


def _order(a: PartialDate, b: PartialDate) -> int:
    """-1 if a comes first, 1 if b does, 0 if the data cannot tell (a tie).

    Dates are compared at the coarser precision of the two: "1917" and
    "November 1917" tie. A circa date needs a clear gap of years.
    """
    if a.circa or b.circa:
        if abs(a.year - b.year) < CIRCA_GAP:
            return 0
        return -1 if a.year < b.year else 1
    precision = _coarser(a, b)
    ka, kb = _key(a, precision), _key(b, precision)
    return (ka > kb) - (ka < kb)


def _key(date: PartialDate, precision: str) -> int:
    """`date.truncate(precision).sort_key`, without making a new date."""
    rank = PRECISION_RANK[precision]
    month = (date.month or 0) if rank >= 1 else 0
    day = (date.day or 0) if rank >= 2 else 0
    return date.year * 10000 + month * 100 + day


def _event_order(a: EventFact, b: EventFact) -> int:
    """Which event started first, or 0 when the data cannot tell.

    Russia's Old Style dates run 12-13 days behind. Two Russian events are
    compared in either calendar; a Russian event and one abroad must keep
    their order whichever of the Russian event's dates a reader knows.
    """
    if a.old_style and b.old_style:
        pairs = [(a.start, b.start), (a.old_style, b.old_style)]
    else:
        pairs = [
            (x, y)
            for x in {a.start, a.old_style or a.start}
            for y in {b.start, b.old_style or b.start}
        ]
    orders = {_order(x, y) for x, y in pairs}
    return orders.pop() if len(orders) == 1 else 0


def _old_style_agrees(event: EventFact, precision: str) -> bool:
    """Russia's Old Style date names the same year/month/day as the Gregorian one."""
    if event.old_style is None:
        return True
    return event.old_style.truncate(precision) == event.start.truncate(precision)


def _usable_precision(event: EventFact) -> str:
    """The finest precision at which the event's date can be asked without dispute."""
    for precision in (DAY, MONTH, YEAR):
        if PRECISION_RANK[precision] <= PRECISION_RANK[event.start.precision] and (
            _old_style_agrees(event, precision)
        ):
            return precision
    return YEAR


def _on(date: PartialDate) -> str:
    """ "on 20 August 1940", "in August 1940", "in 1906"."""
    if date.precision == DAY:
        return _("on %(date)s") % {"date": format_date(date)}
    return _("in %(date)s") % {"date": format_date(date)}


def _when(event: EventFact) -> str:
    """ "on 20 August 1940", "from 30 July to 23 August 1903", with the Old Style date."""
    if event.end is None:
        text = _on(event.start)
    else:
        start, end = event.start, event.end
        # Say the year (and month) once when both ends share it.
        if start.circa or start.year != end.year or start.precision == YEAR:
            first = format_date(start)
        elif start.precision == DAY and end.precision == DAY and start.month == end.month:
            first = str(start.day)
        elif start.precision == DAY:
            first = f"{start.day} {MONTHS[start.month]}"
        else:
            first = str(MONTHS[start.month])
        text = _("from %(start)s to %(end)s") % {"start": first, "end": format_date(end)}
    if event.old_style and event.old_style != event.start:
        note = (
            _(" (it began %(date)s by the Old Style calendar then used in Russia)")
            if event.end
            else _(" (%(date)s by the Old Style calendar then used in Russia)")
        )
        date = _on(event.old_style) if event.end else format_date(event.old_style)
        text += note % {"date": date}
    return text


def _active_years(facts: Facts, person: PersonFact) -> tuple[int, int] | None:
    """The years in which a person could plausibly have done something."""
    years = [y for e in facts.events_of(person.slug) for y in (e.start.year, e.last.year)]
    starts = years + ([person.born.year + ADULT_AGE] if person.born else [])
    if person.died:
        ends = [person.died.year]
    elif years:
        ends = [max(years)]
    else:
        ends = [person.born.year + 80] if person.born else []
    if not starts or not ends:
        return None
    lo, hi = min(starts), max(ends)
    return lo, max(lo, hi)


def _active_between(facts: Facts, person: PersonFact, lo: int, hi: int) -> bool:
    span = facts._active.get(person.slug)
    return span is not None and span[0] <= hi and lo <= span[1]


def _months(event: EventFact) -> set[int]:
    """The months of its first year an event covers (its start has a month)."""
    start, end = event.start, event.end
    if end is None:
        return {start.month}
    if end.year > start.year or end.month is None:
        return set(range(start.month, 13))
    return set(range(start.month, end.month + 1))


def _may_overlap(event: EventFact, date: PartialDate) -> bool:
    """Could the event have been going on at `date` (as precisely as both are known)?"""
    if event.start.circa or event.last.circa:
        return event.start.year - CIRCA_GAP < date.year < event.last.year + CIRCA_GAP
    if _order(event.start, date) <= 0 and _order(date, event.last) <= 0:
        return True
    # A reader may know the Russian (Old Style) date: 30 October 1917 OS is 12 November.
    old = event.old_style
    return old is not None and _order(old, date) <= 0 and _order(date, event.last) <= 0


# --- Building questions ---------------------------------------------------------------------


@dataclass
class _Scope:
    """The records questions are built from (distractors may come from anywhere)."""

    events: list[EventFact]
    people: list[PersonFact]
    works: list[WorkFact]
    ideas: list[IdeaFact]


def _remember(facts: Facts, key: tuple, compute: Callable):
    """compute(), done once per facts (and language): the seed never changes it."""
    key = (get_language(), *key)
    if key not in facts._memo:
        facts._memo[key] = compute()
    return facts._memo[key]


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def _nearest(rng: random.Random, candidates: list, count: int, distance: Callable) -> list | None:
    """`count` of the candidates, chosen at random among the nearest few."""
    if len(candidates) < count:
        return None
    # Shuffled first, so the sort (which is stable) breaks ties at random.
    ranked = sorted(rng.sample(candidates, len(candidates)), key=distance)
    return rng.sample(ranked[: max(2 * count, count + 3)], count)


def _shuffled(rng: random.Random, items: list[str]) -> list[str]:
    items = list(items)
    rng.shuffle(items)
    return items


def _sources(*records) -> list[str]:
    return sorted({s for r in records if r is not None for s in r.sources})


@lru_cache(maxsize=4096)
def _event_note(event: EventFact, language: str | None = None) -> str:
    """Two sentences: when it happened, then the first sentence of its summary."""
    return f"{_parse_title(event.title).statement(_when(event))} {_first_sentence(event.summary)}"


@lru_cache(maxsize=4096)
def _person_note(person: PersonFact, language: str | None = None) -> str:
    life = []
    if person.born:
        life.append(_("born %(date)s") % {"date": format_date(person.born)})
    if person.died:
        life.append(_("died %(date)s") % {"date": format_date(person.died)})
    head = f"{person.name} ({', '.join(life)})" if life else person.name
    return f"{head}: {_first_sentence(person.summary)}"


def _person_era(facts: Facts, person: PersonFact) -> tuple[int, int]:
    return facts._active.get(person.slug) or (-(10**6), 10**6)


def _person_candidates(facts, lo, hi, *, exclude=(), prompt="") -> list[PersonFact]:
    """People active between the years, not excluded and not named in the prompt."""

    def compute():
        return [
            p
            for p in facts.people
            if p.slug not in exclude
            and _active_between(facts, p, lo, hi)
            and not _names_person(prompt, p, facts)
        ]

    return _remember(facts, ("people", lo, hi, frozenset(exclude), prompt), compute)


def _person_distance(facts: Facts, year: int) -> Callable:
    def distance(person: PersonFact):
        lo, hi = _person_era(facts, person)
        return 0 if lo <= year <= hi else min(abs(lo - year), abs(hi - year))

    return distance


def _event_distance(event: EventFact) -> Callable:
    return lambda other: abs(other.start.year - event.start.year)


def _event_candidates(facts: Facts, event: EventFact, prompt: str) -> list[EventFact]:
    return [
        other
        for other in facts.events
        if other.title != event.title
        and abs(other.start.year - event.start.year) <= ERA_YEARS
        and not _contains(prompt, other.title)
    ]


_WHO_PROMPTS = {
    Role.LEADER.value: gettext_noop("Who was the leading figure in %(event)s?"),
    Role.ORGANISER.value: gettext_noop("Who organised %(event)s?"),
    Role.COMMANDER.value: gettext_noop("Who was in command in %(event)s?"),
    Role.AUTHOR.value: gettext_noop("Who was the author of %(event)s?"),
    Role.VICTIM.value: gettext_noop("Who was the victim of %(event)s?"),
    Role.ASSASSIN.value: gettext_noop("Who carried out %(event)s?"),
    Role.DEFENDANT.value: gettext_noop("Who stood trial in %(event)s?"),
    Role.ACCUSER.value: gettext_noop("Who made the accusations in %(event)s?"),
    Role.SIGNATORY.value: gettext_noop("Which of these people signed %(event)s?"),
    Role.EXILE.value: gettext_noop("Who was sent into exile in %(event)s?"),
}
# Participants and witnesses are left out: the unit lists the people who matter
# to its story, not everyone who was there, so "who took part?" has no safe
# distractors (Stalin took part in the 1905 revolution without being listed).


def _who_prompt(event: EventFact, role: str) -> str | None:
    title = _parse_title(event.title)
    if role not in _WHO_PROMPTS or title.form != "name":
        return None
    template = _WHO_PROMPTS[role]
    if role == Role.LEADER and title.text.split()[0].lower() in _ORDERS:
        template = gettext_noop("Who issued %(event)s?")  # not "the leading figure in a decree"
    return _(template) % {"event": title.noun}


_ORDERS = {"decree", "edict", "order", "declaration", "manifesto", "proclamation"}


def _build_who_role(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        holders = defaultdict(list)
        for slug, role in event.roles:
            holders[role].append(slug)
        involved = {slug for slug, _role in event.roles}
        for role, slugs in sorted(holders.items()):
            prompt = _who_prompt(event, role)
            if prompt is None or len(slugs) != 1:
                continue  # two people held the role: no single answer
            person = facts.person(slugs[0])
            if _names_person(prompt, person, facts):
                continue
            rng = ctx.rng(event.slug, role)
            candidates = _person_candidates(
                facts, event.start.year, event.last.year, exclude=involved, prompt=prompt
            )
            distractors = _nearest(rng, candidates, 3, _person_distance(facts, event.start.year))
            if distractors is None:
                continue
            label = Role(role).label
            yield ctx.multiple_choice(
                rng,
                prompt=prompt,
                answer=person.name,
                distractors=[p.name for p in distractors],
                explanation=_("%(name)s was the %(role)s in %(event)s (%(when)s). %(summary)s")
                % {
                    "name": person.name,
                    "role": label,
                    "event": _parse_title(event.title).noun,
                    "when": _plain_when(event),
                    "summary": _first_sentence(event.summary),
                },
                sources=_sources(event),
                event_slugs=[event.slug],
                person_slugs=[person.slug],
                fact=("who_role", event.slug, role),
            )


# Words whose first letters differ from their family's: "died" gives away "Death of Lenin".
_SAME_WORD = {
    "died": "death", "dies": "death", "dead": "death", "killed": "killing", "kills": "killing",
    "expulsion": "expel", "expelled": "expel", "invasion": "invade", "invaded": "invade",
    "invades": "invade", "shot": "shoot", "fled": "flight", "flees": "flight", "born": "birth",
    "chose": "choose", "chosen": "choose", "signed": "sign", "signing": "sign",
}  # fmt: skip


def _giveaways(title: str, clue: str, others: list[str]) -> list[str]:
    """Words of the title (or words sharing their stem) in the clue that no other option has."""

    def stems(text):
        words = (w.lower() for w in _words(text))
        return {_SAME_WORD.get(w, w)[:5] for w in words if len(w) >= 4 and w not in _STOPWORDS}

    shared = set().union(*(stems(other) for other in others)) if others else set()
    return sorted((stems(title) & stems(clue)) - shared)


def _clues(facts: Facts, event: EventFact) -> list[tuple[str, str, list[EventFact]]]:
    """(clue, prompt, possible distractors) for each sentence of the summary that may do."""
    clues = []
    for sentence in _sentences(event.summary):
        clue = _clause(sentence)
        if len(clue.split()) < 6 or _contains(clue, _bare_title(event.title)):
            continue
        if clue.split()[0].lower() in _VAGUE_STARTS:
            continue  # "He was then denounced...": out of context, it describes nothing
        prompt = _("Which event does this describe: “%(clue)s”?") % {"clue": clue}
        candidates = [
            e
            for e in _event_candidates(facts, event, prompt)
            if clue.lower() not in e.summary.lower() and not _contains(prompt, _bare_title(e.title))
        ]
        clues.append((clue, prompt, candidates))
    return clues


def _build_which_described(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        rng = ctx.rng(event.slug)
        clues = _remember(facts, ("clues", event.slug), partial(_clues, facts, event))
        for clue, prompt, candidates in clues:
            distractors = _nearest(rng, candidates, 3, _event_distance(event))
            if distractors is None:
                break
            if _giveaways(event.title, clue, [e.title for e in distractors]):
                continue
            yield ctx.multiple_choice(
                rng,
                prompt=prompt,
                answer=event.title,
                distractors=[e.title for e in distractors],
                explanation=_event_note(event, get_language()),
                sources=_sources(event),
                event_slugs=[event.slug],
                fact=("which_described", event.slug),
            )
            break


_VAGUE_STARTS = {
    "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those", "that",
    "there", "then", "later", "afterwards",
}  # fmt: skip


def _bare_title(title: str) -> str:
    return title[4:] if title.startswith("The ") else title


def _on_date_prompt(event: EventFact, precision: str) -> str:
    date = _on(event.start.truncate(precision))
    if event.end is not None:
        return _("Which of these events began %(date)s?") % {"date": date}
    return _("Which of these events took place %(date)s?") % {"date": date}


def _shares_date_words(title: str, date: PartialDate) -> bool:
    """Does the title say the year or the month of the date ("Failed September Uprising")?"""
    words = [format_year(date.year)]
    if date.month is not None:
        words.append(_month_names()[date.month - 1])
    return any(_contains(title, word) for word in words)


def _on_date_setup(facts: Facts, event: EventFact) -> tuple[str, list[EventFact]] | None:
    precision = _usable_precision(event)
    date = event.start.truncate(precision)
    if _shares_date_words(event.title, date):
        return None  # "Failed September Uprising": the title gives the month away
    prompt = _on_date_prompt(event, precision)
    candidates = [
        e
        for e in _event_candidates(facts, event, prompt)
        if not _may_overlap(e, date) and not _shares_date_words(e.title, date)
    ]
    return prompt, candidates


def _build_on_date(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        setup = _remember(facts, ("on_date", event.slug), partial(_on_date_setup, facts, event))
        if setup is None:
            continue
        prompt, candidates = setup
        rng = ctx.rng(event.slug)
        distractors = _nearest(rng, candidates, 3, _event_distance(event))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=event.title,
            distractors=[e.title for e in distractors],
            explanation=_event_note(event, get_language()),
            sources=_sources(event),
            event_slugs=[event.slug],
            fact=("on_date", event.slug),
        )


def _month_prompt(event: EventFact) -> str | None:
    lead = _("In which month of %(year)s") % {"year": format_year(event.start.year)}
    return _parse_title(event.title).question(lead, begin=len(_months(event)) > 1)


def _build_month(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    for event in ctx.scope.events:
        if event.start.month is None or event.start.circa or not _old_style_agrees(event, MONTH):
            continue  # never ask more than the data knows, or a date the calendars dispute
        prompt = _month_prompt(event)
        months = _month_names()
        if prompt is None or any(_contains(prompt, m) for m in months):
            continue
        rng = ctx.rng(event.slug)
        answer = months[event.start.month - 1]
        others = [months[m - 1] for m in range(1, 13) if m not in _months(event)]
        if len(others) < 3:
            continue  # it went on all year: every other month is inside its own dates
        distractors = rng.sample(others, 3)
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=answer,
            distractors=distractors,
            explanation=_event_note(event, get_language()),
            sources=_sources(event),
            event_slugs=[event.slug],
            fact=("month", event.slug),
        )


def _year_options(rng: random.Random, first: int, last: int, latest: int | None) -> list[int]:
    """Three years near a record, never inside its own range, never equal, never future."""
    below = [y for y in range(first - YEAR_SPREAD, first) if y != 0]
    top = last + YEAR_SPREAD if latest is None else min(last + YEAR_SPREAD, latest)
    above = [y for y in range(last + 1, top + 1) if y != 0]
    how_many_below = rng.randint(max(0, 3 - len(above)), 3)
    return rng.sample(below, how_many_below) + rng.sample(above, 3 - how_many_below)


def _tolerance(date: PartialDate, ranged: bool) -> int:
    if date.circa:
        return 5
    return 1 if ranged else 2


def _year_question(
    ctx: "_Context", rng, *, typed: bool, prompt, date, last_year, explanation, fact, **links
) -> GeneratedQuestion:
    answer = date.year
    if typed:
        options, tolerance = [], _tolerance(date, last_year != date.year)
    else:
        years = [answer, *_year_options(rng, answer, last_year, ctx.facts.latest_year)]
        options, tolerance = _shuffled(rng, [format_year(y) for y in years]), 0
    return ctx.question(
        prompt=prompt,
        options=options,
        answer=answer,
        tolerance=tolerance,
        explanation=explanation,
        fact=(("year_typed" if typed else "year_choice"), *fact),
        **links,
    )


def _event_year_prompt(event: EventFact, typed: bool) -> str | None:
    lead = _("In which year") if typed else _("When")
    return _parse_title(event.title).question(lead, begin=event.last.year != event.start.year)


def _same_fact_as_life(facts: Facts, event: EventFact) -> tuple | None:
    """An event that is somebody's birth or death asks the same fact as their life dates."""
    for person in facts.people:
        for which, date in (("born", person.born), ("died", person.died)):
            if date == event.start and event.end is None:
                involved = any(slug == person.slug for slug, _role in event.roles)
                if involved or _names_person(event.title, person, facts):
                    return (which, person.slug)
    return None


def _build_event_year(ctx: "_Context", typed: bool) -> Iterator[GeneratedQuestion]:
    for event in ctx.scope.events:
        prompt = _event_year_prompt(event, typed)
        if prompt is None or _contains(prompt, format_year(event.start.year)):
            continue
        if not _old_style_agrees(event, YEAR) or (event.start.circa and not typed):
            continue
        yield _year_question(
            ctx,
            ctx.rng(event.slug),
            typed=typed,
            prompt=prompt,
            date=event.start,
            last_year=event.last.year,
            explanation=_event_note(event, get_language()),
            fact=_same_fact_as_life(ctx.facts, event) or ("event", event.slug),
            sources=_sources(event),
            event_slugs=[event.slug],
        )


_LIFE_PROMPTS = {
    ("born", True): gettext_noop("In which year was %(name)s born?"),
    ("born", False): gettext_noop("When was %(name)s born?"),
    ("died", True): gettext_noop("In which year did %(name)s die?"),
    ("died", False): gettext_noop("When did %(name)s die?"),
}


def _build_life_year(ctx: "_Context", which: str, typed: bool) -> Iterator[GeneratedQuestion]:
    for person in ctx.scope.people:
        date = getattr(person, which)
        if date is None or (date.circa and not typed):
            continue
        prompt = _(_LIFE_PROMPTS[which, typed]) % {"name": person.name}
        if _contains(prompt, format_year(date.year)):
            continue
        yield _year_question(
            ctx,
            ctx.rng(person.slug),
            typed=typed,
            prompt=prompt,
            date=date,
            last_year=date.year,
            explanation=_person_note(person, get_language()),
            fact=(which, person.slug),
            sources=_sources(person),
            person_slugs=[person.slug],
        )


def _work_note(facts: Facts, work: WorkFact) -> str:
    author = facts.person(work.author) if work.author else None
    parts = {"title": _quoted(work.title)}
    if author and work.published:
        parts.update(name=author.name, date=format_date(work.published))
        head = _("%(title)s is by %(name)s, first published in %(date)s.") % parts
    elif author:
        head = _("%(title)s is by %(name)s.") % {**parts, "name": author.name}
    else:
        head = _("%(title)s was first published in %(date)s.") % {
            **parts,
            "date": format_date(work.published),
        }
    return f"{head} {_first_sentence(work.summary)}"


def _build_work_year(ctx: "_Context", typed: bool) -> Iterator[GeneratedQuestion]:
    for work in ctx.scope.works:
        if work.published is None or (work.published.circa and not typed):
            continue
        lead = _("In which year was") if typed else _("When was")
        prompt = _("%(lead)s %(title)s first published?") % {
            "lead": lead,
            "title": _quoted(work.title),
        }
        if _contains(prompt, format_year(work.published.year)):
            continue
        yield _year_question(
            ctx,
            ctx.rng(work.slug),
            typed=typed,
            prompt=prompt,
            date=work.published,
            last_year=work.published.year,
            explanation=_work_note(ctx.facts, work),
            fact=("published", work.slug),
            sources=_sources(work),
            work_slugs=[work.slug],
            person_slugs=[work.author] if work.author else [],
        )


def _work_years(facts: Facts, work: WorkFact) -> tuple[int, int]:
    if work.published:
        return work.published.year, work.published.year
    author = facts.person(work.author) if work.author else None
    return _person_era(facts, author) if author else (-(10**6), 10**6)


def _build_work_author(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for work in ctx.scope.works:
        author = facts.person(work.author) if work.author else None
        prompt = _("Who wrote %(title)s?") % {"title": _quoted(work.title)}
        if author is None or _names_person(prompt, author, facts):
            continue
        rng = ctx.rng(work.slug)
        lo, hi = _work_years(facts, work)
        # Someone with a work of the same title might be its author too.
        same_title = {w.author for w in facts.works if w.title == work.title}
        candidates = _person_candidates(facts, lo, hi, exclude=same_title, prompt=prompt)
        distractors = _nearest(rng, candidates, 3, _person_distance(facts, lo))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=author.name,
            distractors=[p.name for p in distractors],
            explanation=_work_note(facts, work),
            sources=_sources(work),
            work_slugs=[work.slug],
            person_slugs=[author.slug],
            fact=("work_author", work.slug),
        )


def _published_distance(year: int, work: WorkFact) -> int:
    return abs((work.published.year if work.published else 10**6) - year)


def _build_works_of(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        works = [w for w in facts.works if w.author == person.slug]
        prompt = _("Which of these did %(name)s write?") % {"name": person.name}
        # A work with no known author might be theirs: never a distractor.
        others = [w for w in facts.works if w.author not in (None, person.slug)]
        if not works or len(others) < 3:
            continue
        rng = ctx.rng(person.slug)
        work = rng.choice(works)
        year = work.published.year if work.published else _person_era(facts, person)[0]
        titles = {w.title for w in works}
        candidates = [w for w in others if w.title not in titles]
        distractors = _nearest(
            rng,
            candidates,
            3,
            partial(_published_distance, year),
        )
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=work.title,
            distractors=[w.title for w in distractors],
            explanation=_work_note(facts, work),
            sources=_sources(work),
            work_slugs=[work.slug],
            person_slugs=[person.slug],
            fact=("works_of", person.slug),
        )


def _idea_note(facts: Facts, idea: IdeaFact) -> str:
    names = _joined([facts.person(slug).name for slug in idea.people])
    return _("%(idea)s is associated with %(names)s. %(summary)s") % {
        "idea": _quoted(idea.name),
        "names": names,
        "summary": _first_sentence(idea.summary),
    }


def _idea_prompt(idea: IdeaFact) -> str:
    return _("Which of these people is associated with the idea of %(idea)s?") % {
        "idea": _quoted(idea.name)
    }


def _build_idea_person(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    scope_people = {p.slug for p in ctx.scope.people}
    for idea in ctx.scope.ideas:
        prompt = _idea_prompt(idea)
        people = [
            facts.person(slug)
            for slug in idea.people
            if slug in scope_people and not _names_person(prompt, facts.person(slug), facts)
        ]
        if not people:
            continue
        rng = ctx.rng(idea.slug)
        person = rng.choice(people)
        lo, hi = _person_era(facts, person)
        candidates = _person_candidates(facts, lo, hi, exclude=idea.people, prompt=prompt)
        distractors = _nearest(rng, candidates, 3, _person_distance(facts, (lo + hi) // 2))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=person.name,
            distractors=[p.name for p in distractors],
            explanation=_idea_note(facts, idea),
            sources=_sources(idea),
            idea_slugs=[idea.slug],
            person_slugs=[person.slug],
            fact=("idea_person", idea.slug),
        )


def _build_ideas_of(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        ideas = [
            i
            for i in facts.ideas
            if person.slug in i.people and not _names_person(i.name, person, facts)
        ]
        prompt = _("Which of these ideas is associated with %(name)s?") % {"name": person.name}
        candidates = [
            i
            for i in facts.ideas
            if person.slug not in i.people and not _names_person(i.name, person, facts)
        ]
        if not ideas or len(candidates) < 3:
            continue
        rng = ctx.rng(person.slug)
        idea = rng.choice(ideas)
        distractors = rng.sample(candidates, 3)
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=idea.name,
            distractors=[i.name for i in distractors],
            explanation=_idea_note(facts, idea),
            sources=_sources(idea),
            idea_slugs=[idea.slug],
            person_slugs=[person.slug],
            fact=("ideas_of", person.slug),
        )


def _build_person_described(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        rng = ctx.rng(person.slug)
        for sentence in _sentences(person.summary):
            clue = _clause(sentence)
            if len(clue.split()) < 5 or _names_person(clue, person, facts):
                continue
            prompt = _("Who is described here: “%(clue)s”?") % {"clue": clue}
            lo, hi = _person_era(facts, person)
            candidates = [
                p
                for p in _person_candidates(facts, lo, hi, exclude={person.slug}, prompt=prompt)
                if clue.lower() not in p.summary.lower()
            ]
            born = person.born.year if person.born else lo
            distractors = _nearest(rng, candidates, 3, _person_distance(facts, born + ADULT_AGE))
            if distractors is None:
                break
            yield ctx.multiple_choice(
                rng,
                prompt=prompt,
                answer=person.name,
                distractors=[p.name for p in distractors],
                explanation=_person_note(person, get_language()),
                sources=_sources(person),
                person_slugs=[person.slug],
                fact=("described", person.slug),
            )
            break


def _alias_prompt(alias: str) -> str:
    return _("Who was also known as %(alias)s?") % {"alias": alias}


def _build_alias(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        name = PersonFact(person.slug, person.name)
        usable = [a for a in person.aliases if not _names_person(a, name)]
        if not usable:
            continue
        rng = ctx.rng(person.slug)
        alias = rng.choice(usable)
        prompt = _alias_prompt(alias)
        lo, hi = _person_era(facts, person)
        sharing = {p.slug for p in facts.people if alias in p.aliases or alias == p.name}
        candidates = _person_candidates(facts, lo, hi, exclude=sharing, prompt=prompt)
        born = person.born.year if person.born else lo
        distractors = _nearest(rng, candidates, 3, _person_distance(facts, born + ADULT_AGE))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=person.name,
            distractors=[p.name for p in distractors],
            explanation=_person_note(person, get_language()),
            sources=_sources(person),
            person_slugs=[person.slug],
            fact=("alias", person.slug),
        )


def _in_order(events: Iterable[EventFact]) -> list[EventFact]:
    return sorted(events, key=lambda e: (e.start.sort_key, e.slug))


def _dated(event: EventFact) -> str:
    return f"{event.title} ({_plain_when(event)})"


def _plain_when(event: EventFact) -> str:
    """A date or a range, written out, for lists."""
    return format_range(event.start, event.end)


def _chronology_prompt(events: list[EventFact]) -> str:
    nouns = [_parse_title(e.title).noun for e in events]
    return _("Put these events in order, earliest first: %(events)s.") % {"events": _joined(nouns)}


def _chronology_sets(rng, facts, events: list[EventFact], cap: int) -> Iterator[list[EventFact]]:
    """Up to `cap` distinct sets of 3 to 5 events that can be put in order."""

    def orderable(chosen) -> bool:
        return not any(facts.tie(a, b) for a, b in combinations(chosen, 2))

    sizes = range(3, min(5, len(events)) + 1)
    if sum(comb(len(events), size) for size in sizes) <= ENUMERATE_SETS:
        # A small unit: list every set, so none is missed and no time is wasted.
        sets = [list(c) for size in sizes for c in combinations(events, size) if orderable(c)]
        rng.shuffle(sets)
        yield from sets[:cap]
        return
    seen, misses = set(), 0
    while len(seen) < cap and misses < 1000:
        chosen = rng.sample(events, rng.choice(sizes))
        key = frozenset(e.slug for e in chosen)
        if key in seen or not orderable(chosen):
            misses += 1
            continue
        misses = 0
        seen.add(key)
        yield chosen


def _build_chronology(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    for chosen in _chronology_sets(rng, ctx.facts, ctx.scope.events, ctx.cap):
        key = frozenset(e.slug for e in chosen)
        ordered = _in_order(chosen)
        shown = rng.sample(chosen, len(chosen))
        while [e.slug for e in shown] == [e.slug for e in ordered]:
            rng.shuffle(shown)
        yield ctx.question(
            prompt=_chronology_prompt(shown),
            options=[e.title for e in shown],
            answer=[e.title for e in ordered],
            explanation=_("In order: %(events)s.")
            % {"events": _joined([_dated(e) for e in ordered])},
            sources=_sources(*ordered),
            event_slugs=[e.slug for e in ordered],
            fact=("chronology", key),
        )


def _which_first_prompt(a: EventFact, b: EventFact) -> str:
    first = _midsentence(_parse_title(a.title).noun)
    return _("Which came first: %(a)s or %(b)s?") % {"a": first, "b": _parse_title(b.title).noun}


def _build_which_first(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    pairs = [(a, b) for a, b in combinations(ctx.scope.events, 2) if not ctx.facts.tie(a, b)]
    rng.shuffle(pairs)
    for a, b in pairs[: ctx.cap]:
        shown = _shuffled(rng, [a, b])
        earlier, later = _in_order([a, b])
        yield ctx.question(
            prompt=_which_first_prompt(*shown),
            options=[e.title for e in shown],
            answer=earlier.title,
            explanation=" ".join(
                _parse_title(e.title).statement(_when(e)) for e in (earlier, later)
            ),
            sources=_sources(a, b),
            event_slugs=[earlier.slug, later.slug],
            fact=("which_first", frozenset((a.slug, b.slug))),
        )


def _build_born_first(ctx: "_Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    people = [p for p in ctx.scope.people if p.born]
    pairs = [(a, b) for a, b in combinations(people, 2) if _order(a.born, b.born) != 0]
    rng.shuffle(pairs)
    for a, b in pairs[: ctx.cap]:
        shown = _shuffled(rng, [a, b])
        earlier, later = sorted([a, b], key=lambda p: p.born.sort_key)
        yield ctx.question(
            prompt=_("Who was born first: %(a)s or %(b)s?")
            % {"a": shown[0].name, "b": shown[1].name},
            options=[p.name for p in shown],
            answer=earlier.name,
            explanation=_("%(earlier)s was born %(when)s, %(later)s %(then)s.")
            % {
                "earlier": earlier.name,
                "when": _on(earlier.born),
                "later": later.name,
                "then": _on(later.born),
            },
            sources=_sources(a, b),
            person_slugs=[earlier.slug, later.slug],
            fact=("born_first", frozenset((a.slug, b.slug))),
        )


@dataclass(frozen=True)
class _Template:
    """One way of asking a question: its name (which each question keeps), its kind, how
    it is built from the facts and how a question it made is checked against them."""

    name: str
    kind: str
    build: Callable[["_Context"], Iterable[GeneratedQuestion]]
    check: Callable[["_Checker"], list[str]]
    weight: int = 1  # questions per round when templates of a kind take turns
    says_date: bool = False  # the prompt gives its event's date, never finer than the record


@dataclass
class _Context:
    """What a template builds from: the facts, the records in scope, the seed."""

    facts: Facts
    scope: _Scope
    seed: int
    cap: int  # the most questions a combinatorial template need make
    template: _Template

    def rng(self, *parts) -> random.Random:
        """The random source of one question: the seed, the template and `parts` (its record)."""
        return _rng(self.seed, self.template.name, *parts)

    def question(self, **fields) -> GeneratedQuestion:
        return GeneratedQuestion(kind=self.template.kind, template=self.template.name, **fields)

    def multiple_choice(self, rng, *, answer: str, distractors: list[str], **fields):
        """The answer among its distractors, shuffled."""
        return self.question(
            options=_shuffled(rng, [answer, *distractors]), answer=answer, **fields
        )


# --- Choosing questions ---------------------------------------------------------------------


def _scope(facts, event_slugs, person_slugs, start_year, end_year) -> _Scope:
    for wanted, known, label in (
        (event_slugs, {e.slug for e in facts.events}, "event"),
        (person_slugs, {p.slug for p in facts.people}, "person"),
    ):
        unknown = sorted(set(wanted or ()) - known)
        if unknown:
            raise ValueError(f"unknown {label} slug(s) in this unit: {', '.join(unknown)}")

    def in_years(first: int | None, last: int | None) -> bool:
        return (start_year is None or last is None or last >= start_year) and (
            end_year is None or first is None or first <= end_year
        )

    events = [
        e
        for e in facts.events
        if (event_slugs is None or e.slug in event_slugs)
        and (person_slugs is None or any(slug in person_slugs for slug, _role in e.roles))
        and in_years(e.start.year, e.last.year)
    ]
    in_events = {slug for e in events for slug, _role in e.roles}
    people = [
        p
        for p in facts.people
        if (person_slugs is None or p.slug in person_slugs)
        and (event_slugs is None or p.slug in in_events)
        and in_years(p.born.year if p.born else None, p.died.year if p.died else None)
    ]
    filtered = event_slugs is not None or person_slugs is not None
    chosen = {p.slug for p in people}
    works = [
        w
        for w in facts.works
        if (not filtered or w.author in chosen)
        and (w.published is None or in_years(w.published.year, w.published.year))
    ]
    # Ideas have no date: with any limit they follow their people.
    limited = filtered or start_year is not None or end_year is not None
    ideas = [i for i in facts.ideas if not limited or chosen.intersection(i.people)]
    return _Scope(events, people, works, ideas)


def _interleaved(rng: random.Random, groups: list[tuple[int, list[GeneratedQuestion]]]):
    """Round-robin over the templates' questions, so no template crowds out the rest.

    A template of weight 3 gives three questions a round to another's one.
    """
    groups = [(weight, list(questions)) for weight, questions in groups if questions]
    for _weight, questions in groups:
        rng.shuffle(questions)
    rng.shuffle(groups)
    start = {id(questions): 0 for _weight, questions in groups}
    while groups:
        for weight, questions in groups:
            at = start[id(questions)]
            yield from questions[at : at + weight]
            start[id(questions)] = at + weight
        groups = [(w, q) for w, q in groups if start[id(q)] < len(q)]


def _normal_kinds(kinds) -> list[str]:
    if not kinds:
        return list(Kind.values)
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown:
        raise ValueError(
            f"unknown question kind(s): {', '.join(map(str, unknown))} "
            f"(choose from {', '.join(Kind.values)})"
        )
    return [k for k in Kind.values if k in set(kinds)]


def _candidates(facts, *, seed, kinds, scope, cap) -> dict[str, list[tuple[int, list]]]:
    """Every template's questions, by kind, each list with its template's weight."""
    by_kind: dict[str, list[tuple[int, list]]] = {kind: [] for kind in kinds}
    for template in TEMPLATES:
        if template.kind in by_kind:
            ctx = _Context(facts=facts, scope=scope, seed=seed, cap=cap, template=template)
            by_kind[template.kind].append((template.weight, list(template.build(ctx))))
    return by_kind


def _take_turns(pools: dict[str, list], count: int, accept: Callable) -> list[GeneratedQuestion]:
    """Up to `count` accepted questions, the kinds taking turns, so they share the count as
    evenly as the facts allow; grouped by kind, each kind's in the order of its pool.

    `accept` sees each candidate once, in turn, and is told nothing of the rest: what
    it accepted is taken.
    """
    taken: dict[str, list] = {kind: [] for kind in pools}
    queues = {kind: iter(pool) for kind, pool in pools.items()}
    total = 0
    while total < count and queues:
        for kind in list(queues):
            question = next(filter(accept, queues[kind]), None)
            if question is None:
                del queues[kind]
                continue
            taken[kind].append(question)
            total += 1
            if total == count:
                break
    return [question for questions in taken.values() for question in questions]


def spread(questions: Iterable[GeneratedQuestion], count: int) -> list[GeneratedQuestion]:
    """Up to `count` of `questions`, in their order, the kinds shared as `generate` shares them.

    For taking a set's worth from a longer list, as the admin's preview does when a
    teacher turns some questions down.
    """
    questions = list(questions)
    by_kind: dict[str, list] = {kind: [] for kind in Kind.values}
    for question in questions:
        by_kind[question.kind].append(question)
    kept = {id(q) for q in _take_turns(by_kind, count, accept=lambda q: True)}
    return [q for q in questions if id(q) in kept]


def _pools(facts, *, count, seed, kinds, event_slugs, person_slugs, start_year, end_year):
    """The candidates of each kind, no two asking the same thing, and the seeded shuffler."""
    kinds = _normal_kinds(list(kinds) if kinds is not None else None)
    scope = _scope(
        facts,
        set(event_slugs) if event_slugs is not None else None,
        set(person_slugs) if person_slugs is not None else None,
        start_year,
        end_year,
    )
    rng = random.Random(seed)
    pools: dict[str, list[GeneratedQuestion]] = {}
    prompts, asked = set(), set()
    for kind, groups in _candidates(facts, seed=seed, kinds=kinds, scope=scope, cap=count).items():
        pools[kind] = []
        for question in _interleaved(rng, groups):
            if question.prompt not in prompts and question.fact not in asked:
                prompts.add(question.prompt)
                asked.add(question.fact)
                pools[kind].append(question)
    return rng, pools


def _sound(facts: Facts) -> Callable[[GeneratedQuestion], bool]:
    # Belt and braces: the templates should never make a question the checker rejects
    # (the tests hold them to that), and if one does it is dropped rather than shown
    # to a class.
    return lambda question: not check_question(question, facts)


def generate(
    facts: Facts,
    *,
    count: int,
    seed: int,
    kinds: Iterable[str] | None = None,
    event_slugs: Iterable[str] | None = None,
    person_slugs: Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> list[GeneratedQuestion]:
    """Up to `count` distinct, valid questions; fewer when the facts cannot support more.

    `event_slugs`, `person_slugs` and the years limit the records questions are
    built from (events they name or involve, people in them, their works and
    ideas); distractors may come from the whole unit.

    A list of what the facts give, for reading or auditing; questions to put
    together before a class come from `generate_set`, which also keeps any one of
    them from giving another away.
    """
    if count < 1:
        return []
    rng, pools = _pools(
        facts,
        count=count,
        seed=seed,
        kinds=kinds,
        event_slugs=event_slugs,
        person_slugs=person_slugs,
        start_year=start_year,
        end_year=end_year,
    )
    chosen = _take_turns(pools, count, accept=_sound(facts))
    rng.shuffle(chosen)
    return chosen


@dataclass
class Batch:
    questions: list[GeneratedQuestion]
    # Questions these settings made that the set already held (and so were left out).
    repeats: int = 0


def generate_set(
    facts: Facts,
    *,
    count: int,
    seed: int,
    kinds: Iterable[str] | None = None,
    event_slugs: Iterable[str] | None = None,
    person_slugs: Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    already: Iterable[GeneratedQuestion] = (),
) -> Batch:
    """Up to `count` questions to stand together in one set, made as `generate` makes them
    (the same `kinds` and limits, shared out the same way), of which none repeats or gives
    away the answer of another, or of a question `already` in the set.

    A question the set already holds counts as made: its place goes to the next one, so
    the set still grows by `count` when the facts allow.
    """
    if count < 1:
        return Batch([])
    rng, pools = _pools(
        facts,
        count=count,
        seed=seed,
        kinds=kinds,
        event_slugs=event_slugs,
        person_slugs=person_slugs,
        start_year=start_year,
        end_year=end_year,
    )
    so_far = _SetSoFar(facts, already)
    sound = _sound(facts)

    def accept(question: GeneratedQuestion) -> bool:
        if so_far.fits(question) and sound(question):
            so_far.add(question)
            return True
        return False

    chosen = _take_turns(pools, count, accept=accept)
    rng.shuffle(chosen)
    return Batch(chosen, repeats=len(so_far.repeated))


# --- One set: no question twice, none giving another away ----------------------------------


def normal_text(text: str) -> str:
    """Text as compared for sameness: case, accents' encoding, punctuation and spacing aside."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


_ORDERING = (Kind.CHRONOLOGY, Kind.WHICH_FIRST)


def _answer_text(question: GeneratedQuestion) -> str | None:
    """The answer as words another question could contain.

    An ordering question has none: its answer is which came first, and another
    question naming one of its events tells nothing of that.
    """
    answer = question.answer
    if question.kind in _ORDERING or answer is None or answer == "":
        return None
    return format_year(answer) if isinstance(answer, int) else str(answer)


def question_key(question: GeneratedQuestion) -> tuple:
    """What makes two questions the same question: kind, prompt and correct answer."""
    answer = question.answer
    if isinstance(answer, list):
        answer = tuple(normal_text(item) for item in answer)
    else:
        answer = normal_text(format_year(answer) if isinstance(answer, int) else str(answer or ""))
    return (str(question.kind), normal_text(question.prompt), answer)


@dataclass(frozen=True)
class _Shown:
    """One text a student reads in a question: its prompt, or one option."""

    text: str  # normalised
    is_option: bool
    people: frozenset[str]  # the people it names
    records: frozenset[tuple[str, str]]  # the events, works and ideas it is about


@dataclass(frozen=True)
class _Said:
    """What reading a question tells, and what it asks."""

    answer: tuple | None  # ("person", slug) or ("text", normalised answer)
    shown: tuple[_Shown, ...]
    records: frozenset[tuple[str, str]]  # the events, works and ideas it is about...
    answer_records: frozenset[tuple[str, str]]  # ...of which these are its answer
    ordered: frozenset[str]  # the events or people an ordering question puts in order


def _records_titled(facts: Facts, text: str) -> frozenset[tuple[str, str]]:
    found = {("event", e.slug) for e in facts.events_titled(text)}
    found |= {("work", w.slug) for w in facts.works if w.title == text}
    found |= {("idea", i.slug) for i in facts.ideas if i.name == text}
    return frozenset(found)


def _said(question: GeneratedQuestion, facts: Facts) -> _Said:
    records = frozenset(
        [("event", s) for s in question.event_slugs]
        + [("work", s) for s in question.work_slugs]
        + [("idea", s) for s in question.idea_slugs]
    )
    answer = _answer_text(question)
    person = facts.person_named(answer) if answer else None
    if person is not None:
        wanted = ("person", person.slug)
    else:
        wanted = ("text", normal_text(answer)) if answer and normal_text(answer) else None
    shown = []
    # An ordering question's prompt only lists its options again.
    if question.kind not in _ORDERING:
        shown.append((question.prompt, False, records))
    for option in question.options:
        # An option titled as an event (a work, an idea) is about that record only.
        shown.append((option, True, _records_titled(facts, option) or records))
    return _Said(
        answer=wanted,
        shown=tuple(
            _Shown(
                text=normal_text(text),
                is_option=is_option,
                # An option that is just a name offers that person as a choice: it names
                # no one (and "Lev Sedov" is no clue to "Natalia Sedova").
                people=frozenset()
                if is_option and facts.person_named(text)
                else frozenset(p.slug for p in facts.people if _names_person(text, p, facts)),
                records=about,
            )
            for text, is_option, about in shown
        ),
        records=records,
        answer_records=_records_titled(facts, answer) & records if answer else frozenset(),
        ordered=frozenset(
            (question.event_slugs or question.person_slugs) if question.kind in _ORDERING else ()
        ),
    )


def _telling(reader: _Said, asked: _Said) -> list[_Shown]:
    """The texts of one question that name the answer the other asks for."""
    if asked.answer is None:
        return []
    what, value = asked.answer
    if what == "person":
        return [shown for shown in reader.shown if value in shown.people]
    return [
        shown
        for shown in reader.shown
        # An option equal to the answer offers it as a choice, which gives nothing away.
        if not (shown.is_option and shown.text == value) and f" {value} " in f" {shown.text} "
    ]


def _spoils(a: _Said, b: _Said) -> bool:
    a_tells, b_tells = _telling(a, b), _telling(b, a)
    # Each naming the other's answer ("Which of these ideas is associated with Joseph
    # Stalin?" beside "Which of these people is associated with the idea of “Socialism in
    # one country”?") is one fact asked twice.
    if a_tells and b_tells:
        return True
    # One naming the other's answer counts only where the text naming it is about what
    # the other asks about: "In which year did Leon Trotsky organise the Battle of Pulkovo
    # Heights?" gives away "Who organised the Battle of Pulkovo Heights?", but a unit about
    # Trotsky names him in half its prompts, and "When was “My Life” first published?"
    # does not tell who wrote it.
    if any(t.records & (b.records - b.answer_records) for t in a_tells):
        return True
    if any(t.records & (a.records - a.answer_records) for t in b_tells):
        return True
    # Two orderings sharing two items both ask which of those came first.
    return len(a.ordered & b.ordered) >= 2


def gives_away(a: GeneratedQuestion, b: GeneratedQuestion, facts: Facts) -> bool:
    """Would a student who reads one of the two questions learn the other's answer?

    Texts are compared normalised (`normal_text`), and a person counts as named by any
    of their names ("Stalin's", "Koba"). An option equal to another question's answer
    only offers it as a choice, and an ordering question's prompt only repeats its
    options, so neither counts.
    """
    return _spoils(_said(a, facts), _said(b, facts))


class _SetSoFar:
    """The questions of one set so far, which a new one must neither repeat nor spoil."""

    def __init__(self, facts: Facts, already: Iterable[GeneratedQuestion]):
        self.facts = facts
        self.said: list[_Said] = []
        self.keys: set[tuple] = set()
        self.in_set: set[tuple] = set()
        self.repeated: set[tuple] = set()
        self._last: tuple[GeneratedQuestion, _Said] | None = None
        for question in already:
            self.in_set.add(question_key(question))
            self.add(question)

    def fits(self, question: GeneratedQuestion) -> bool:
        key = question_key(question)
        if key in self.keys:
            if key in self.in_set:
                self.repeated.add(key)
            return False
        said = self._said(question)
        return not any(_spoils(said, other) for other in self.said)

    def add(self, question: GeneratedQuestion) -> None:
        self.keys.add(question_key(question))
        self.said.append(self._said(question))

    def _said(self, question: GeneratedQuestion) -> _Said:
        # fits() and then add() read the same question: work it out once.
        if self._last is None or self._last[0] is not question:
            self._last = (question, _said(question, self.facts))
        return self._last[1]


# --- Checking a question --------------------------------------------------------------------

_ISO_DATE = re.compile(r"\b\d{3,4}-\d{2}(-\d{2})?\b")
_VAGUE_OPTIONS = re.compile(r"\b(all|none|both|neither) of the (above|these)\b", re.I)


def _dates_in(text: str) -> Iterator[re.Match]:
    """Written-out dates ("20 August 1940", "August 1940") in the text."""
    return _date_pattern(get_language()).finditer(text)


@lru_cache(maxsize=64)
def _date_pattern(language: str | None) -> re.Pattern:
    months = "|".join(map(re.escape, _month_names()))
    return re.compile(rf"\b(?:(?P<day>\d{{1,2}}) )?(?P<month>{months}) (?P<year>\d{{1,4}})\b")


_VOWEL_SOUND_EXCEPTIONS = ("uni", "use", "usu", "uti", "eu", "one", "once", "ukr", "ura")
_SILENT_H = ("hour", "honest", "honour", "heir")


def _grammar(text: str) -> list[str]:
    problems = []
    if re.search(r"\bthe the\b", text, re.I):
        problems.append(f"doubled article in {text!r}")
    if re.search(r"\b(\w+) \1\b", text, re.I):
        problems.append(f"a doubled word in {text!r}")
    for article, word in re.findall(r"\b([Aa]n?) ([A-Za-z]+)", text):
        lower = word.lower()
        vowel = lower[0] in "aeiou" and not lower.startswith(_VOWEL_SOUND_EXCEPTIONS)
        vowel = vowel or lower.startswith(_SILENT_H)
        if word.isupper() and len(word) > 1:
            continue  # an acronym: "an SR", "a NATO base"; the letters decide
        if article.lower() == "a" and vowel:
            problems.append(f"“a {word}” should be “an {word}”")
        if article.lower() == "an" and not vowel:
            problems.append(f"“an {word}” should be “a {word}”")
    if "  " in text or re.search(r"\s[?.,;:]", text):
        problems.append(f"stray spaces in {text!r}")
    if "%(" in text or "None" in text.split():
        problems.append(f"an unfilled template in {text!r}")
    return problems


def _shape(question: GeneratedQuestion) -> list[str]:
    problems = []
    kind, options, answer = question.kind, question.options, question.answer
    if kind not in Kind.values:
        return [f"unknown kind {kind!r}"]
    if not question.prompt or not question.prompt[0].isupper():
        problems.append("the prompt must start with a capital letter")
    if not question.prompt.endswith(("?", ".")):
        problems.append("the prompt must end with a question mark or a full stop")
    if len(set(options)) != len(options) or any(not o.strip() for o in options):
        problems.append("options must be distinct and not empty")
    if any(_VAGUE_OPTIONS.search(o) for o in options):
        problems.append("no “all of the above” (or “none”, “both”) options")
    if kind == Kind.MULTIPLE_CHOICE:
        if len(options) != OPTIONS:
            problems.append(f"a multiple-choice question needs {OPTIONS} options")
        if options.count(answer) != 1:
            problems.append("the answer must be exactly one of the options")
    elif kind == Kind.WHICH_FIRST:
        if len(options) != 2 or options.count(answer) != 1:
            problems.append("“which came first” needs two options, one of them the answer")
    elif kind == Kind.CHRONOLOGY:
        if not 3 <= len(options) <= 5:
            problems.append("a chronology needs 3 to 5 items")
        if not isinstance(answer, list) or sorted(answer) != sorted(options):
            problems.append("a chronology's answer must be its options in order")
        elif answer == options:
            problems.append("the items are shown already in order")
    elif kind == Kind.YEAR:
        if not isinstance(answer, int) or isinstance(answer, bool):
            problems.append("a year question's answer must be a year")
        elif options and (len(options) != OPTIONS or format_year(answer) not in options):
            problems.append(f"a year question with options needs {OPTIONS}, one the answer")
        elif options and question.tolerance != 0:
            problems.append("a year question with options gives no partial credit")
        if question.tolerance is None or not 0 <= question.tolerance <= 5:
            problems.append("a year question needs a tolerance of 0 to 5 years")
        if isinstance(answer, int) and _contains(question.prompt, format_year(answer)):
            problems.append("the prompt gives away the year")
    if kind != Kind.YEAR and question.tolerance is not None:
        problems.append("only year questions have a tolerance")
    for text in (question.prompt, question.explanation, *options):
        if _ISO_DATE.search(text):
            problems.append(f"dates must be written out, not {_ISO_DATE.search(text)[0]}")
    if not question.explanation.strip():
        problems.append("the explanation is missing")
    elif len(_sentences(question.explanation)) > 2:
        problems.append("the explanation should be one or two sentences")
    for text in (question.prompt, question.explanation):
        problems.extend(_grammar(text))
    return problems


def _no_finer_dates(text: str, date: PartialDate | None) -> list[str]:
    """Every written-out date in the text is no more precise than the record's date."""
    problems = []
    for match in _dates_in(text):
        if date is None or date.precision == YEAR or (match["day"] and date.precision != DAY):
            problems.append(f"“{match[0]}” is more precise than the record ({date})")
    return problems


class _Checker:
    def __init__(self, question: GeneratedQuestion, facts: Facts):
        self.q = question
        self.facts = facts

    def event(self, index: int = 0) -> EventFact | None:
        slugs = self.q.event_slugs
        return self.facts.event(slugs[index]) if len(slugs) > index else None

    def person(self, index: int = 0) -> PersonFact | None:
        slugs = self.q.person_slugs
        return self.facts.person(slugs[index]) if len(slugs) > index else None

    def distractors(self) -> list[str]:
        return [o for o in self.q.options if o != self.q.answer]

    def people_options(
        self, lo: int, hi: int, *, not_in: set[str] = frozenset(), by_name_only=False
    ) -> list[str]:
        """Every option is a person of the unit; no distractor fits or is out of its era."""
        problems = []
        for name in self.q.options:
            person = self.facts.person_named(name)
            if person is None:
                problems.append(f"option {name!r} is not a person of this unit")
            elif name != self.q.answer:
                if person.slug in not_in:
                    problems.append(f"distractor {name} also fits the question")
                if not _active_between(self.facts, person, lo, hi):
                    problems.append(f"distractor {name} was not active at the time")
                if _names_person(self.q.prompt, person, self.facts):
                    problems.append(f"the prompt names distractor {name}")
        answer = self.facts.person_named(self.q.answer)
        if answer is not None and by_name_only:
            # The prompt gives one of the answer's other names; not their name.
            if _names_person(self.q.prompt, PersonFact(answer.slug, answer.name)):
                problems.append(f"the prompt gives away the answer, {answer.name}")
        elif answer is not None and _names_person(self.q.prompt, answer, self.facts):
            problems.append(f"the prompt gives away the answer, {answer.name}")
        return problems


def _check_event_options(audit: _Checker, event: EventFact) -> list[str]:
    problems = []
    if audit.q.answer != event.title:
        problems.append("the answer is not the event's title")
    for title in audit.q.options:
        matches = audit.facts.events_titled(title)
        if len(matches) != 1:
            problems.append(f"option {title!r} is not exactly one event of this unit")
            continue
        other = matches[0]
        if other.slug != event.slug:
            if abs(other.start.year - event.start.year) > ERA_YEARS:
                problems.append(f"distractor {title!r} is from another era")
            if _contains(audit.q.prompt, _bare_title(title)):
                problems.append(f"the prompt names distractor {title!r}")
    if _contains(audit.q.prompt, _bare_title(event.title)):
        problems.append("the prompt gives away the event's title")
    return problems


def _check_who_role(audit: _Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    role = next((r for r in _WHO_PROMPTS if _who_prompt(event, r) == audit.q.prompt), None)
    if role is None:
        return ["the prompt does not ask a role in its event"]
    holders = [slug for slug, r in event.roles if r == role]
    problems = []
    if len(holders) != 1:
        names = ", ".join(audit.facts.person(s).name for s in holders)
        problems.append(f"ambiguous: {len(holders)} people were {role} ({names})")
    answer = audit.facts.person_named(audit.q.answer)
    if answer is None or answer.slug not in holders:
        problems.append(f"{audit.q.answer} was not the {role}")
    involved = {slug for slug, _r in event.roles}
    problems += audit.people_options(event.start.year, event.last.year, not_in=involved)
    return problems


def _check_which_described(audit: _Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    match = re.fullmatch(r".*“(?P<clue>.+)”\?", audit.q.prompt)
    if match is None:
        return ["the prompt quotes no clue"]
    clue = match["clue"]
    problems = _check_event_options(audit, event)
    if clue.lower() not in event.summary.lower():
        problems.append("the clue is not from the event's summary")
    for title in audit.distractors():
        for other in audit.facts.events_titled(title):
            if clue.lower() in other.summary.lower():
                problems.append(f"the clue also describes {title!r}")
    if giveaways := _giveaways(event.title, clue, audit.distractors()):
        problems.append(f"the clue gives away the title ({', '.join(giveaways)})")
    return problems


def _check_on_date(audit: _Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    problems = _check_event_options(audit, event)
    precision = next(
        (p for p in (YEAR, MONTH, DAY) if _on_date_prompt(event, p) == audit.q.prompt), None
    )
    if precision is None:
        return [*problems, "the prompt does not give the event's date"]
    if PRECISION_RANK[precision] > PRECISION_RANK[event.start.precision]:
        problems.append("the prompt's date is more precise than the record")
    if not _old_style_agrees(event, precision):
        problems.append("the Old Style and New Style dates disagree at this precision")
    date = event.start.truncate(precision)
    for title in audit.distractors():
        for other in audit.facts.events_titled(title):
            if _may_overlap(other, date):
                problems.append(f"distractor {title!r} may also fit {format_date(date)}")
    for title in audit.q.options:
        if _shares_date_words(title, date):
            problems.append(f"option {title!r} echoes the date in the prompt")
    return problems


def _check_month(audit: _Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    if event.start.month is None:
        return ["the event is known only to the year: never ask its month"]
    problems = []
    if not _old_style_agrees(event, MONTH):
        problems.append("the Old Style and New Style months disagree")
    elif audit.q.answer != _month_names()[event.start.month - 1]:
        problems.append("the answer is not the event's month")
    if audit.q.prompt != _month_prompt(event):
        problems.append("the prompt does not ask the event's month")
    for month in audit.q.options:
        if month not in _month_names():
            problems.append(f"option {month!r} is not a month")
        elif _contains(audit.q.prompt, month):
            problems.append(f"the prompt names {month}")
        elif month != audit.q.answer and _month_names().index(month) + 1 in _months(event):
            problems.append(f"{month} is inside the event's own dates")
    return problems


def _check_year_options(audit: _Checker, first: int, last: int) -> list[str]:
    problems = []
    if audit.q.answer != first:
        problems.append(f"the answer should be {format_year(first)}")
    years = [o for o in audit.q.options if o != format_year(first)]
    for text in years:
        year = next((y for y in range(first - 60, last + 61) if format_year(y) == text), None)
        if year is None:
            problems.append(f"option {text!r} is not a nearby year")
        elif first <= year <= last:
            problems.append(f"distractor {text} is inside the record's own dates")
        elif audit.facts.latest_year is not None and year > audit.facts.latest_year:
            problems.append(f"distractor {text} is later than anything in the unit")
    return problems


def _check_event_year(audit: _Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    problems = _check_year_options(audit, event.start.year, event.last.year)
    if audit.q.prompt != _event_year_prompt(event, typed=not audit.q.options):
        problems.append("the prompt does not ask the event's year")
    if not _old_style_agrees(event, YEAR):
        problems.append("the Old Style and New Style years disagree")
    return problems


def _check_life_year(audit: _Checker, which: str) -> list[str]:
    person = audit.person()
    date = getattr(person, which) if person else None
    if date is None:
        return [f"the question names nobody whose {which} date is known"]
    problems = _check_year_options(audit, date.year, date.year)
    prompt = _(_LIFE_PROMPTS[which, not audit.q.options]) % {"name": person.name}
    if audit.q.prompt != prompt:
        problems.append(f"the prompt does not ask when {person.name} {which}")
    return problems


def _check_work_year(audit: _Checker) -> list[str]:
    work = audit.facts.work(audit.q.work_slugs[0]) if audit.q.work_slugs else None
    if work is None or work.published is None:
        return ["the question names no work with a date"]
    problems = _check_year_options(audit, work.published.year, work.published.year)
    if _quoted(work.title) not in audit.q.prompt:
        problems.append("the prompt does not name the work")
    return problems


def _check_work_author(audit: _Checker) -> list[str]:
    work = audit.facts.work(audit.q.work_slugs[0]) if audit.q.work_slugs else None
    author = audit.facts.person(work.author) if work and work.author else None
    if author is None:
        return ["the question names no work with a known author"]
    problems = []
    if audit.q.answer != author.name:
        problems.append(f"{work.title} is by {author.name}")
    same_title = {w.author for w in audit.facts.works if w.title == work.title}
    lo, hi = _work_years(audit.facts, work)
    return problems + audit.people_options(lo, hi, not_in=same_title)


def _check_works_of(audit: _Checker) -> list[str]:
    person = audit.person()
    if person is None:
        return ["the question names no person of this unit"]
    problems = []
    for title in audit.q.options:
        works = [w for w in audit.facts.works if w.title == title]
        if not works:
            problems.append(f"option {title!r} is not a work of this unit")
        elif title == audit.q.answer and not any(w.author == person.slug for w in works):
            problems.append(f"{person.name} did not write {title}")
        elif title != audit.q.answer and any(w.author in (None, person.slug) for w in works):
            problems.append(f"{person.name} may have written {title} too")
    return problems


def _check_idea_person(audit: _Checker) -> list[str]:
    idea = audit.facts.idea(audit.q.idea_slugs[0]) if audit.q.idea_slugs else None
    if idea is None:
        return ["the question names no idea of this unit"]
    answer = audit.facts.person_named(audit.q.answer)
    problems = []
    if answer is None or answer.slug not in idea.people:
        problems.append(f"{audit.q.answer} is not associated with {idea.name}")
    lo, hi = _person_era(audit.facts, answer) if answer else (-(10**6), 10**6)
    return problems + audit.people_options(lo, hi, not_in=set(idea.people))


def _check_ideas_of(audit: _Checker) -> list[str]:
    person = audit.person()
    if person is None:
        return ["the question names no person of this unit"]
    problems = []
    for name in audit.q.options:
        ideas = [i for i in audit.facts.ideas if i.name == name]
        if not ideas:
            problems.append(f"option {name!r} is not an idea of this unit")
        elif name == audit.q.answer and not any(person.slug in i.people for i in ideas):
            problems.append(f"{name} is not associated with {person.name}")
        elif name == audit.q.answer and _names_person(name, person, audit.facts):
            problems.append(f"the answer {name} is named after {person.name}")
        elif name != audit.q.answer and any(person.slug in i.people for i in ideas):
            problems.append(f"{name} is associated with {person.name} too")
        elif name != audit.q.answer and _names_person(name, person, audit.facts):
            problems.append(f"distractor {name} is named after {person.name}")
    return problems


def _check_described(audit: _Checker) -> list[str]:
    person = audit.person()
    match = re.fullmatch(r".*“(?P<clue>.+)”\?", audit.q.prompt)
    if person is None or match is None:
        return ["the question names no person, or quotes no clue"]
    clue = match["clue"]
    problems = []
    if audit.q.answer != person.name:
        problems.append("the answer is not the person described")
    if clue.lower() not in person.summary.lower():
        problems.append("the clue is not from the person's summary")
    for name in audit.distractors():
        other = audit.facts.person_named(name)
        if other and clue.lower() in other.summary.lower():
            problems.append(f"the clue also describes {name}")
    lo, hi = _person_era(audit.facts, person)
    return problems + audit.people_options(lo, hi, not_in={person.slug})


def _check_alias(audit: _Checker) -> list[str]:
    person = audit.person()
    if person is None:
        return ["the question names no person of this unit"]
    alias = next((a for a in person.aliases if audit.q.prompt == _alias_prompt(a)), None)
    if alias is None:
        return [f"the prompt does not give one of {person.name}'s other names"]
    sharing = {p.slug for p in audit.facts.people if alias in p.aliases or alias == p.name}
    problems = [] if audit.q.answer == person.name else ["the answer is not the person"]
    lo, hi = _person_era(audit.facts, person)
    return problems + audit.people_options(lo, hi, not_in=sharing, by_name_only=True)


def _check_ordered_events(audit: _Checker) -> tuple[list[EventFact], list[str]]:
    events, problems = [], []
    for title in audit.q.options:
        matches = audit.facts.events_titled(title)
        if len(matches) != 1:
            problems.append(f"option {title!r} is not exactly one event of this unit")
        else:
            events.extend(matches)
    for a, b in combinations(events, 2):
        if _event_order(a, b) == 0:
            problems.append(f"{a.title!r} and {b.title!r} tie at the precision the data has")
    return events, problems


def _check_chronology(audit: _Checker) -> list[str]:
    events, problems = _check_ordered_events(
        audit,
    )
    if not problems and audit.q.answer != [e.title for e in _in_order(events)]:
        problems.append("the answer is not in date order")
    if not problems and audit.q.prompt != _chronology_prompt(events):
        problems.append("the prompt does not list the items")
    return problems


def _check_which_first(audit: _Checker) -> list[str]:
    events, problems = _check_ordered_events(
        audit,
    )
    if not problems:
        if audit.q.answer != _in_order(events)[0].title:
            problems.append("the answer did not come first")
        if audit.q.prompt != _which_first_prompt(*events):
            problems.append("the prompt does not name both events")
    return problems


def _check_born_first(audit: _Checker) -> list[str]:
    people = [audit.facts.person_named(name) for name in audit.q.options]
    if any(p is None or p.born is None for p in people) or len(people) != 2:
        return ["both options must be people of this unit with a known birth date"]
    a, b = people
    if _order(a.born, b.born) == 0:
        return [f"{a.name} and {b.name} tie at the precision the data has"]
    earlier = a if _order(a.born, b.born) < 0 else b
    problems = [] if audit.q.answer == earlier.name else [f"{earlier.name} was born first"]
    if audit.q.prompt != _("Who was born first: %(a)s or %(b)s?") % {"a": a.name, "b": b.name}:
        problems.append("the prompt does not name both people")
    return problems


TEMPLATES = [
    _Template("event.who_role", Kind.MULTIPLE_CHOICE, _build_who_role, _check_who_role),
    _Template(
        "event.which_described",
        Kind.MULTIPLE_CHOICE,
        _build_which_described,
        _check_which_described,
    ),
    _Template(
        "event.on_date", Kind.MULTIPLE_CHOICE, _build_on_date, _check_on_date, says_date=True
    ),
    _Template("event.month", Kind.MULTIPLE_CHOICE, _build_month, _check_month, says_date=True),
    _Template("work.author", Kind.MULTIPLE_CHOICE, _build_work_author, _check_work_author),
    _Template("work.works_of", Kind.MULTIPLE_CHOICE, _build_works_of, _check_works_of),
    _Template("idea.person", Kind.MULTIPLE_CHOICE, _build_idea_person, _check_idea_person),
    _Template("idea.ideas_of", Kind.MULTIPLE_CHOICE, _build_ideas_of, _check_ideas_of),
    _Template("person.described", Kind.MULTIPLE_CHOICE, _build_person_described, _check_described),
    _Template("person.alias", Kind.MULTIPLE_CHOICE, _build_alias, _check_alias),
    _Template(
        "event.year",
        Kind.YEAR,
        partial(_build_event_year, typed=True),
        _check_event_year,
        says_date=True,
    ),
    _Template(
        "event.year_choice",
        Kind.YEAR,
        partial(_build_event_year, typed=False),
        _check_event_year,
        says_date=True,
    ),
    _Template(
        "person.born_year",
        Kind.YEAR,
        partial(_build_life_year, which="born", typed=True),
        partial(_check_life_year, which="born"),
    ),
    _Template(
        "person.born_year_choice",
        Kind.YEAR,
        partial(_build_life_year, which="born", typed=False),
        partial(_check_life_year, which="born"),
    ),
    _Template(
        "person.died_year",
        Kind.YEAR,
        partial(_build_life_year, which="died", typed=True),
        partial(_check_life_year, which="died"),
    ),
    _Template(
        "person.died_year_choice",
        Kind.YEAR,
        partial(_build_life_year, which="died", typed=False),
        partial(_check_life_year, which="died"),
    ),
    _Template("work.year", Kind.YEAR, partial(_build_work_year, typed=True), _check_work_year),
    _Template(
        "work.year_choice", Kind.YEAR, partial(_build_work_year, typed=False), _check_work_year
    ),
    _Template("event.chronology", Kind.CHRONOLOGY, _build_chronology, _check_chronology),
    # Events are what the unit is about: three event pairs to each pair of birthdays.
    _Template(
        "event.which_first", Kind.WHICH_FIRST, _build_which_first, _check_which_first, weight=3
    ),
    _Template("person.born_first", Kind.WHICH_FIRST, _build_born_first, _check_born_first),
]
_TEMPLATES_BY_NAME = {t.name: t for t in TEMPLATES}


def check_question(question: GeneratedQuestion, facts: Facts) -> list[str]:
    """The rules this question breaks, re-derived from the facts (empty when it is sound)."""
    problems = _shape(question)
    template = _TEMPLATES_BY_NAME.get(question.template)
    if template is None:
        return [*problems, f"unknown template {question.template!r}"]
    if template.kind != question.kind:
        problems.append(f"template {template.name} makes {template.kind}")
    problems += template.check(_Checker(question, facts))
    if template.says_date:
        dates = [e.start for e in map(facts.event, question.event_slugs) if e]
        date = max(dates, key=lambda d: PRECISION_RANK[d.precision], default=None)
        problems += _no_finer_dates(question.prompt, date)
    return list(dict.fromkeys(problems))
