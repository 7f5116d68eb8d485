from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from history.models import Unit
from history.units import dumps_unit


class Command(BaseCommand):
    help = "Write a unit out in the unit file format (stdout, a file, or a folder with --all)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("-o", "--output", type=Path, help="file (or folder with --all)")
        parser.add_argument("--all", action="store_true", help="export every unit")

    def handle(self, *args, slug: str | None, output: Path | None, all: bool, **options):
        if all == bool(slug):
            raise CommandError("Give a unit slug or --all (not both).")
        if all:
            folder = output or Path(".")
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"{folder}: with --all, -o must be a folder.")
            folder.mkdir(parents=True, exist_ok=True)
            units = list(Unit.objects.all())
            for unit in units:
                (folder / f"{unit.slug}.json").write_text(dumps_unit(unit), encoding="utf-8")
            self.stderr.write(f"Exported {len(units)} units to {folder}.")
            return
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            known = ", ".join(Unit.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No unit "{slug}". Units: {known}.')
        text = dumps_unit(unit)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f'Exported "{unit.title}" to {output}.')
        else:
            self.stdout.write(text, ending="")
