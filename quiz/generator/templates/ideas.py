"""Multiple-choice questions about ideas: whose idea it was, which idea was someone's."""

from collections.abc import Iterator

from quiz.core.models import Kind
from quiz.generator.english import _, first_sentence, joined, names_person, quoted
from quiz.generator.facts import Facts, IdeaFact
from quiz.generator.question import Context, GeneratedQuestion, Template, nearest, sources_of
from quiz.generator.templates.common import Checker, person_candidates, person_distance, person_era


def _idea_note(facts: Facts, idea: IdeaFact) -> str:
    names = joined([facts.person(slug).name for slug in idea.people])
    return _("%(idea)s is associated with %(names)s. %(summary)s") % {
        "idea": quoted(idea.name),
        "names": names,
        "summary": first_sentence(idea.summary),
    }


def _idea_prompt(idea: IdeaFact) -> str:
    return _("Which of these people is associated with the idea of %(idea)s?") % {
        "idea": quoted(idea.name)
    }


def _build_idea_person(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    scope_people = {p.slug for p in ctx.scope.people}
    for idea in ctx.scope.ideas:
        prompt = _idea_prompt(idea)
        people = [
            facts.person(slug)
            for slug in idea.people
            if slug in scope_people and not names_person(prompt, facts.person(slug), facts)
        ]
        if not people:
            continue
        rng = ctx.rng(idea.slug)
        person = rng.choice(people)
        lo, hi = person_era(facts, person)
        candidates = person_candidates(facts, lo, hi, exclude=idea.people, prompt=prompt)
        distractors = nearest(rng, candidates, 3, person_distance(facts, (lo + hi) // 2))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=person.name,
            distractors=[p.name for p in distractors],
            explanation=_idea_note(facts, idea),
            sources=sources_of(idea),
            idea_slugs=[idea.slug],
            person_slugs=[person.slug],
            fact=("idea_person", idea.slug),
        )


def _build_ideas_of(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for person in ctx.scope.people:
        ideas = [
            i
            for i in facts.ideas
            if person.slug in i.people and not names_person(i.name, person, facts)
        ]
        prompt = _("Which of these ideas is associated with %(name)s?") % {"name": person.name}
        candidates = [
            i
            for i in facts.ideas
            if person.slug not in i.people and not names_person(i.name, person, facts)
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
            sources=sources_of(idea),
            idea_slugs=[idea.slug],
            person_slugs=[person.slug],
            fact=("ideas_of", person.slug),
        )


def _check_idea_person(audit: Checker) -> list[str]:
    idea = audit.facts.idea(audit.q.idea_slugs[0]) if audit.q.idea_slugs else None
    if idea is None:
        return ["the question names no idea of this unit"]
    answer = audit.facts.person_named(audit.q.answer)
    problems = []
    if answer is None or answer.slug not in idea.people:
        problems.append(f"{audit.q.answer} is not associated with {idea.name}")
    lo, hi = person_era(audit.facts, answer) if answer else (-(10**6), 10**6)
    return problems + audit.people_options(lo, hi, not_in=set(idea.people))


def _check_ideas_of(audit: Checker) -> list[str]:
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
        elif name == audit.q.answer and names_person(name, person, audit.facts):
            problems.append(f"the answer {name} is named after {person.name}")
        elif name != audit.q.answer and any(person.slug in i.people for i in ideas):
            problems.append(f"{name} is associated with {person.name} too")
        elif name != audit.q.answer and names_person(name, person, audit.facts):
            problems.append(f"distractor {name} is named after {person.name}")
    return problems


TEMPLATES = [
    Template("idea.person", Kind.MULTIPLE_CHOICE, _build_idea_person, _check_idea_person),
    Template("idea.ideas_of", Kind.MULTIPLE_CHOICE, _build_ideas_of, _check_ideas_of),
]
