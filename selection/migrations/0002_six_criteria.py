from django.db import migrations

# The values as they were when the criteria were first made; later edits happen in admin.
CRITERIA = [
    {
        "kind": "mobbing",
        "order": 1,
        "weight": "3",
        "is_gate": False,
        "parameters": {"years": 3, "points_per_percentage_point": "2", "max_points": "10"},
        "name_nb": "Høy mobbeforekomst de siste årene",
        "name_nn": "Høg mobbeførekomst dei siste åra",
        "help_text_nb": (
            "Andelen elever som svarer at de blir mobbet (Elevundersøkelsen, «mobbing på "
            "skolen») ved de deltakende skolene, sammenlignet med landsgjennomsnittet de samme "
            "skoleårene. Hvert prosentpoeng over snittet gir poeng."
        ),
        "help_text_nn": (
            "Delen elevar som svarar at dei blir mobba (Elevundersøkinga, «mobbing på skulen») "
            "ved dei deltakande skulane, samanlikna med landsgjennomsnittet dei same skuleåra. "
            "Kvart prosentpoeng over snittet gir poeng."
        ),
    },
    {
        "kind": "klagesaker",
        "order": 2,
        "weight": "2",
        "is_gate": False,
        "parameters": {
            "years": 3,
            "points_per_case": "1",
            "extra_points_long_running": "1",
            "max_points": "10",
        },
        "name_nb": "Klagesaker og/eller saker med stor kompleksitet",
        "name_nn": "Klagesaker og/eller saker med stor kompleksitet",
        "help_text_nb": (
            "Håndhevingssaker etter opplæringsloven kapittel 9 A ved de deltakende skolene, "
            "registrert av Statsforvalteren, også der mobbetallene ikke er høye. Langvarige "
            "eller komplekse saker gir tilleggspoeng."
        ),
        "help_text_nn": (
            "Handhevingssaker etter opplæringslova kapittel 9 A ved dei deltakande skulane, "
            "registrerte av Statsforvaltaren, også der mobbetala ikkje er høge. Langvarige "
            "eller komplekse saker gir tilleggspoeng."
        ),
    },
    {
        "kind": "tilsyn",
        "order": 3,
        "weight": "2",
        "is_gate": False,
        "parameters": {
            "years": 4,
            "points_practice": "3",
            "points_routines": "2",
            "points_system": "2",
            "max_points": "10",
        },
        "name_nb": "Tilsyn har avdekket avvik i praksis, rutiner og/eller system",
        "name_nn": "Tilsyn har avdekt avvik i praksis, rutinar og/eller system",
        "help_text_nb": (
            "Åpne avvik fra tilsyn med kommunen som skoleeier eller med de deltakende skolene. "
            "Poeng etter hva avviket gjelder."
        ),
        "help_text_nn": (
            "Opne avvik frå tilsyn med kommunen som skuleeigar eller med dei deltakande "
            "skulane. Poeng etter kva avviket gjeld."
        ),
    },
    {
        "kind": "motivasjon",
        "order": 4,
        "weight": "2",
        "is_gate": False,
        "parameters": {"scale_min": 1, "scale_max": 6, "max_points": "10"},
        "name_nb": "Kommunen, barnehagene og skolene er motivert og vil prioritere arbeidet",
        "name_nn": "Kommunen, barnehagane og skulane er motiverte og vil prioritere arbeidet",
        "help_text_nb": (
            "Statsforvalterens karakter for motivasjonen i søknaden, på en fast skala. Til "
            "karakteren er satt, mangler kriteriet."
        ),
        "help_text_nn": (
            "Karakteren Statsforvaltaren set på motivasjonen i søknaden, på ein fast skala. Til "
            "karakteren er sett, manglar kriteriet."
        ),
    },
    {
        "kind": "barnehager",
        "order": 5,
        "weight": "1",
        "is_gate": False,
        "parameters": {
            "feeder_points": "8",
            "points_per_challenged_kindergarten": "1",
            "max_points": "10",
        },
        "name_nb": (
            "Barnehager som sender barn til de deltakende skolene, og barnehager med kjente "
            "utfordringer"
        ),
        "name_nn": (
            "Barnehagar som sender barn til dei deltakande skulane, og barnehagar med kjende "
            "utfordringar"
        ),
        "help_text_nb": (
            "Andelen deltakende barnehager som sender barn til en deltakende skole, og "
            "barnehager som har beskrevet kjente utfordringer."
        ),
        "help_text_nn": (
            "Delen deltakande barnehagar som sender barn til ein deltakande skule, og "
            "barnehagar som har skildra kjende utfordringar."
        ),
    },
    {
        "kind": "deltakelse",
        "order": 6,
        "weight": "1",
        "is_gate": True,
        "parameters": {"max_points": "10"},
        "name_nb": "Barnehageeier, skoleeier, PPT, barnehage og skole deltar",
        "name_nn": "Barnehageeigar, skuleeigar, PPT, barnehage og skule deltek",
        "help_text_nb": (
            "Alle eiere, PP-tjenesten og lederne ved alle deltakende enheter har bekreftet "
            "deltakelse. Et portkriterium: uten full deltakelse kan søknaden ikke innstilles."
        ),
        "help_text_nn": (
            "Alle eigarane, PP-tenesta og leiarane ved alle deltakande einingar har stadfesta "
            "deltaking. Eit portkriterium: utan full deltaking kan ikkje søknaden bli innstilt."
        ),
    },
]


def create_criteria(apps, schema_editor):
    Criterion = apps.get_model("selection", "Criterion")
    for values in CRITERIA:
        Criterion.objects.get_or_create(kind=values["kind"], defaults=values)


def remove_criteria(apps, schema_editor):
    Criterion = apps.get_model("selection", "Criterion")
    Criterion.objects.filter(kind__in=[c["kind"] for c in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]

    operations = [migrations.RunPython(create_criteria, remove_criteria)]
