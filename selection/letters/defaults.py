"""The default texts of every letter in bokmål and nynorsk, loaded by a data migration and
edited afterwards in Django admin. Paragraphs are separated by blank lines."""

DEFAULTS = {
    ("invitation", "nb"): (
        "Invitasjon til å søke om deltakelse i Læringsmiljøprosjektet, {cohort}",
        """{office} inviterer {municipality} kommune til å søke om å delta i Udirs Læringsmiljøprosjekt, {cohort}.

Læringsmiljøprosjektet er et tilbud om veiledning til kommuner, barnehager og skoler som over tid har hatt høy forekomst av mobbing, eller som har andre utfordringer med læringsmiljøet. Målet er et trygt og godt barnehage- og skolemiljø for alle barn og elever. Veilederkorpset til Udir følger deltakerne gjennom {semesters} semestre, sammen med {office}.

Å delta betyr at kommunen som skoleeier og barnehagemyndighet, de private barnehageeierne, PP-tjenesten og lederne ved hver deltakende skole og barnehage forplikter seg til å delta i hele perioden og å prioritere arbeidet. Oppstartssamlingen er {kickoff_date}, formell oppstart er {start_date}, og prosjektet avsluttes {end_date}.

Søknadene blir vurdert etter disse seks kriteriene:
{criteria}

Søknaden sendes i tjenesten Læringsmiljø: {service_url}. Søknadsfristen er {deadline}.

Spørsmål om invitasjonen kan sendes til {office} på {office_email}.""",
    ),
    ("invitation", "nn"): (
        "Invitasjon til å søkje om deltaking i Læringsmiljøprosjektet, {cohort}",
        """{office} inviterer {municipality} kommune til å søkje om å delta i Læringsmiljøprosjektet til Udir, {cohort}.

Læringsmiljøprosjektet er eit tilbod om rettleiing til kommunar, barnehagar og skular som over tid har hatt høg førekomst av mobbing, eller som har andre utfordringar med læringsmiljøet. Målet er eit trygt og godt barnehage- og skulemiljø for alle born og elevar. Rettleiarkorpset til Udir følgjer deltakarane gjennom {semesters} semester, saman med {office}.

Å delta tyder at kommunen som skuleeigar og barnehagemynde, dei private barnehageeigarane, PP-tenesta og leiarane ved kvar deltakande skule og barnehage forpliktar seg til å delta i heile perioden og til å prioritere arbeidet. Oppstartssamlinga er {kickoff_date}, formell oppstart er {start_date}, og prosjektet vert avslutta {end_date}.

Søknadene vert vurderte etter desse seks kriteria:
{criteria}

Søknaden vert send i tenesta Læringsmiljø: {service_url}. Søknadsfristen er {deadline}.

Spørsmål om invitasjonen kan sendast til {office} på {office_email}.""",
    ),
    ("receipt", "nb"): (
        "Kvittering for søknad til Læringsmiljøprosjektet, {cohort}",
        """Vi har mottatt søknaden fra {municipality} kommune til Læringsmiljøprosjektet, {cohort}. Søknaden ble sendt {submitted_at} og har referansenummer {reference}.

Deltakende skoler: {schools}

Deltakende barnehager: {kindergartens}

PP-tjeneste: {ppt}

{office} vurderer søknaden etter søknadsfristen og sender sin innstilling til Udir. Udir gjør det endelige utvalget, og kommunen får vedtaket i et eget brev.

Oppgi referansenummeret når dere kontakter oss om søknaden.""",
    ),
    ("receipt", "nn"): (
        "Kvittering for søknad til Læringsmiljøprosjektet, {cohort}",
        """Vi har motteke søknaden frå {municipality} kommune til Læringsmiljøprosjektet, {cohort}. Søknaden vart send {submitted_at} og har referansenummer {reference}.

Deltakande skular: {schools}

Deltakande barnehagar: {kindergartens}

PP-teneste: {ppt}

{office} vurderer søknaden etter søknadsfristen og sender innstillinga si til Udir. Udir gjer det endelege utvalet, og kommunen får vedtaket i eit eige brev.

Oppgje referansenummeret når de kontaktar oss om søknaden.""",
    ),
    ("decision_selected", "nb"): (
        "Vedtak: {municipality} kommune er tatt opp i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra {office}, og {decided} at {municipality} kommune er tatt opp i Læringsmiljøprosjektet, {cohort}.

Begrunnelse: {reason}

Oppstartssamlingen er {kickoff_date}, og formell oppstart er {start_date}. Veilederkorpset tar kontakt med kommunen før oppstart. Prosjektet varer i {semesters} semestre og avsluttes {end_date}.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettes til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_selected", "nn"): (
        "Vedtak: {municipality} kommune er teken opp i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå {office}, og {decided} at {municipality} kommune er teken opp i Læringsmiljøprosjektet, {cohort}.

Grunngjeving: {reason}

Oppstartssamlinga er {kickoff_date}, og formell oppstart er {start_date}. Rettleiarkorpset tek kontakt med kommunen før oppstart. Prosjektet varer i {semesters} semester og vert avslutta {end_date}.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettast til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_reserve", "nb"): (
        "Vedtak: {municipality} kommune står på reservelisten i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra {office}. {municipality} kommune har ikke fått plass nå, men står på reservelisten for {cohort}.

Begrunnelse: {reason}

Blir en plass ledig før formell oppstart {start_date}, tar {office} kontakt med kommunen.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettes til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_reserve", "nn"): (
        "Vedtak: {municipality} kommune står på reservelista i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå {office}. {municipality} kommune har ikkje fått plass no, men står på reservelista for {cohort}.

Grunngjeving: {reason}

Vert ein plass ledig før formell oppstart {start_date}, tek {office} kontakt med kommunen.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettast til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_not_selected", "nb"): (
        "Vedtak: {municipality} kommune har ikke fått plass i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra {office}. Det var flere søkere enn plasser, og {municipality} kommune har ikke fått plass i {cohort}.

Begrunnelse: {reason}

Kommunen kan søke igjen når en ny pulje lyses ut. {office} kan også gi råd om annen støtte i arbeidet med læringsmiljøet.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettes til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_not_selected", "nn"): (
        "Vedtak: {municipality} kommune har ikkje fått plass i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå {office}. Det var fleire søkjarar enn plassar, og {municipality} kommune har ikkje fått plass i {cohort}.

Grunngjeving: {reason}

Kommunen kan søkje igjen når ei ny pulje vert lyst ut. {office} kan òg gje råd om anna støtte i arbeidet med læringsmiljøet.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettast til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_promoted", "nb"): (
        "Vedtak: {municipality} kommune er tatt opp fra reservelisten i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet {decided} at {municipality} kommune er tatt opp fra reservelisten og har fått plass i Læringsmiljøprosjektet, {cohort}.

Begrunnelse: {reason}

Kommunen må bekrefte plassen i tjenesten Læringsmiljø innen {answer_deadline} og oppgi kontaktpersonen sin i veiledningsperioden. Formell oppstart er {start_date}. Prosjektet varer i {semesters} semestre og avsluttes {end_date}.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettes til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("decision_promoted", "nn"): (
        "Vedtak: {municipality} kommune er teken opp frå reservelista i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet {decided} at {municipality} kommune er teken opp frå reservelista og har fått plass i Læringsmiljøprosjektet, {cohort}.

Grunngjeving: {reason}

Kommunen må stadfeste plassen i tenesta Læringsmiljø innan {answer_deadline} og oppgje kontaktpersonen sin i rettleiingsperioden. Formell oppstart er {start_date}. Prosjektet varer i {semesters} semester og vert avslutta {end_date}.

Saksnummeret er {reference}. Spørsmål om {decision} kan rettast til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.""",
    ),
    ("answer_reminder", "nb"): (
        "Påminnelse: {municipality} kommune må svare på plassen i Læringsmiljøprosjektet innen {answer_deadline}",
        """{municipality} kommune har fått plass i Læringsmiljøprosjektet, {cohort}, men har ikke svart ennå.

Bekreft plassen og oppgi kontaktpersonen i veiledningsperioden, eller takk nei, i tjenesten Læringsmiljø innen {answer_deadline}: {service_url}. Svarer ikke kommunen innen fristen, kan plassen gå til neste kommune på reservelisten.

Søknadens referansenummer er {reference}. Spørsmål kan rettes til {office} på {office_email}.""",
    ),
    ("answer_reminder", "nn"): (
        "Påminning: {municipality} kommune må svare på plassen i Læringsmiljøprosjektet innan {answer_deadline}",
        """{municipality} kommune har fått plass i Læringsmiljøprosjektet, {cohort}, men har ikkje svart enno.

Stadfest plassen og oppgje kontaktpersonen i rettleiingsperioden, eller takk nei, i tenesta Læringsmiljø innan {answer_deadline}: {service_url}. Svarar ikkje kommunen innan fristen, kan plassen gå til neste kommune på reservelista.

Referansenummeret til søknaden er {reference}. Spørsmål kan rettast til {office} på {office_email}.""",
    ),
    ("withdrawal", "nb"): (
        "Bekreftelse: {municipality} kommune deltar ikke i Læringsmiljøprosjektet, {cohort}",
        """Vi bekrefter at {municipality} kommune ikke deltar i Læringsmiljøprosjektet, {cohort}: {leaving} {left_on}.

Registrert begrunnelse: {reason}

Plassen kan gå til neste kommune på reservelisten til {office}, som har fått beskjed.

Søknadens referansenummer er {reference}. Spørsmål kan rettes til {office} på {office_email}.""",
    ),
    ("withdrawal", "nn"): (
        "Stadfesting: {municipality} kommune deltek ikkje i Læringsmiljøprosjektet, {cohort}",
        """Vi stadfestar at {municipality} kommune ikkje deltek i Læringsmiljøprosjektet, {cohort}: {leaving} {left_on}.

Registrert grunngjeving: {reason}

Plassen kan gå til neste kommune på reservelista til {office}, som har fått melding.

Referansenummeret til søknaden er {reference}. Spørsmål kan rettast til {office} på {office_email}.""",
    ),
    ("reserve_closed", "nb"): (
        "{municipality} kommune: plassen i Læringsmiljøprosjektet, {cohort}, ble ikke ledig",
        """{municipality} kommune stod på reservelisten for Læringsmiljøprosjektet, {cohort}. Formell oppstart var {start_date}, og plassen ble ikke ledig før det. Reservelisten er dermed avsluttet, og kommunen får ikke plass i denne puljen.

Kommunen kan søke igjen når en ny pulje lyses ut. {office} kan også gi råd om annen støtte i arbeidet med læringsmiljøet.

Søknadens referansenummer er {reference}. Spørsmål kan rettes til {office} på {office_email}.""",
    ),
    ("reserve_closed", "nn"): (
        "{municipality} kommune: plassen i Læringsmiljøprosjektet, {cohort}, vart ikkje ledig",
        """{municipality} kommune stod på reservelista for Læringsmiljøprosjektet, {cohort}. Formell oppstart var {start_date}, og plassen vart ikkje ledig før det. Reservelista er dermed avslutta, og kommunen får ikkje plass i denne puljen.

Kommunen kan søkje igjen når ei ny pulje vert lyst ut. {office} kan òg gje råd om anna støtte i arbeidet med læringsmiljøet.

Referansenummeret til søknaden er {reference}. Spørsmål kan rettast til {office} på {office_email}.""",
    ),
}


# The sections every decision letter ends with, the same for each kind unless edited in admin.
APPEAL = {
    "nb": """Dette er et enkeltvedtak etter forvaltningsloven § 2, og dere kan klage på det (forvaltningsloven § 28). Klagefristen er tre uker fra den dagen dere mottok dette brevet (forvaltningsloven § 29). Brevet er datert og sendt på e-post {letter_date} og regnes som mottatt samme dag, så klagen må sendes senest {appeal_deadline}. Faller fristens siste dag på en lørdag, søndag eller helligdag, er fristen flyttet til neste virkedag.

Klagen sendes til {sender}, {sender_address}, eller på e-post til {sender_email}. Merk klagen med saksnummeret {reference}. Klagen skal være skriftlig og undertegnet, og den skal si hvilket vedtak dere klager på, hvilken endring dere ønsker og hvorfor (forvaltningsloven § 32). Endrer vi ikke vedtaket, sender vi klagen til {appeal_body}, som avgjør den.

Dere har rett til å se dokumentene i saken, med de unntakene som følger av forvaltningsloven §§ 18 og 19. Ta kontakt med saksbehandleren, {case_officer}, på {case_officer_email} hvis dere vil se dem.""",
    "nn": """Dette er eit enkeltvedtak etter forvaltningslova § 2, og de kan klage på det (forvaltningslova § 28). Klagefristen er tre veker frå den dagen de fekk dette brevet (forvaltningslova § 29). Brevet er datert og sendt på e-post {letter_date} og blir rekna som motteke same dagen, så klaga må sendast seinast {appeal_deadline}. Fell den siste dagen i fristen på ein laurdag, søndag eller heilagdag, er fristen flytta til neste yrkedag.

Klaga skal sendast til {sender}, {sender_address}, eller på e-post til {sender_email}. Merk klaga med saksnummeret {reference}. Klaga skal vere skriftleg og underteikna, og ho skal seie kva vedtak de klagar på, kva endring de ønskjer, og kvifor (forvaltningslova § 32). Endrar vi ikkje vedtaket, sender vi klaga til {appeal_body}, som avgjer ho.

De har rett til å sjå dokumenta i saka, med dei unntaka som følgjer av forvaltningslova §§ 18 og 19. Ta kontakt med saksbehandlaren, {case_officer}, på {case_officer_email} dersom de vil sjå dei.""",
}
NO_APPEAL = {
    "nb": """Resultatet er ikke et enkeltvedtak etter forvaltningsloven § 2, og det kan derfor ikke påklages. Læringsmiljøprosjektet er et frivillig tilbud om veiledning fra Utdanningsdirektoratet, og utvalget av deltakere avgjør ikke rettigheter eller plikter for kommunen.

Dere kan likevel be saksbehandleren, {case_officer}, om en nærmere forklaring på resultatet på {case_officer_email}, og dere kan be om innsyn i dokumentene i saken etter offentleglova. Merk henvendelsen med saksnummeret {reference}.""",
    "nn": """Resultatet er ikkje eit enkeltvedtak etter forvaltningslova § 2, og det kan difor ikkje klagast på. Læringsmiljøprosjektet er eit frivillig tilbod om rettleiing frå Utdanningsdirektoratet, og utvalet av deltakarar avgjer ikkje rettar eller plikter for kommunen.

De kan likevel be saksbehandlaren, {case_officer}, om ei nærare forklaring på resultatet på {case_officer_email}, og de kan be om innsyn i dokumenta i saka etter offentleglova. Merk førespurnaden med saksnummeret {reference}.""",
}
NOTICE_SUBJECTS = {
    (
        "decision_selected",
        "nb",
    ): "Melding om resultat: {municipality} kommune er tatt opp i Læringsmiljøprosjektet, {cohort}",
    (
        "decision_selected",
        "nn",
    ): "Melding om resultat: {municipality} kommune er teken opp i Læringsmiljøprosjektet, {cohort}",
    (
        "decision_reserve",
        "nb",
    ): "Melding om resultat: {municipality} kommune står på reservelisten i Læringsmiljøprosjektet, {cohort}",
    (
        "decision_reserve",
        "nn",
    ): "Melding om resultat: {municipality} kommune står på reservelista i Læringsmiljøprosjektet, {cohort}",
    (
        "decision_not_selected",
        "nb",
    ): "Melding om resultat: {municipality} kommune har ikke fått plass i Læringsmiljøprosjektet, {cohort}",
    (
        "decision_not_selected",
        "nn",
    ): "Melding om resultat: {municipality} kommune har ikkje fått plass i Læringsmiljøprosjektet, {cohort}",
}
# Sentences of the first default texts that said "Statsforvalteren" whatever the year and sent
# questions about Udir's decisions to the office; a text still holding one gets the new one.
REWORDINGS = [
    (
        "Veilederkorpset til Udir og Statsforvalteren følger deltakerne gjennom {semesters} semestre.",
        "Veilederkorpset til Udir følger deltakerne gjennom {semesters} semestre, sammen med {office}.",
    ),
    (
        "Rettleiarkorpset til Udir og Statsforvaltaren følgjer deltakarane gjennom {semesters} semester.",
        "Rettleiarkorpset til Udir følgjer deltakarane gjennom {semesters} semester, saman med {office}.",
    ),
    ("innstillingene fra Statsforvalteren", "innstillingene fra {office}"),
    ("innstillingane frå Statsforvaltaren", "innstillingane frå {office}"),
    (
        "Søknadens referansenummer er {reference}. Spørsmål om vedtaket kan rettes til {office} på {office_email}.",
        "Saksnummeret er {reference}. Spørsmål om vedtaket kan rettes til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.",
    ),
    (
        "Referansenummeret til søknaden er {reference}. Spørsmål om vedtaket kan rettast til {office} på {office_email}.",
        "Saksnummeret er {reference}. Spørsmål om vedtaket kan rettast til {case_officer} i Utdanningsdirektoratet på {case_officer_email}.",
    ),
    # A decision letter that is a notice of the result ("Melding om resultat") when the
    # cohort's decisions are not enkeltvedtak must not say that Udir "har vedtatt".
    ("har vedtatt at {municipality}", "{decided} at {municipality}"),
    ("har vedteke at {municipality}", "{decided} at {municipality}"),
    (
        "Spørsmål om vedtaket kan rettes til {case_officer}",
        "Spørsmål om {decision} kan rettes til {case_officer}",
    ),
    (
        "Spørsmål om vedtaket kan rettast til {case_officer}",
        "Spørsmål om {decision} kan rettast til {case_officer}",
    ),
]


def section_defaults(kind, language):
    """The default notice subject, appeal section and no-appeal section of a decision kind."""
    return {
        "notice_subject": NOTICE_SUBJECTS.get((kind, language), ""),
        "appeal_text": APPEAL[language],
        "no_appeal_text": NO_APPEAL[language],
    }


def install_sections(letter_template_model, decision_kinds):
    """Fill the decision texts' empty sections with the defaults and reword the old default
    sentences; keep what an administrator wrote."""
    for template in letter_template_model.objects.all():
        changed = False
        for old, new in REWORDINGS:
            if old in template.body:
                template.body = template.body.replace(old, new)
                changed = True
        if template.kind in decision_kinds:
            for field, value in section_defaults(template.kind, template.language).items():
                if not getattr(template, field):
                    setattr(template, field, value)
                    changed = True
        if changed:
            template.save()


def install(letter_template_model, sender_settings_model):
    """Create the default texts that are missing, and Udir's sender row; keep edited ones.
    Takes the models as arguments so that the data migration can pass its historical ones."""
    field_names = {f.name for f in letter_template_model._meta.get_fields()}
    for (kind, language), (subject, body) in DEFAULTS.items():
        defaults = {"subject": subject, "body": body}
        if "appeal_text" in field_names and kind.startswith("decision_"):
            defaults.update(section_defaults(kind, language))
        letter_template_model.objects.get_or_create(kind=kind, language=language, defaults=defaults)
    if not sender_settings_model.objects.exists():
        sender_settings_model.objects.create()
