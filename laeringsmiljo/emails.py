"""The service's e-mails that are not letters: their texts, edited per kind and målform in admin
(«E-posttekster») with their placeholders checked when saved, the default texts in bokmål and
nynorsk, and the one function that sends them."""

from django.core.mail import EmailMessage
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from laeringsmiljo.placeholders import fill

_LINK = {
    "days": _("hvor mange dager lenken gjelder"),
    "expires": _("datoen lenken gjelder til"),
    "url": _("den personlige lenken"),
}
_OFFICE = {
    "office": _("embetets navn"),
    "office_contact": _("embetets navn, med e-postadressen i parentes når den er kjent"),
}
PLACEHOLDERS = {
    "access": {
        "municipality": _("kommunens navn"),
        "cohort": _("puljens navn"),
        **_OFFICE,
        **_LINK,
    },
    "colleague": {
        "inviter": _("den som inviterer"),
        "municipality": _("kommunens navn"),
        "cohort": _("puljens navn"),
        **_OFFICE,
        **_LINK,
    },
    "commitment": {
        "name": _("den som skal bekrefte"),
        "municipality": _("kommunens navn"),
        "cohort": _("puljens navn"),
        "text": _("forpliktelsen for enheten, slik den som bekrefter ser den"),
        "contact": _(
            "kommunens kontaktperson for søknaden, med e-postadressen i parentes når den er kjent"
        ),
        **_LINK,
    },
    "receipt": {
        "municipality": _("kommunens navn"),
        "cohort": _("puljens navn"),
        "reference": _("søknadens referansenummer"),
        "submitted_at": _("tidspunktet søknaden ble sendt, med hvem som sendte den i parentes"),
        "contact": _("kontaktpersonens navn, e-post og telefon"),
        "schools": _("de deltakende skolene, én per linje"),
        "kindergartens": _("de deltakende barnehagene, én per linje"),
        "ppt": _("PP-tjenesten"),
        "attachments": _("vedleggene, ett per linje («ingen» når det ikke er noen)"),
        **_OFFICE,
        "service_url": _("adressen til tjenesten"),
    },
    "office_question": {
        "municipality": _("kommunens navn"),
        "cohort": _("puljens navn"),
        "reference": _("søknadens referansenummer"),
        "office": _("embetets navn"),
        "question": _("spørsmålet"),
        "url": _("adressen til søknaden, der kommunen svarer"),
    },
    "staff_invitation": {
        "name": _("den ansattes navn"),
        **_LINK,
    },
}

