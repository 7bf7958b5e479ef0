"""A deterministic generator of schools, kindergartens, PPT services and feeder links.

Udir's registers (NSR and NBR) cannot be reached from here, so demo and benchmark data is
made up, plausibly, on the real 2020 municipalities: the same seed gives the same rows.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from laeringsmiljo.models import (
    FeederLink,
    Kindergarten,
    Municipality,
    OwnerKind,
    PPTService,
    School,
)

ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

PLACE_WORDS = [
    "Aasen",
    "Austad",
    "Bakkeløkka",
    "Berg",
    "Bjørkly",
    "Bjørnstad",
    "Blåbær",
    "Brattås",
    "Breidablikk",
    "Bråten",
    "Dalen",
    "Eikeli",
    "Elvebakken",
    "Engen",
    "Fagerlund",
    "Fjellheim",
    "Flaten",
    "Fossum",
    "Furulund",
    "Granli",
    "Grønnåsen",
    "Hagen",
    "Haugen",
    "Heia",
    "Hegre",
    "Holmen",
    "Hovland",
    "Husebø",
    "Kirkebakken",
    "Kleiva",
    "Kringlebotn",
    "Kvisla",
    "Lia",
    "Lindeberg",
    "Lunden",
    "Løkka",
    "Marka",
    "Moen",
    "Myra",
    "Nesset",
    "Nordby",
    "Nygård",
    "Rosendal",
    "Rud",
    "Sandvika",
    "Seljeli",
    "Skogly",
    "Skjæret",
    "Solbakken",
    "Solberg",
    "Solhaug",
    "Stranda",
    "Sundet",
    "Svingen",
    "Tjønna",
    "Torget",
    "Tunet",
    "Vassbotn",
    "Vestly",
    "Vika",
    "Øvre Tveit",
    "Åkeren",
    "Åsheim",
    "Åsland",
]
QUALIFIERS = ["Nordre", "Søndre", "Østre", "Vestre", "Nedre", "Indre", "Ytre", "Gamle"]
PRIVATE_KINDERGARTEN_OWNERS = ["barnehage SA", "barnehage AS", "Foreldrelag SA", "Stiftelse"]


@dataclass(frozen=True)
class Scale:
    schools: int
    kindergartens: int


SCALES = {
    "demo": Scale(schools=720, kindergartens=1450),
    "national": Scale(schools=2800, kindergartens=5700),
}


@dataclass
class GeneratedCounts:
    schools: int
    kindergartens: int
    ppt_services: int
    feeder_links: int


def orgnr_check_digit(first_eight):
    """The mod-11 check digit of an organisation number, or None where none is possible."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_eight, ORGNR_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


class OrgnrSource:
    """Hands out unique valid organisation numbers that start with 9, as most units' do."""

    def __init__(self, rng, taken):
        self.rng = rng
        self.taken = set(taken)

    def next(self):
        while True:
            first_eight = "9" + "".join(str(self.rng.randrange(10)) for _ in range(7))
            check = orgnr_check_digit(first_eight)
            if check is None:
                continue
            number = f"{first_eight}{check}"
            if number not in self.taken:
                self.taken.add(number)
                return number


