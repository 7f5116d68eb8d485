from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from history.models import Unit
from history.units import UnitFileError, load_unit, read_unit


class Command(BaseCommand):
    help = "Validate a unit file (the project's JSON format) and load it; nothing loads on error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Leave a unit that is already in the database as it is (teachers may have "
            "edited it); only load units that are missing.",
        )

    def handle(self, *args, file: Path, keep_existing: bool, **options):
        try:
            data = read_unit(file.read_text(encoding="utf-8"), where=str(file))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file: {error}") from None
        except UnitFileError as error:
            raise CommandError(str(error)) from None
        if keep_existing and Unit.objects.filter(slug=data.slug).exists():
            self.stdout.write(f'Unit "{data.slug}" is already loaded; left as it is.')
            return
        try:
            report = load_unit(data)
        except UnitFileError as error:  # found only against the database, e.g. a clash of sources
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(str(report))
