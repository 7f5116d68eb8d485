import json
from collections import Counter
from io import StringIO
from itertools import combinations

import pytest
from django.core.management import CommandError, call_command

from quiz.core.models import Kind
from quiz.generator import GeneratedQuestion, check_question, facts_from_unit, gives_away

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def generated(*args) -> tuple[list[dict], str]:
    out, err = run("generate_questions", "--unit", "trotsky-and-stalin", "--json", *args)
    return json.loads(out), err


def as_question(item: dict) -> GeneratedQuestion:
    return GeneratedQuestion(**item)


def test_it_prints_a_json_array_of_questions(curated_unit):
    items, err = generated("--count", "8", "--seed", "1")
    assert len(items) == 8
    for item in items:
        assert {"kind", "prompt", "options", "answer", "tolerance", "explanation"} <= set(item)
        assert {"sources", "template", "event_slugs", "person_slugs"} <= set(item)
        assert item["kind"] in Kind.values and item["sources"]
    assert 'Generated 8 questions from "Trotsky and Stalin' in err


def test_the_json_keeps_accents_readable(curated_unit):
    out, _err = run(
        "generate_questions", "--unit", "trotsky-and-stalin", "--count", "200", "--json"
    )
    assert "\\u" not in out
    assert "“" in out  # the quotes around a clue or a title, as written


def test_seed_1_gives_200_valid_questions_of_every_kind(curated_unit):
    items, err = generated("--count", "200", "--seed", "1")
    assert len(items) == 200
    assert "Only" not in err
    assert {item["kind"] for item in items} == set(Kind.values)
    assert len({item["prompt"] for item in items}) == 200
    facts = facts_from_unit(curated_unit)
    for item in items:
        assert check_question(as_question(item), facts) == [], item


def test_seeds_1_to_20_never_produce_an_invalid_question(curated_unit):
    facts = facts_from_unit(curated_unit)
    for seed in range(1, 21):
        items, _err = generated("--count", "100", "--seed", str(seed))
        assert len(items) == 100
        for item in items:
            assert check_question(as_question(item), facts) == [], (seed, item)


def test_the_same_seed_prints_the_same_questions(curated_unit):
    first, _ = generated("--count", "30", "--seed", "5")
    again, _ = generated("--count", "30", "--seed", "5")
    assert first == again


def test_it_makes_only_the_kinds_asked_for(curated_unit):
    items, _err = generated("--count", "10", "--kinds", "year,chronology")
    assert {item["kind"] for item in items} == {"year", "chronology"}


def test_it_shares_the_kinds_evenly_and_none_gives_another_away(curated_unit):
    # The path the admin's "Add generated questions" takes too.
    facts = facts_from_unit(curated_unit)
    for seed in range(1, 6):
        items, _err = generated("--count", "20", "--seed", str(seed))
        assert Counter(item["kind"] for item in items) == dict.fromkeys(Kind.values, 5)
        questions = [as_question(item) for item in items]
        pairs = list(combinations(questions, 2))
        assert pairs
        for a, b in pairs:
            assert not gives_away(a, b, facts), (seed, a.prompt, b.prompt)


def test_a_shortfall_is_reported_on_stderr(curated_unit):
    items, err = generated("--count", "900", "--kinds", "multiple_choice")
    assert len(items) < 900
    assert f"Only {len(items)} good questions exist for these settings (asked for 900)." in err


def test_without_json_it_prints_a_readable_numbered_list(curated_unit):
    out, err = run(
        "generate_questions", "--unit", "trotsky-and-stalin", "--count", "12", "--seed", "2"
    )
    assert err == ""
    assert out.startswith("1. [")
    assert "\n12. [" in out
    assert "← answer" in out and "Why: " in out
    assert out.rstrip().endswith(
        '12 questions from "Trotsky and Stalin, 1879–1940" (seed 2): '
        "3 multiple_choice, 3 year, 3 chronology, 3 which_first."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "no-such-unit"], 'No unit "no-such-unit"'),
        (["--unit", "trotsky-and-stalin", "--kinds", "essay"], "Unknown question kind(s): essay"),
        (["--unit", "trotsky-and-stalin", "--count", "0"], "--count must be at least 1"),
        (["--unit", "trotsky-and-stalin", "--count", "-5"], "--count must be at least 1"),
    ],
)
def test_bad_arguments_are_a_clear_error(curated_unit, args, message):
    with pytest.raises(CommandError) as error:
        run("generate_questions", *args)
    assert message in str(error.value)


def test_the_benchmark_reports_time_throughput_and_memory(curated_unit):
    out, _err = run("bench_generator", "--count", "150", "--repeat", "1")
    assert "Questions: 150 distinct (0 invalid), seed(s) 1." in out
    assert "Cold: " in out and "Warm: " in out and "questions/second" in out
    assert "Peak memory (tracemalloc, cold run)" in out
