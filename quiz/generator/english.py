"""English text: sentences, names, titles and the verb forms of headline titles.

Also `_`, gettext remembered per language: a thousand questions ask for the same few
strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from quiz.generator.facts import Facts, PersonFact


def _(message: str) -> str:
    # gettext, remembered per language: a thousand questions ask for the same few strings.
    return _translated(get_language(), message)


@lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


_ABBREVIATIONS = {"St", "Mr", "Mrs", "Dr", "Gen", "Lt", "Col", "Jr", "Sr", "c", "ca", "No", "vs"}


_NAME_PARTICLES = {"von", "van", "der", "del", "de", "la", "le", "du", "da", "di", "bin", "ibn"}


STOPWORDS = {
    "about", "after", "against", "among", "and", "before", "from", "into", "over", "that",
    "the", "their", "them", "then", "this", "under", "what", "when", "which", "with", "without",
}  # fmt: skip


def month_names() -> tuple[str, ...]:
    """January to December, in the active language."""
    return _months_in(get_language())


@lru_cache(maxsize=64)
def _months_in(language: str | None) -> tuple[str, ...]:
    return tuple(str(MONTHS[m]) for m in range(1, 13))


def sentences_of(text: str) -> list[str]:
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


def first_sentence(text: str) -> str:
    sentences = sentences_of(text)
    return _full_stop(sentences[0]) if sentences else ""


def _full_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def clause(text: str) -> str:
    """A sentence to quote inside a question: no final full stop."""
    return text.strip().rstrip(".").strip()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=4096)
def name_parts(person: PersonFact) -> frozenset[str]:
    """The parts of a person's names that would give them away ("Trotsky", "Bronstein")."""
    parts = set()
    for name in (person.name, *person.aliases):
        for word in words_of(name):
            if len(word) >= 4 and word.lower() not in _NAME_PARTICLES:
                parts.add(word.lower())
    return frozenset(parts)


def names_person(text: str, person: PersonFact, facts: Facts | None = None) -> bool:
    """Does `text` name the person, or a word made from their name ("Stalinism")?

    With the facts, a part of another name that is someone else's own name does
    not count: "Natalia Trotsky" is not named by "Trotsky's house".
    """
    parts = facts._name_parts[person.slug] if facts else tuple(name_parts(person))
    return any(
        word.startswith(parts)
        # "Sedov" gives away "Natalia Sedova" as much as "Sedova" would.
        or (len(word) >= 5 and any(part.startswith(word) for part in parts))
        for word in _lower_words(text)
    )


@lru_cache(maxsize=4096)
def _lower_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in words_of(text))


def contains(text: str, phrase: str) -> bool:
    if not phrase or phrase.lower() not in text.lower():
        return False  # the quick answer, most of the time
    return _phrase_pattern(phrase).search(text) is not None


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)


def quoted(title: str) -> str:
    return f"“{title}”"


def joined(items: list[str]) -> str:
    """ "a, b and c"; semicolons when an item has its own comma."""
    if len(items) == 1:
        return items[0]
    separator = "; " if any("," in item or " and " in item for item in items) else ", "
    last = "; and " if separator == "; " else " and "
    return separator.join(items[:-1]) + last + items[-1]


def midsentence(phrase: str) -> str:
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
        return f"{lead} did {midsentence(self.noun)} {verb}?"

    def statement(self, when: str) -> str:
        """ "Trotsky joined the Bolshevik Party in August 1917." """
        if self.form == "active":
            return f"{_cap(self.subject)} {_past(self.verb)}{self.rest} {when}."
        if self.form == "passive":
            be = "were" if self.plural else "was"
            return f"{_cap(self.subject)} {be} {self.verb}{self.rest} {when}."
        return f"{_cap(midsentence(self.noun))} took place {when}."


@lru_cache(maxsize=4096)
def parse_title(title: str) -> _Title:
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
    if not word.isalpha() or word in STOPWORDS:
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
    return parse_title(title).noun
