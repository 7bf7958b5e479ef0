"""Rebuild fixtures/registry_2020.json from the 2020 registry files in shared/data."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from laeringsmiljo.models import WrittenStandard

WRITTEN_STANDARDS = {
    "bokmål": WrittenStandard.BOKMAAL.value,
    "nynorsk": WrittenStandard.NYNORSK.value,
    "nøytral": WrittenStandard.NEUTRAL.value,
}
# These offices write in nynorsk ("Statsforvaltaren"); editable in admin.
NYNORSK_OFFICES = {"Fylkesmannen i Vestland", "Fylkesmannen i Møre og Romsdal"}
# The secondary source swaps these two websites (see shared/data/SOURCES.md).
WEBSITE_FIXES = {"5034": "www.meraker.kommune.no", "3817": "midt-telemark.kommune.no"}


# The offices were renamed when the law changed on 1 January 2021.
RENAMED_ON = "2021-01-01"
LAST_DAY_OF_OLD_NAME = "2020-12-31"


def office_code(name):
    return slugify(name.removeprefix("Fylkesmannen i ").replace("ø", "o").replace("å", "a"))


class Command(BaseCommand):
    help = (
        "Lager fixtures/registry_2020.json fra registerfilene for 2020 (fylker, embeter, kommuner)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(settings.BASE_DIR.parent / "shared" / "data"), type=Path
        )
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "fixtures" / "registry_2020.json")
        )

    def handle(self, *, source, output, **options):
        try:
            counties = list(csv.DictReader((source / "fylker_2020.csv").open(encoding="utf-8")))
            municipalities = list(
                csv.DictReader((source / "kommuner_2020.csv").open(encoding="utf-8"))
            )
            websites = {
                row["Nr"].zfill(4): row["Domene"]
                for row in csv.DictReader(
                    (source / "kommuner_2020_malform_domene_tobiasmcvey.csv").open(encoding="utf-8")
                )
            }
        except FileNotFoundError as exc:
            raise CommandError(f"Fant ikke registerfilen {exc.filename}.") from None
        websites.update(WEBSITE_FIXES)

        objects = []
        offices = sorted({row["fylkesmannsembete_2019_2020"] for row in counties})
        for name in offices:
            objects.append(
                {
                    "model": "laeringsmiljo.governoroffice",
                    "fields": {
                        "code": office_code(name),
                        "name": name,
                        "email": "",
                        "postal_address": "",
                        "default_written_standard": "nn" if name in NYNORSK_OFFICES else "nb",
                    },
                }
            )
        new_names = {
            row["fylkesmannsembete_2019_2020"]: row["statsforvalter_fra_2021"] for row in counties
        }
        for name in offices:
            for dated, valid_from, valid_until in (
                (name, None, LAST_DAY_OF_OLD_NAME),
                (new_names[name], RENAMED_ON, None),
            ):
                objects.append(
                    {
                        "model": "laeringsmiljo.officename",
                        "fields": {
                            "office": [office_code(name)],
                            "name": dated,
                            "valid_from": valid_from,
                            "valid_until": valid_until,
                        },
                    }
                )
        for row in counties:
            objects.append(
                {
                    "model": "laeringsmiljo.county",
                    "fields": {
                        "number": row["fylkesnummer"],
                        "name": row["fylkesnavn"],
                        "office": [office_code(row["fylkesmannsembete_2019_2020"])],
                    },
                }
            )
        for row in municipalities:
            number = row["kommunenummer"]
            if len(number) != 4 or not number.isdigit():
                raise CommandError(f"Ugyldig kommunenummer i kildefilen: {number!r}")
            objects.append(
                {
                    "model": "laeringsmiljo.municipality",
                    "fields": {
                        "number": number,
                        "name": row["kommunenavn"],
                        "county": [row["fylkesnummer"]],
                        "written_standard": WRITTEN_STANDARDS[row["malform_usikker"]],
                        "website": websites.get(number, ""),
                    },
                }
            )
        Path(output).write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n")
        self.stdout.write(
            f"Skrev {len(offices)} embeter, {len(counties)} fylker og "
            f"{len(municipalities)} kommuner til {output}."
        )
