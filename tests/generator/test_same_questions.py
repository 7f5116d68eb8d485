"""The generator makes exactly the questions it made before it was split into a package.

The digests in `generated_digests.json` were taken from the one-file generator
(`quiz/generator.py`, before issue 10 moved it into `quiz/generator/`). A change that
means to alter the questions rewrites them on purpose:

    REWRITE_GENERATED_DIGESTS=1 .venv/bin/python -m pytest tests/generator/test_same_questions.py
"""

import hashlib
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from quiz.core.models import Kind
from quiz.generator import facts_from_unit, generate, generate_set

pytestmark = pytest.mark.django_db

DIGESTS = Path(__file__).with_name("generated_digests.json")
REWRITE = bool(os.environ.get("REWRITE_GENERATED_DIGESTS"))


def command_output(seed: int) -> str:
    out = StringIO()
    call_command(
        "generate_questions",
        "--unit",
        "trotsky-and-stalin",
        "--count",
        "200",
        "--seed",
        str(seed),
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def as_text(questions) -> str:
    return json.dumps([q.to_json() for q in questions], ensure_ascii=False, sort_keys=True)


def library_output(case: str, facts) -> str:
    """What the admin and the tests call directly, with the options the command never sets."""
    if case == "generate, every kind":
        return as_text(generate(facts, count=400, seed=3))
    if case.startswith("generate_set, only "):
        kind = case.removeprefix("generate_set, only ")
        return as_text(generate_set(facts, count=40, seed=7, kinds=[kind]).questions)
    if case == "generate_set, 1917 to 1929":
        return as_text(
            generate_set(facts, count=60, seed=2, start_year=1917, end_year=1929).questions
        )
    if case == "generate_set, around Trotsky":
        return as_text(
            generate_set(facts, count=60, seed=4, person_slugs=["leon-trotsky"]).questions
        )
    if case == "generate_set, after a first batch":
        first = generate_set(facts, count=30, seed=5).questions
        return as_text(generate_set(facts, count=30, seed=6, already=first).questions)
    raise AssertionError(f"unknown case {case!r}")


COMMAND_CASES = [f"generate_questions --count 200 --seed {seed} --json" for seed in range(1, 21)]
LIBRARY_CASES = [
    "generate, every kind",
    *(f"generate_set, only {kind}" for kind in Kind.values),
    "generate_set, 1917 to 1929",
    "generate_set, around Trotsky",
    "generate_set, after a first batch",
]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def recorded() -> dict[str, str]:
    return json.loads(DIGESTS.read_text()) if DIGESTS.exists() else {}


def check(case: str, text: str) -> None:
    assert len(json.loads(text)) >= 20, f"{case} makes too few questions to prove anything"
    if REWRITE:
        digests = recorded() | {case: digest(text)}
        DIGESTS.write_text(json.dumps(dict(sorted(digests.items())), indent=2) + "\n")
        pytest.skip("digest rewritten")
    assert digest(text) == recorded()[case], f"{case} now makes different questions"


@pytest.mark.parametrize("seed", range(1, 21))
def test_the_command_prints_the_same_200_questions_for_each_seed(curated_unit, seed):
    check(COMMAND_CASES[seed - 1], command_output(seed))


@pytest.mark.parametrize("case", LIBRARY_CASES)
def test_generate_and_generate_set_make_the_same_questions_as_before(curated_unit, case):
    check(case, library_output(case, facts_from_unit(curated_unit)))


def test_every_case_has_a_recorded_digest():
    assert set(recorded()) == set(COMMAND_CASES) | set(LIBRARY_CASES)


def test_clear_caches_empties_every_cache_of_every_generator_module(curated_unit):
    import pkgutil
    import sys
    from importlib import import_module

    import quiz.generator
    from quiz.generator import clear_caches

    for module in pkgutil.walk_packages(quiz.generator.__path__, "quiz.generator."):
        import_module(module.name)
    generate(facts_from_unit(curated_unit), count=100, seed=1)
    caches = [
        value
        for name, module in sys.modules.items()
        if name.startswith("quiz.generator")
        for value in vars(module).values()
        if hasattr(value, "cache_info")
    ]
    assert len(caches) >= 5 and any(cache.cache_info().currsize for cache in caches)
    clear_caches()
    assert all(cache.cache_info().currsize == 0 for cache in caches)
