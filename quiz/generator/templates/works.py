"""Multiple-choice questions about works: who wrote it, which of these someone wrote."""

from collections.abc import Iterator
from functools import partial

from quiz.core.models import Kind
from quiz.generator.english import _, names_person, quoted
from quiz.generator.facts import Facts, WorkFact
from quiz.generator.question import Context, GeneratedQuestion, Template, nearest, sources_of
from quiz.generator.templates.common import (
    Checker,
    person_candidates,
    person_distance,
    person_era,
    work_note,
)


def _work_years(facts: Facts, work: WorkFact) -> tuple[int, int]:
    if work.published:
        return work.published.year, work.published.year
    author = facts.person(work.author) if work.author else None
    return person_era(facts, author) if author else (-(10**6), 10**6)


def _build_work_author(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for work in ctx.scope.works:
        author = facts.person(work.author) if work.author else None
        prompt = _("Who wrote %(title)s?") % {"title": quoted(work.title)}
        if author is None or names_person(prompt, author, facts):
            continue
        rng = ctx.rng(work.slug)
        lo, hi = _work_years(facts, work)
        # Someone with a work of the same title might be its author too.
        same_title = {w.author for w in facts.works if w.title == work.title}
        candidates = person_candidates(facts, lo, hi, exclude=same_title, prompt=prompt)
        distractors = nearest(rng, candidates, 3, person_distance(facts, lo))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=author.name,
            distractors=[p.name for p in distractors],
            explanation=work_note(facts, work),
            sources=sources_of(work),
            work_slugs=[work.slug],
            person_slugs=[author.slug],
            fact=("work_author", work.slug),
        )


def _published_distance(year: int, work: WorkFact) -> int:
    return abs((work.published.year if work.published else 10**6) - year)


def _build_works_of(ctx: "Context") -> Iterator[GeneratedQuestion]:
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
        year = work.published.year if work.published else person_era(facts, person)[0]
        titles = {w.title for w in works}
        candidates = [w for w in others if w.title not in titles]
        distractors = nearest(
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
            explanation=work_note(facts, work),
            sources=sources_of(work),
            work_slugs=[work.slug],
            person_slugs=[person.slug],
            fact=("works_of", person.slug),
        )


def _check_work_author(audit: Checker) -> list[str]:
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


def _check_works_of(audit: Checker) -> list[str]:
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


TEMPLATES = [
    Template("work.author", Kind.MULTIPLE_CHOICE, _build_work_author, _check_work_author),
    Template("work.works_of", Kind.MULTIPLE_CHOICE, _build_works_of, _check_works_of),
]
