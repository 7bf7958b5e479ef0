from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from laeringsmiljo.signin.second_factor import app_device, current_code


class Command(BaseCommand):
    help = (
        "Skriver ut koden autentiseringsappen til en demobruker ville vist nå "
        "(bare i utvikling, med DJANGO_DEBUG på)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *, username, **options):
        if not settings.DEBUG:
            # A code printed on the server would make the second factor the server's.
            raise CommandError("demo_code virker bare i utvikling (DJANGO_DEBUG=1).")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Finner ingen bruker med brukernavnet «{username}».")
        device = app_device(user)
        if device is None:
            raise CommandError(
                f"«{username}» har ingen autentiseringsapp ennå: den settes opp ved første "
                "innlogging."
            )
        self.stdout.write(current_code(device))
