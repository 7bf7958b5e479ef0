from django.core.management.base import BaseCommand, CommandError

from laeringsmiljo.models import Cohort
from selection.archive.journal import backfill


class Command(BaseCommand):
    help = (
        "Journalfører søknadene som er sendt inn og brevene som er sendt før journalen fantes. "
        "Trygt å kjøre flere ganger: hvert dokument journalføres én gang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pulje", type=int, help="Bare puljen med dette nummeret.")

    def handle(self, *args, pulje=None, **options):
        cohort = None
        if pulje is not None:
            cohort = Cohort.objects.filter(number=pulje).first()
            if cohort is None:
                raise CommandError(f"Det finnes ingen pulje med nummer {pulje}.")
        added = backfill(cohort=cohort)
        self.stdout.write(f"{added} journalposter lagt til.")