def _allocate(total, weights):
    """Split total over weights by largest remainder, at least one each."""
    count = len(weights)
    spare = max(total - count, 0)
    weight_sum = sum(weights)
    shares = [spare * w / weight_sum for w in weights]
    allocated = [1 + int(share) for share in shares]
    left = total - sum(allocated)
    by_remainder = sorted(range(count), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for index in by_remainder[: max(left, 0)]:
        allocated[index] += 1
    return allocated


class _Namer:
    def __init__(self, rng):
        self.rng = rng

    def names(self, count, suffix):
        used = set()
        words = PLACE_WORDS[:]
        self.rng.shuffle(words)
        result = []
        index = 0
        while len(result) < count:
            word = words[index % len(words)]
            rounds = index // len(words)
            if rounds == 0:
                base = word
            elif rounds <= len(QUALIFIERS):
                base = f"{QUALIFIERS[rounds - 1]} {word}"
            else:
                base = f"{word} {rounds}"
            name = f"{base} {suffix}"
            if name not in used:
                used.add(name)
                result.append(name)
            index += 1
        return result


@transaction.atomic
def generate_registry(*, seed, scale, municipalities=None):
    """Create schools, kindergartens, PPT services and feeder links for the municipalities.

    Deterministic: the same seed, scale and municipalities give the same rows. Refuses to run
    where any of the municipalities already has schools or kindergartens.
    """
    if isinstance(scale, str):
        scale = SCALES[scale]
    rng = random.Random(seed)
    municipalities = list(
        (municipalities if municipalities is not None else Municipality.objects.all())
        .select_related("county")
        .order_by("number")
    )
    if not municipalities:
        raise ValueError("Registeret har ingen kommuner. Last inn fixtures/registry_2020 først.")
    if School.objects.filter(municipality__in=municipalities).exists() or (
        Kindergarten.objects.filter(municipality__in=municipalities).exists()
    ):
        raise ValueError("Kommunene har allerede skoler eller barnehager.")

    taken = set(School.objects.values_list("organisation_number", flat=True))
    taken.update(Kindergarten.objects.values_list("organisation_number", flat=True))
    taken.update(PPTService.objects.values_list("organisation_number", flat=True))
    orgnrs = OrgnrSource(rng, taken)
    namer = _Namer(rng)

    # Oslo and the large cities carry far more units than the median municipality.
    weights = [
        rng.lognormvariate(0, 1.1) * (25 if m.number == "0301" else 1) for m in municipalities
    ]
    school_counts = _allocate(scale.schools, weights)
    kindergarten_counts = _allocate(scale.kindergartens, weights)

    schools, kindergartens = [], []
    for municipality, n_schools, n_kindergartens in zip(
        municipalities, school_counts, kindergarten_counts, strict=True
    ):
        for name in namer.names(n_schools, "skole"):
            level = rng.choices(
                [School.Level.PRIMARY, School.Level.LOWER_SECONDARY, School.Level.COMBINED],
                weights=[6, 2, 2],
            )[0]
            if level == School.Level.LOWER_SECONDARY:
                name = name.replace(" skole", " ungdomsskole")
            schools.append(
                School(
                    organisation_number=orgnrs.next(),
                    name=name,
                    municipality=municipality,
                    level=level,
                    owner_kind=OwnerKind.PRIVATE if rng.random() < 0.04 else OwnerKind.PUBLIC,
                    pupils=rng.randint(40, 650),
                )
            )
        for name in namer.names(n_kindergartens, "barnehage"):
            private = rng.random() < 0.48
            owner_name = (
                f"{name.removesuffix(' barnehage')} {rng.choice(PRIVATE_KINDERGARTEN_OWNERS)}"
                if private
                else f"{municipality.name} kommune"
            )
            kindergartens.append(
                Kindergarten(
                    organisation_number=orgnrs.next(),
                    name=name,
                    municipality=municipality,
                    owner_kind=OwnerKind.PRIVATE if private else OwnerKind.PUBLIC,
                    owner_name=owner_name,
                    owner_organisation_number=orgnrs.next()
                    if private
                    else municipality.organisation_number,
                    children=rng.randint(15, 160),
                )
            )
    School.objects.bulk_create(schools, batch_size=1000)
    Kindergarten.objects.bulk_create(kindergartens, batch_size=1000)

    schools_by_municipality = {}
    for school in schools:
        if school.level != School.Level.LOWER_SECONDARY:
            schools_by_municipality.setdefault(school.municipality_id, []).append(school)
    links = []
    for kindergarten in kindergartens:
        candidates = schools_by_municipality.get(kindergarten.municipality_id)
        if not candidates:
            continue
        for school in rng.sample(candidates, k=min(len(candidates), rng.choice([1, 1, 2]))):
            links.append(FeederLink(kindergarten=kindergarten, school=school))
    FeederLink.objects.bulk_create(links, batch_size=2000)

    ppt_count = _generate_ppt(rng, orgnrs, municipalities)
    return GeneratedCounts(len(schools), len(kindergartens), ppt_count, len(links))


def _generate_ppt(rng, orgnrs, municipalities):
    """One PPT service per municipality, some shared by neighbours in the same county."""
    groups, index = [], 0
    while index < len(municipalities):
        size = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        group = [municipalities[index]]
        for candidate in municipalities[index + 1 : index + size]:
            if candidate.county_id == group[0].county_id:
                group.append(candidate)
        groups.append(group)
        index += len(group)

    services = []
    for group in groups:
        names = [m.name for m in group]
        if len(names) == 1:
            name = f"PPT {names[0]}"
        else:
            name = f"PPT for {', '.join(names[:-1])} og {names[-1]}"
        services.append(
            PPTService(
                name=name,
                organisation_number=orgnrs.next(),
                email=f"ppt@{group[0].number}.kommune.example",
            )
        )
    PPTService.objects.bulk_create(services)
    through = PPTService.municipalities.through
    through.objects.bulk_create(
        [
            through(pptservice_id=service.pk, municipality_id=municipality.pk)
            for service, group in zip(services, groups, strict=True)
            for municipality in group
        ]
    )
    return len(services)
