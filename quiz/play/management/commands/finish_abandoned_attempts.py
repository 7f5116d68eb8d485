from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from quiz.live.game import end_stale
from quiz.play.sitting import finish_abandoned


class Command(BaseCommand):
    help = (
        "Finish sittings left open past their last deadline (run from cron, e.g. every 10 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--idle-minutes", type=int, default=10)

    def handle(self, *args, idle_minutes: int, **options):
        now = timezone.now()
        count = finish_abandoned(now, timedelta(minutes=idle_minutes))
        games = end_stale(now)
        self.stdout.write(
            f"Finished {count} abandoned attempts; ended {games} forgotten live games."
        )
