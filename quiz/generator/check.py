"""Whether a question keeps the rules, re-derived from the facts alone.

`check_question` checks the shape every question of a kind must have (options, answer,
grammar, dates no finer than the record), then hands the rest to its template's checker.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from django.utils.translation import get_language

from history.dates import DAY, YEAR, PartialDate, format_year
from quiz.core.models import Kind
from quiz.generator.dating import PRECISION_RANK
from quiz.generator.english import contains, month_names, sentences_of
from quiz.generator.facts import Facts
from quiz.generator.question import OPTIONS, GeneratedQuestion
from quiz.generator.templates import BY_NAME
from quiz.generator.templates.common import Checker

_ISO_DATE = re.compile(r"\b\d{3,4}-\d{2}(-\d{2})?\b")


_VAGUE_OPTIONS = re.compile(r"\b(all|none|both|neither) of the (above|these)\b", re.I)


def _dates_in(text: str) -> Iterator[re.Match]:
    """Written-out dates ("20 August 1940", "August 1940") in the text."""
    return _date_pattern(get_language()).finditer(text)


@lru_cache(maxsize=64)
def _date_pattern(language: str | None) -> re.Pattern:
    months = "|".join(map(re.escape, month_names()))
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
        if isinstance(answer, int) and contains(question.prompt, format_year(answer)):
            problems.append("the prompt gives away the year")
    if kind != Kind.YEAR and question.tolerance is not None:
        problems.append("only year questions have a tolerance")
    for text in (question.prompt, question.explanation, *options):
        if _ISO_DATE.search(text):
            problems.append(f"dates must be written out, not {_ISO_DATE.search(text)[0]}")
    if not question.explanation.strip():
        problems.append("the explanation is missing")
    elif len(sentences_of(question.explanation)) > 2:
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


def check_question(question: GeneratedQuestion, facts: Facts) -> list[str]:
    """The rules this question breaks, re-derived from the facts (empty when it is sound)."""
    problems = _shape(question)
    template = BY_NAME.get(question.template)
    if template is None:
        return [*problems, f"unknown template {question.template!r}"]
    if template.kind != question.kind:
        problems.append(f"template {template.name} makes {template.kind}")
    problems += template.check(Checker(question, facts))
    if template.says_date:
        dates = [e.start for e in map(facts.event, question.event_slugs) if e]
        date = max(dates, key=lambda d: PRECISION_RANK[d.precision], default=None)
        problems += _no_finer_dates(question.prompt, date)
    return list(dict.fromkeys(problems))
