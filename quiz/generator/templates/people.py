"""Multiple-choice questions about people: who a clue describes, who went by another name."""

import re
from collections.abc import Iterator

from django.utils.translation import get_language

from quiz.core.models import Kind
from quiz.generator.dating import ADULT_AGE
from quiz.generator.english import _, clause, names_person, sentences_of
from quiz.generator.facts import PersonFact
from quiz.generator.question import Context, GeneratedQuestion, Template, nearest, sources_of
from quiz.generator.templates.common import (
    Checker,
    person_candidates,
    person_distance,
    person_era,
    person_note,
)


def _of_their_generation(facts, rng, person, candidates, first_active: int):
    """Three of the candidates, nearest to when the person came of age (None if too few)."""
    born = person.born.year if person.born else first_active
    return nearest(rng, candidates, 3, person_distance(facts, born + ADULT_AGE))


def _who_is(ctx: "Context", rng, person, prompt: str, distractors, *, fact: tuple):
    return ctx.multiple_choice(
        rng,
        prompt=prompt,
        answer=person.name,
        distractors=[p.name for p in distractors],
        explanation=person_note(person, get_language()),
        sources=sources_of(person),
        person_slugs=[person.slug],
        fact=fact,
    )


def _build_person_described(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        rng = ctx.rng(person.slug)
        for sentence in sentences_of(person.summary):
            clue = clause(sentence)
            if len(clue.split()) < 5 or names_person(clue, person, facts):
                continue
            prompt = _("Who is described here: “%(clue)s”?") % {"clue": clue}
            lo, hi = person_era(facts, person)
            candidates = [
                p
                for p in person_candidates(facts, lo, hi, exclude={person.slug}, prompt=prompt)
                if clue.lower() not in p.summary.lower()
            ]
            distractors = _of_their_generation(facts, rng, person, candidates, lo)
            if distractors is None:
                break
            yield _who_is(ctx, rng, person, prompt, distractors, fact=("described", person.slug))
            break


def _alias_prompt(alias: str) -> str:
    return _("Who was also known as %(alias)s?") % {"alias": alias}


def _build_alias(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        name = PersonFact(person.slug, person.name)
        usable = [a for a in person.aliases if not names_person(a, name)]
        if not usable:
            continue
        rng = ctx.rng(person.slug)
        alias = rng.choice(usable)
        prompt = _alias_prompt(alias)
        lo, hi = person_era(facts, person)
        sharing = {p.slug for p in facts.people if alias in p.aliases or alias == p.name}
        candidates = person_candidates(facts, lo, hi, exclude=sharing, prompt=prompt)
        distractors = _of_their_generation(facts, rng, person, candidates, lo)
        if distractors is None:
            continue
        yield _who_is(ctx, rng, person, prompt, distractors, fact=("alias", person.slug))


def _check_described(audit: Checker) -> list[str]:
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
    lo, hi = person_era(audit.facts, person)
    return problems + audit.people_options(lo, hi, not_in={person.slug})


def _check_alias(audit: Checker) -> list[str]:
    person = audit.person()
    if person is None:
        return ["the question names no person of this unit"]
    alias = next((a for a in person.aliases if audit.q.prompt == _alias_prompt(a)), None)
    if alias is None:
        return [f"the prompt does not give one of {person.name}'s other names"]
    sharing = {p.slug for p in audit.facts.people if alias in p.aliases or alias == p.name}
    problems = [] if audit.q.answer == person.name else ["the answer is not the person"]
    lo, hi = person_era(audit.facts, person)
    return problems + audit.people_options(lo, hi, not_in=sharing, by_name_only=True)


TEMPLATES = [
    Template("person.described", Kind.MULTIPLE_CHOICE, _build_person_described, _check_described),
    Template("person.alias", Kind.MULTIPLE_CHOICE, _build_alias, _check_alias),
]
