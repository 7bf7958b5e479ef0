"""Benchmarks: each runs on a throwaway test database and prints its measurements."""

import tempfile

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from laeringsmiljo.generator import generate_registry
from selection.bench.cohort import bench_scoring, bench_survey_import
from selection.bench.deadline import bench_deadline
from selection.bench.letters import bench_letter_service, bench_letter_workers
from selection.bench.pages import bench_pages
from selection.bench.timing import measure


def bench_registry_generator(stdout):
    call_command("loaddata", "registry_2020", verbosity=0)
    made = []
    elapsed, cpu = measure(lambda: made.append(generate_registry(seed=1, scale="national")))
    counts = made[0]
    # Once: it fills the benchmark's database, which the other benchmarks then use.
    stdout.write(
        f"generate_registry national (én gang): {counts.schools} skoler, "
        f"{counts.kindergartens} barnehager, {counts.feeder_links} overganger på {elapsed:.2f} s "
        f"(CPU {cpu:.2f} s; mål: under 60 s)"
    )


BENCHMARKS = {
    "registry": bench_registry_generator,
    "scoring": bench_scoring,
    "survey_import": bench_survey_import,
    "pages": bench_pages,
    "letters": bench_letter_service,
    "letter_workers": bench_letter_workers,
    "deadline": bench_deadline,
}


class Command(BaseCommand):
    help = "Kjører ytelsesmålingene på en midlertidig testdatabase."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=", ".join(BENCHMARKS))

    def handle(self, *, names, **options):
        unknown = sorted(set(names) - set(BENCHMARKS))
        if unknown:
            raise CommandError(
                f"Ukjent måling: {', '.join(unknown)}. Velg blant {', '.join(BENCHMARKS)}."
            )
        if settings.DEBUG:
            # Debug mode logs every query and checks templates: it measures another service.
            raise CommandError(
                "Målingene kjøres med produksjonsinnstillinger: DJANGO_DEBUG=0 (se .ci/bench, "
                "som `make bench` bruker)."
            )
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"Merk: databasen er {connection.vendor}, ikke PostgreSQL som i produksjon."
            )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            # Letters and imports write files: keep them out of the real private folder.
            with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
                for name in names or BENCHMARKS:
                    BENCHMARKS[name](self.stdout)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
