from django.core.management.base import BaseCommand
from django.db import transaction

from laeringsmiljo.demo import DEMO_LOGINS, DEMO_PASSWORD, setup_demo
from selection.evidence.demo import setup_demo_evidence
from selection.process.demo import invite_demo_municipalities


class Command(BaseCommand):
    help = "Lager demodata (register, pulje 5, øvingspulje og én bruker per rolle) én gang."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *, seed, **options):
        with transaction.atomic():
            practice = setup_demo(seed=seed)
            invite_demo_municipalities(practice)
            setup_demo_evidence(seed=seed)
        self.stdout.write(f"Demodata er klar. Innlogging (passord for alle: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<10} {login.description}")
        self.stdout.write(
            "Ansatte og admin må også gi en kode fra appen; "
            "`manage.py demo_code BRUKERNAVN` skriver ut koden appen ville vist nå."
        )