DEFAULTS = {
    ("access", "nb"): (
        "Tilgang til søknaden om Læringsmiljøprosjektet ({cohort})",
        """{office} har invitert {municipality} kommune til å søke om å delta i {cohort} av Læringsmiljøprosjektet.

Den som skal være kommunens kontaktperson for søknaden, åpner lenken under og logger inn eller lager en brukerkonto. Lenken er personlig, kan brukes én gang og gjelder i {days} dager (til {expires}).

{url}

Videresend e-posten til den som skal være kontaktperson. Er lenken brukt eller utløpt, kan embetet sende en ny.

Spørsmål kan sendes til {office_contact}.""",
    ),
    ("access", "nn"): (
        "Tilgang til søknaden om Læringsmiljøprosjektet ({cohort})",
        """{office} har invitert {municipality} kommune til å søkje om å delta i {cohort} av Læringsmiljøprosjektet.

Den som skal vere kontaktperson for søknaden i kommunen, opnar lenkja under og loggar inn eller lagar ein brukarkonto. Lenkja er personleg, kan brukast éin gong og gjeld i {days} dagar (til {expires}).

{url}

Send e-posten vidare til den som skal vere kontaktperson. Er lenkja brukt eller har gått ut, kan embetet sende ei ny.

Spørsmål kan sendast til {office_contact}.""",
    ),
    ("colleague", "nb"): (
        "Invitasjon til å skrive søknaden fra {municipality} om Læringsmiljøprosjektet ({cohort})",
        """{inviter} har invitert deg til å skrive søknaden fra {municipality} om å delta i {cohort} av Læringsmiljøprosjektet sammen med seg.

Åpne lenken under og logg inn eller lag en brukerkonto. Du kan da endre og lagre søknaden; det er kontaktpersonen som sender den inn. Lenken er personlig, kan brukes én gang og gjelder i {days} dager (til {expires}).

{url}

Spørsmål om prosjektet kan sendes til {office_contact}.""",
    ),
    ("colleague", "nn"): (
        "Invitasjon til å skrive søknaden frå {municipality} om Læringsmiljøprosjektet ({cohort})",
        """{inviter} har invitert deg til å skrive søknaden frå {municipality} om å delta i {cohort} av Læringsmiljøprosjektet saman med seg.

Opne lenkja under og logg inn eller lag ein brukarkonto. Du kan då endre og lagre søknaden; det er kontaktpersonen som sender han inn. Lenkja er personleg, kan brukast éin gong og gjeld i {days} dagar (til {expires}).

{url}

Spørsmål om prosjektet kan sendast til {office_contact}.""",
    ),
    ("commitment", "nb"): (
        "Bekreft deltakelsen i Læringsmiljøprosjektet ({cohort}) for {municipality}",
        """Hei, {name}. {municipality} kommune søker om å delta i {cohort} av Læringsmiljøprosjektet, og kommunen har oppgitt deg som den som bekrefter deltakelsen.

{text}

Åpne lenken under for å svare «Jeg bekrefter» eller «Vi kan ikke delta». Du trenger ingen brukerkonto. Lenken er personlig og gjelder i {days} dager (til {expires}).

{url}

Spørsmål om søknaden kan sendes til kommunens kontaktperson, {contact}.""",
    ),
    ("commitment", "nn"): (
        "Stadfest deltakinga i Læringsmiljøprosjektet ({cohort}) for {municipality}",
        """Hei, {name}. {municipality} kommune søkjer om å delta i {cohort} av Læringsmiljøprosjektet, og kommunen har oppgitt deg som den som stadfestar deltakinga.

{text}

Opne lenkja under for å svare «Eg stadfestar» eller «Vi kan ikkje delta». Du treng ingen brukarkonto. Lenkja er personleg og gjeld i {days} dagar (til {expires}).

{url}

Spørsmål om søknaden kan sendast til kontaktpersonen i kommunen, {contact}.""",
    ),
    ("receipt", "nb"): (
        "Kvittering for søknad til Læringsmiljøprosjektet ({reference})",
        """Vi har mottatt søknaden fra {municipality} kommune til {cohort} i Læringsmiljøprosjektet.

Referansenummer: {reference}
Sendt inn: {submitted_at}
Kontaktperson: {contact}

Deltakende skoler:
{schools}

Deltakende barnehager:
{kindergartens}

PP-tjeneste: {ppt}

Vedlegg:
{attachments}

{office} vurderer søknaden etter fristen. Du kan se søknaden og kvitteringen når du logger inn: {service_url}

Spørsmål om søknaden kan sendes til {office_contact}.""",
    ),
    ("receipt", "nn"): (
        "Kvittering for søknad til Læringsmiljøprosjektet ({reference})",
        """Vi har motteke søknaden frå {municipality} kommune til {cohort} i Læringsmiljøprosjektet.

Referansenummer: {reference}
Sendt inn: {submitted_at}
Kontaktperson: {contact}

Deltakande skular:
{schools}

Deltakande barnehagar:
{kindergartens}

PP-teneste: {ppt}

Vedlegg:
{attachments}

{office} vurderer søknaden etter fristen. Du kan sjå søknaden og kvitteringa når du loggar inn: {service_url}

Spørsmål om søknaden kan sendast til {office_contact}.""",
    ),
    ("office_question", "nb"): (
        "Spørsmål fra {office} om søknaden {reference}",
        """{office} har et spørsmål om søknaden fra {municipality} kommune til Læringsmiljøprosjektet, {cohort}:

{question}

Svar på søknadssiden i tjenesten. Søknaden er fortsatt sendt inn og blir ikke et utkast igjen.
{url}""",
    ),
    ("office_question", "nn"): (
        "Spørsmål frå {office} om søknaden {reference}",
        """{office} har eit spørsmål om søknaden frå {municipality} kommune til Læringsmiljøprosjektet, {cohort}:

{question}

Svar på søknadssida i tenesta. Søknaden er framleis send inn og blir ikkje eit utkast igjen.
{url}""",
    ),
    ("staff_invitation", "nb"): (
        "Logg inn i Læringsmiljøprosjektet som ansatt",
        """Hei, {name}.

Du er lagt inn som bruker i tjenesten for Læringsmiljøprosjektet. Åpne lenken under og velg «Logg inn som ansatt» for å logge inn med brukeren din hos arbeidsgiveren. Første gang knyttes den innloggingen til brukeren din her, og etter det logger du inn med den fra innloggingssiden.

{url}

Lenken er personlig, kan brukes én gang og gjelder i {days} dager (til {expires}). Har du ikke ventet denne e-posten, kan du se bort fra den.""",
    ),
    ("staff_invitation", "nn"): (
        "Logg inn i Læringsmiljøprosjektet som tilsett",
        """Hei, {name}.

Du er lagd inn som brukar i tenesta for Læringsmiljøprosjektet. Opna lenkja under og vel «Logg inn som tilsett» for å logge inn med brukaren din hos arbeidsgivaren. Første gongen blir den innlogginga knytt til brukaren din her, og etter det loggar du inn med ho frå innloggingssida.

{url}

Lenkja er personleg, kan brukast éin gong og gjeld i {days} dagar (til {expires}). Har du ikkje venta denne e-posten, kan du sjå bort frå han.""",
    ),
}


def install(email_template_model):
    """Create the default texts that are missing; keep edited ones. Takes the model as an
    argument so that the data migration can pass its historical one."""
    for (kind, language), (subject, body) in DEFAULTS.items():
        email_template_model.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


def text_of(kind, language):
    """(subject, body) of the kind's text in the language: the one edited in admin, or the
    default when none is stored."""
    from laeringsmiljo.models import EmailTemplate

    stored = EmailTemplate.objects.filter(kind=kind, language=language).first()
    return (stored.subject, stored.body) if stored else DEFAULTS[kind, language]


def day_of(moment):
    """A moment's day in Oslo as the e-mails write it: 14.12.2026."""
    return dateformat.format(timezone.localtime(moment), "j.n.Y")


def with_email(name, email):
    """«Name (e-mail)», or the name alone when there is no address."""
    return f"{name} ({email})" if email else name


def send_templated_email(kind, values, *, language, to, reply_to=None):
    """Send the e-mail of this kind in `language` (the recipient's written standard), its
    placeholders filled with `values`."""
    subject, body = text_of(kind, language)
    send_email(fill(subject, values), fill(body, values), to=to, reply_to=reply_to)


def send_email(subject, body, *, to, reply_to=None):
    """Send a text already written (its subject on one line)."""
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    ).send()
