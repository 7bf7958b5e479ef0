from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from selection.evidence.imports import import_file
from selection.evidence.models import ImportKind
from selection.evidence.tables import ImportFileError


class Command(BaseCommand):
    help = (
        "Importerer en fil fra disk: tall fra Elevundersøkelsen (standard), klagesaker eller "
        "tilsynsfunn. Viser først hva filen gjør; med --dry-run lagres ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind", choices=ImportKind.values, default=ImportKind.SURVEY, help="hva filen har"
        )
        parser.add_argument("--dry-run", action="store_true", help="vis bare hva som ville skjedd")
        parser.add_argument("--user", help="brukernavnet importen registreres på")

    def handle(self, *, path, kind, dry_run, user, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Fant ingen bruker med brukernavnet «{user}».") from None
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan ikke lese {path}: {error.strerror}.") from None
        try:
            plan, imported = import_file(
                kind=kind, file_name=path.name, content=content, actor=actor, dry_run=dry_run
            )
        except ImportFileError as error:
            raise CommandError(error.message) from None
        for error in plan.rejected:
            self.stdout.write(f"Rad {error.row} avvist: {error.message}")
        if plan.gender_rows:
            self.stdout.write(
                f"{len(plan.gender_rows)} rader med tall for bare ett kjønn "
                f"({', '.join(sorted(plan.gender_values))}) er holdt utenfor: bare radene for "
                "alle elever (begge kjønn) importeres."
            )
        if plan.only_by_gender:
            self.stdout.write(
                f"For {plan.only_by_gender} kombinasjoner av skole, skoleår og trinn har filen "
                "bare tall per kjønn; der gir filen ingen tall."
            )
        self.stdout.write(
            f"{path.name}: {len(plan.create)} nye, {len(plan.update)} endrede, "
            f"{plan.unchanged} uendrede og {len(plan.rejected)} avviste rader."
        )
        if dry_run:
            self.stdout.write("Prøvekjøring: ingenting er lagret.")
        elif imported is None:
            raise CommandError("Ingen rader i filen kan importeres. Ingenting er lagret.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Importert (import nr. {imported.pk})."))
