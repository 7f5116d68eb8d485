import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from history.dates import format_year
from history.models import Unit
from quiz.core.models import Kind
from quiz.generator import facts_from_unit, generate_set


def kinds_list(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown or not kinds:
        raise CommandError(
            f"Unknown question kind(s): {', '.join(unknown) or '(none given)'}. "
            f"Choose from: {', '.join(Kind.values)}."
        )
    return kinds


class Command(BaseCommand):
    help = "Generate quiz questions from a unit's events and people (printed, not saved)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's slug.")
        parser.add_argument("--count", type=int, default=20)
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same questions.")
        parser.add_argument(
            "--kinds",
            default=",".join(Kind.values),
            help=f"Comma-separated, from: {', '.join(Kind.values)} (default: all).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="print_json", help="Print a JSON array."
        )

    def handle(self, *args, unit, count, seed, kinds, print_json, **options):
        if count < 1:
            raise CommandError(f"--count must be at least 1 (got {count}).")
        chosen_kinds = kinds_list(kinds)
        record = Unit.objects.filter(slug=unit).first()
        if record is None:
            known = ", ".join(Unit.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(
                f'No unit "{unit}". Known units: {known}. Load one with import_unit FILE.'
            )
        # As the admin makes them: questions that can stand together in one set.
        questions = generate_set(
            facts_from_unit(record), count=count, seed=seed, kinds=chosen_kinds
        ).questions
        if print_json:
            self.stdout.write(self.as_json(questions))
        else:
            self.stdout.write(self.as_text(questions))
        if len(questions) < count:
            self.stderr.write(
                f"Only {len(questions)} good questions exist for these settings "
                f"(asked for {count})."
            )
        kinds_made = Counter(q.kind for q in questions)
        summary = ", ".join(f"{kinds_made[k]} {k}" for k in chosen_kinds)
        line = (
            f'Generated {len(questions)} questions from "{record.title}" (seed {seed}): {summary}.'
        )
        # With --json, stdout is for the JSON alone.
        (self.stderr if print_json else self.stdout).write(line)

    @staticmethod
    def as_json(questions) -> str:
        return json.dumps([q.to_json() for q in questions], ensure_ascii=False, indent=2)

    @staticmethod
    def as_text(questions) -> str:
        lines = []
        for number, q in enumerate(questions, start=1):
            lines.append(f"{number}. [{Kind(q.kind).label}] {q.prompt}")
            if q.kind == Kind.CHRONOLOGY:
                lines.append(f"   Items: {' | '.join(q.options)}")
                lines.append(f"   Answer: {' → '.join(q.answer)}")
            elif q.kind == Kind.YEAR and not q.options:
                lines.append(
                    f"   Answer: {format_year(q.answer)} (partial credit within "
                    f"{q.tolerance} year{'s' if q.tolerance != 1 else ''})"
                )
            else:
                answer = format_year(q.answer) if isinstance(q.answer, int) else q.answer
                for letter, option in zip("abcdefgh", q.options, strict=False):
                    mark = "  ← answer" if option == answer else ""
                    lines.append(f"   {letter}) {option}{mark}")
            lines.append(f"   Why: {q.explanation}")
            if q.sources:
                lines.append(f"   Sources: {'; '.join(q.sources)}")
            lines.append("")
        return "\n".join(lines)
