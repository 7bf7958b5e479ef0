"""The default texts of every letter in bokmål and nynorsk, loaded by a data migration and
edited afterwards in Django admin. Paragraphs are separated by blank lines."""

DEFAULTS = {
    ("invitation", "nb"): (
        "Invitasjon til å søke om deltakelse i Læringsmiljøprosjektet, {cohort}",
        """{office} inviterer {municipality} kommune til å søke om å delta i Udirs Læringsmiljøprosjekt, {cohort}.

Læringsmiljøprosjektet er et tilbud om veiledning til kommuner, barnehager og skoler som over tid har hatt høy forekomst av mobbing, eller som har andre utfordringer med læringsmiljøet. Målet er et trygt og godt barnehage- og skolemiljø for alle barn og elever. Veilederkorpset til Udir og Statsforvalteren følger deltakerne gjennom {semesters} semestre.

Å delta betyr at kommunen som skoleeier og barnehagemyndighet, de private barnehageeierne, PP-tjenesten og lederne ved hver deltakende skole og barnehage forplikter seg til å delta i hele perioden og å prioritere arbeidet. Oppstartssamlingen er {kickoff_date}, formell oppstart er {start_date}, og prosjektet avsluttes {end_date}.

Søknadene blir vurdert etter disse seks kriteriene:
{criteria}

Søknaden sendes i tjenesten Læringsmiljø: {service_url}. Søknadsfristen er {deadline}.

Spørsmål om invitasjonen kan sendes til {office} på {office_email}.""",
    ),
    ("invitation", "nn"): (
        "Invitasjon til å søkje om deltaking i Læringsmiljøprosjektet, {cohort}",
        """{office} inviterer {municipality} kommune til å søkje om å delta i Læringsmiljøprosjektet til Udir, {cohort}.

Læringsmiljøprosjektet er eit tilbod om rettleiing til kommunar, barnehagar og skular som over tid har hatt høg førekomst av mobbing, eller som har andre utfordringar med læringsmiljøet. Målet er eit trygt og godt barnehage- og skulemiljø for alle born og elevar. Rettleiarkorpset til Udir og Statsforvaltaren følgjer deltakarane gjennom {semesters} semester.

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
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra Statsforvalteren, og har vedtatt at {municipality} kommune er tatt opp i Læringsmiljøprosjektet, {cohort}.

Begrunnelse: {reason}

Oppstartssamlingen er {kickoff_date}, og formell oppstart er {start_date}. Veilederkorpset tar kontakt med kommunen før oppstart. Prosjektet varer i {semesters} semestre og avsluttes {end_date}.

Søknadens referansenummer er {reference}. Spørsmål om vedtaket kan rettes til {office} på {office_email}.""",
    ),
    ("decision_selected", "nn"): (
        "Vedtak: {municipality} kommune er teken opp i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå Statsforvaltaren, og har vedteke at {municipality} kommune er teken opp i Læringsmiljøprosjektet, {cohort}.

Grunngjeving: {reason}

Oppstartssamlinga er {kickoff_date}, og formell oppstart er {start_date}. Rettleiarkorpset tek kontakt med kommunen før oppstart. Prosjektet varer i {semesters} semester og vert avslutta {end_date}.

Referansenummeret til søknaden er {reference}. Spørsmål om vedtaket kan rettast til {office} på {office_email}.""",
    ),
    ("decision_reserve", "nb"): (
        "Vedtak: {municipality} kommune står på reservelisten i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra Statsforvalteren. {municipality} kommune har ikke fått plass nå, men står på reservelisten for {cohort}.

Begrunnelse: {reason}

Blir en plass ledig før formell oppstart {start_date}, tar {office} kontakt med kommunen.

Søknadens referansenummer er {reference}. Spørsmål om vedtaket kan rettes til {office} på {office_email}.""",
    ),
    ("decision_reserve", "nn"): (
        "Vedtak: {municipality} kommune står på reservelista i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå Statsforvaltaren. {municipality} kommune har ikkje fått plass no, men står på reservelista for {cohort}.

Grunngjeving: {reason}

Vert ein plass ledig før formell oppstart {start_date}, tek {office} kontakt med kommunen.

Referansenummeret til søknaden er {reference}. Spørsmål om vedtaket kan rettast til {office} på {office_email}.""",
    ),
    ("decision_not_selected", "nb"): (
        "Vedtak: {municipality} kommune har ikke fått plass i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingene fra Statsforvalteren. Det var flere søkere enn plasser, og {municipality} kommune har ikke fått plass i {cohort}.

Begrunnelse: {reason}

Kommunen kan søke igjen når en ny pulje lyses ut. {office} kan også gi råd om annen støtte i arbeidet med læringsmiljøet.

Søknadens referansenummer er {reference}. Spørsmål om vedtaket kan rettes til {office} på {office_email}.""",
    ),
    ("decision_not_selected", "nn"): (
        "Vedtak: {municipality} kommune har ikkje fått plass i Læringsmiljøprosjektet, {cohort}",
        """Utdanningsdirektoratet har gått gjennom søknadene og innstillingane frå Statsforvaltaren. Det var fleire søkjarar enn plassar, og {municipality} kommune har ikkje fått plass i {cohort}.

Grunngjeving: {reason}

Kommunen kan søkje igjen når ei ny pulje vert lyst ut. {office} kan òg gje råd om anna støtte i arbeidet med læringsmiljøet.

Referansenummeret til søknaden er {reference}. Spørsmål om vedtaket kan rettast til {office} på {office_email}.""",
    ),
}


def install(letter_template_model, sender_settings_model):
    """Create the default texts that are missing, and Udir's sender row; keep edited ones.
    Takes the models as arguments so that the data migration can pass its historical ones."""
    for (kind, language), (subject, body) in DEFAULTS.items():
        letter_template_model.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )
    if not sender_settings_model.objects.exists():
        sender_settings_model.objects.create()
