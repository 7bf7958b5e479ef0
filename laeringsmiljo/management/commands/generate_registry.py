from django.core.management.base import BaseCommand, CommandError

from laeringsmiljo.generator import SCALES, generate_registry


class Command(BaseCommand):
    help = (
        "Lager skoler, barnehager, PP-tjenester og overganger på de ekte 2020-kommunene. "
        "Samme frø gir samme data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")

    def handle(self, *, seed, scale, **options):
        try:
            counts = generate_registry(seed=seed, scale=scale)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Laget {counts.schools} skoler, {counts.kindergartens} barnehager, "
            f"{counts.ppt_services} PP-tjenester og {counts.feeder_links} overganger."
        )
