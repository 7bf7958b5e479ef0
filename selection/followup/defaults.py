"""The default texts of the reminders in bokmål and nynorsk, loaded by a data migration and
edited afterwards in Django admin («Maler for påminnelser»)."""

DEFAULTS = {
    ("soknad", "nb"): (
        "Påminnelse: søknaden fra {municipality} kommune til Læringsmiljøprosjektet, {cohort}",
        """{office} minner om at søknaden fra {municipality} kommune til Læringsmiljøprosjektet, {cohort}, ikke er sendt inn ennå. Søknadsfristen er {deadline}.

Dette mangler før søknaden kan sendes:
{missing}

Søknaden fylles ut og sendes i tjenesten Læringsmiljø: {service_url}

Spørsmål kan sendes til {office} på {office_email}.""",
    ),
    ("soknad", "nn"): (
        "Påminning: søknaden frå {municipality} kommune til Læringsmiljøprosjektet, {cohort}",
        """{office} minner om at søknaden frå {municipality} kommune til Læringsmiljøprosjektet, {cohort}, ikkje er send inn enno. Søknadsfristen er {deadline}.

Dette manglar før søknaden kan sendast:
{missing}

Søknaden vert fylt ut og send i tenesta Læringsmiljø: {service_url}

Spørsmål kan sendast til {office} på {office_email}.""",
    ),
    ("bekreftelse", "nb"): (
        "Påminnelse: bekreft deltakelsen i Læringsmiljøprosjektet, {cohort}",
        """{municipality} kommune søker om å delta i Læringsmiljøprosjektet, {cohort}, og har bedt deg bekrefte at enheten din deltar. Søknaden kan ikke sendes før alle har svart, og søknadsfristen er {deadline}.

Vi venter fortsatt på svar fra:
{waiting}

Lenken til å svare står i e-posten med forespørselen. Er lenken utløpt eller borte, kan kontaktpersonen for søknaden sende en ny.

Spørsmål kan sendes til {office} på {office_email}.""",
    ),
    ("bekreftelse", "nn"): (
        "Påminning: stadfest deltakinga i Læringsmiljøprosjektet, {cohort}",
        """{municipality} kommune søkjer om å delta i Læringsmiljøprosjektet, {cohort}, og har bede deg stadfeste at eininga di deltek. Søknaden kan ikkje sendast før alle har svart, og søknadsfristen er {deadline}.

Vi ventar framleis på svar frå:
{waiting}

Lenka til å svare står i e-posten med førespurnaden. Er lenka gått ut eller borte, kan kontaktpersonen for søknaden sende ei ny.

Spørsmål kan sendast til {office} på {office_email}.""",
    ),
}


def install(reminder_template_model):
    """Create the default texts that are missing; keep edited ones. Takes the model as an
    argument so that the data migration can pass its historical one."""
    for (kind, language), (subject, body) in DEFAULTS.items():
        reminder_template_model.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )
