import dataclasses
import statistics
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from history.models import Unit
from history.units import UnitFileError, read_unit
from quiz import generator
from quiz.generator import check_question, facts_from_data, facts_from_unit, generate


def forget(facts):
    """The same facts with nothing remembered: what the first request of the day sees."""
    generator.clear_caches()
    return dataclasses.replace(facts)


class Command(BaseCommand):
    help = (
        "Benchmark the question generator: make COUNT distinct questions from a unit "
        "(over several seeds if one cannot give that many); report time and peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="trotsky-and-stalin")
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each kind.")

    def handle(self, *args, unit: str, count: int, repeat: int, **options):
        if count < 1 or repeat < 1:
            raise CommandError("--count and --repeat must be at least 1.")
        facts, origin = self.load(unit)
        seeds, questions = self.seeds_for(facts, count)
        if len(seeds) > 1:
            self.stdout.write(
                f"One seed gives fewer than {count} distinct questions: "
                f"using seeds {seeds[0]}–{seeds[-1]}."
            )
        invalid = sum(1 for q in questions if check_question(q, facts))

        # Cold: a fresh snapshot, as after a restart. Warm: the snapshot reused,
        # with what the generator remembers about it (prompts, candidate lists).
        cold = [self.timed(forget(facts), seeds, count) for _run in range(repeat)]
        warm_facts = forget(facts)
        self.run(warm_facts, seeds, count)
        warm = [self.timed(warm_facts, seeds, count) for _run in range(repeat)]

        # Apart from the timings: tracemalloc slows Python down several times.
        cold_facts = forget(facts)
        tracemalloc.start()
        self.run(cold_facts, seeds, count)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        made = len(questions)
        self.stdout.write(
            "\n".join(
                [
                    f"Unit: {facts.title} ({origin}): {len(facts.events)} events, "
                    f"{len(facts.people)} people, {len(facts.works)} works, "
                    f"{len(facts.ideas)} ideas.",
                    f"Questions: {made} distinct ({invalid} invalid), "
                    f"seed(s) {', '.join(map(str, seeds))}.",
                    self.line("Cold", cold, made),
                    self.line("Warm", warm, made),
                    f"Peak memory (tracemalloc, cold run): {peak / 1024 / 1024:.1f} MiB.",
                ]
            )
        )

    @staticmethod
    def line(label: str, timings: list[float], made: int) -> str:
        median = statistics.median(timings)
        return (
            f"{label}: {median * 1000:.0f} ms median of {len(timings)} "
            f"(best {min(timings) * 1000:.0f} ms), {made / median:,.0f} questions/second."
        )

    def load(self, slug: str):
        record = Unit.objects.filter(slug=slug).first()
        if record is not None:
            return facts_from_unit(record), "database"
        path = Path(settings.BASE_DIR) / "history" / "units" / f"{slug}.json"
        try:
            data = read_unit(path.read_text(encoding="utf-8"), str(path))
        except FileNotFoundError:
            raise CommandError(f'No unit "{slug}" in the database, and no {path}.') from None
        except UnitFileError as error:
            raise CommandError(str(error)) from None
        return facts_from_data(data), path.relative_to(settings.BASE_DIR)

    @staticmethod
    def seeds_for(facts, count: int):
        """The fewest seeds (1, 2, ...) whose questions together make `count` distinct ones."""
        seeds, questions, prompts = [], [], set()
        for seed in range(1, 101):
            seeds.append(seed)
            for question in generate(facts, count=count, seed=seed):
                if question.prompt not in prompts and len(questions) < count:
                    prompts.add(question.prompt)
                    questions.append(question)
            if len(questions) >= count:
                break
        return seeds, questions

    def timed(self, facts, seeds, count: int) -> float:
        started = time.perf_counter()
        self.run(facts, seeds, count)
        return time.perf_counter() - started

    @staticmethod
    def run(facts, seeds, count: int) -> None:
        for seed in seeds:
            generate(facts, count=count, seed=seed)
