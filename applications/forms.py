"""The forms of the application's sections. Each section form saves through save_to(application)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from laeringsmiljo.fields import ModelMultipleIdChoiceField
from laeringsmiljo.models import Kindergarten, OwnerKind, PPTService, School
from laeringsmiljo.validators import TypedTextMixin, limit_text

REQUIRED_LATER = _("Kan lagres tomt nå, men må fylles ut før søknaden sendes.")


# The most a case officer is asked to read in each free text of an application, in characters.
TEXT_LIMITS = {
    "postal_address": 300,
    "motivation_why": 4000,
    "motivation_goals": 4000,
    "motivation_priority": 4000,
    # One school's or kindergarten's own short text.
    "motivation": 1500,
    "challenges": 1500,
}


class ApplicationTextMixin(TypedTextMixin):
    """The text fields of an application's forms refuse control characters and keep to the
    limits above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in TEXT_LIMITS.items():
            if name in self.fields:
                limit_text(self.fields[name], limit)
        for field in self.fields.values():
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = _(
                    "Skriv en gyldig e-postadresse, som navn@kommune.no."
                )


PAGE_DAMAGED = _(
    "Skjemaet mangler noe som siden selv fyller inn. Last inn siden på nytt og prøv igjen."
)


class RevisionMixin(ApplicationTextMixin, forms.Form):
    """Carries the revision of the section the user opened, to catch concurrent edits. Its text
    fields refuse control characters, naming the field."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": PAGE_DAMAGED,
            "invalid": PAGE_DAMAGED,
            "min_value": PAGE_DAMAGED,
        },
    )
    # The revisions of the schools and kindergartens chosen when the page was opened, for the
    # sections whose rows are those units.
    units = forms.CharField(widget=forms.HiddenInput, required=False)


class ContactForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "postal_address",
        ]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"contact_phone": _("For eksempel 22 33 44 55 eller +47 22 33 44 55.")}
        error_messages = {
            "contact_email": {"invalid": _("Skriv en gyldig e-postadresse, som navn@kommune.no.")}
        }

    def clean_contact_phone(self):
        return " ".join(self.cleaned_data["contact_phone"].split())

    def save_to(self, application):
        for field in self.Meta.fields:
            setattr(application, field, self.cleaned_data[field])
        application.save()


class UnitChoiceField(ModelMultipleIdChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SchoolsForm(RevisionMixin):
    schools = UnitChoiceField(
        label=_("Deltakende skoler"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Skolen med id %(value)s finnes ikke blant kommunens skoler."),
            "invalid_pk_value": _("«%(pk)s» er ikke en gyldig skole."),
        },
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["schools"].queryset = School.objects.filter(
            municipality=application.municipality, active=True
        ).order_by("name")

    def save_to(self, application):
        chosen = set(self.cleaned_data["schools"])
        existing = {unit.school: unit for unit in application.schools.select_related("school")}
        for school, unit in existing.items():
            if school not in chosen:
                unit.delete()
        ApplicationSchool.objects.bulk_create(
            ApplicationSchool(application=application, school=school)
            for school in sorted(chosen - set(existing), key=lambda s: s.name)
        )


class KindergartensForm(RevisionMixin):
    kindergartens = UnitChoiceField(
        label=_("Deltakende barnehager"),
        queryset=Kindergarten.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Barnehagen med id %(value)s finnes ikke blant kommunens barnehager."
            ),
            "invalid_pk_value": _("«%(pk)s» er ikke en gyldig barnehage."),
        },
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["kindergartens"].queryset = Kindergarten.objects.filter(
            municipality=application.municipality, active=True
        ).order_by("name")

    def save_to(self, application):
        chosen = set(self.cleaned_data["kindergartens"])
        existing = {
            unit.kindergarten: unit
            for unit in application.kindergartens.select_related("kindergarten")
        }
        for kindergarten, unit in existing.items():
            if kindergarten not in chosen:
                unit.delete()
        ApplicationKindergarten.objects.bulk_create(
            ApplicationKindergarten(application=application, kindergarten=kindergarten)
            for kindergarten in sorted(chosen - set(existing), key=lambda k: k.name)
        )


class KindergartenLinkForm(ApplicationTextMixin, forms.ModelForm):
    """For one participating kindergarten: the participating schools it sends children to, or
    its known challenges."""

    class Meta:
        model = ApplicationKindergarten
        fields = ["feeds", "challenges"]
        field_classes = {"feeds": ModelMultipleIdChoiceField}
        widgets = {
            "feeds": forms.CheckboxSelectMultiple,
            "challenges": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"feeds": _("Sender barn til"), "challenges": _("Kjente utfordringer")}
        help_texts = {
            "challenges": _(
                "Beskriv utfordringene om barnehagen ikke sender barn til en deltakende skole."
            )
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feeds"].queryset = schools
        self.fields["feeds"].label_from_instance = lambda unit: unit.school.name
        self.fields["feeds"].error_messages["invalid_choice"] = _(
            "Skolen med id %(value)s er ikke blant søknadens deltakende skoler."
        )


class UnitRowFormSet(forms.BaseModelFormSet):
    """The rows of the application's own schools or kindergartens, edited in place. A model
    formset skips a row it cannot match to one of them without a word (a hand-edited id of
    another application's row, a row added to the count); here such a row, or the same row
    twice, refuses the whole part, so that nothing is saved."""

    def total_form_count(self):
        # One form past the rows is enough to refuse a count raised by hand; building the up
        # to two thousand a forged count asks for would only cost time and a huge page.
        return min(super().total_form_count(), len(self.get_queryset()) + 1)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            pk = form.instance.pk
            if pk is None or pk in seen:
                raise forms.ValidationError(
                    _(
                        "Skjemaet har en rad som ikke hører til skolene eller barnehagene i denne "
                        "søknaden, så ingenting er lagret. Last inn siden på nytt og prøv igjen."
                    ),
                    code="foreign_row",
                )
            seen.add(pk)


class BaseKindergartenLinkFormSet(UnitRowFormSet):
    def __init__(self, *args, schools, **kwargs):
        self.schools = schools
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "schools": self.schools}


KindergartenLinkFormSet = forms.modelformset_factory(
    ApplicationKindergarten,
    form=KindergartenLinkForm,
    formset=BaseKindergartenLinkFormSet,
    extra=0,
    can_delete=False,
    edit_only=True,
)


class PPTForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["ppt_service", "ppt_contact_name", "ppt_contact_email", "ppt_contact_phone"]
        labels = {"ppt_service": _("PP-tjenesten som tjener kommunen")}
        error_messages = {
            "ppt_service": {"invalid_choice": _("Velg en PP-tjeneste fra listen.")},
            "ppt_contact_email": {
                "invalid": _("Skriv en gyldig e-postadresse, som navn@kommune.no.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serving = PPTService.objects.filter(municipalities=self.instance.municipality)
        self.fields["ppt_service"].queryset = (
            serving if serving.exists() else PPTService.objects.all()
        )
        self.fields["ppt_service"].empty_label = _("Velg PP-tjeneste")

    def clean_ppt_contact_phone(self):
        return " ".join(self.cleaned_data["ppt_contact_phone"].split())

    def save_to(self, application):
        for field in self.Meta.fields:
            setattr(application, field, self.cleaned_data[field])
        application.save()


class CommitmentsForm(RevisionMixin, forms.ModelForm):
    """Who commits for the school owner, the municipality as kindergarten owner and PPT; each
    confirms by a link of their own."""

    class Meta:
        model = Application
        fields = [
            "school_owner_name",
            "school_owner_role",
            "school_owner_email",
            "kindergarten_owner_name",
            "kindergarten_owner_role",
            "kindergarten_owner_email",
            "ppt_leader_name",
            "ppt_leader_role",
            "ppt_leader_email",
        ]
        labels = {
            "school_owner_email": _("E-post (her kommer lenken for å bekrefte)"),
            "kindergarten_owner_email": _("E-post (her kommer lenken for å bekrefte)"),
            "ppt_leader_email": _("E-post (her kommer lenken for å bekrefte)"),
        }

    def __init__(self, *args, has_public_kindergartens, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_public_kindergartens:
            for name in [
                "kindergarten_owner_name",
                "kindergarten_owner_role",
                "kindergarten_owner_email",
            ]:
                del self.fields[name]

    def save_to(self, application):
        for field in self.fields:
            if field != "revision":
                setattr(application, field, self.cleaned_data[field])
        application.save()


class SchoolLeaderForm(ApplicationTextMixin, forms.ModelForm):
    class Meta:
        model = ApplicationSchool
        fields = ["leader_name", "leader_role", "leader_email"]
        labels = {"leader_name": _("Rektors navn")}


class KindergartenLeaderForm(ApplicationTextMixin, forms.ModelForm):
    class Meta:
        model = ApplicationKindergarten
        fields = [
            "leader_name",
            "leader_role",
            "leader_email",
            "owner_contact_name",
            "owner_contact_role",
            "owner_contact_email",
        ]
        labels = {
            "leader_name": _("Styrers navn"),
            "owner_contact_name": _("Navn på eiers representant"),
            "owner_contact_role": _("Eiers representant, stilling"),
            "owner_contact_email": _("Eiers representant, e-post"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kindergarten = getattr(
            self.instance, "kindergarten", None
        )  # None: a unit removed meanwhile
        if kindergarten is None or kindergarten.owner_kind != OwnerKind.PRIVATE:
            for name in ["owner_contact_name", "owner_contact_role", "owner_contact_email"]:
                del self.fields[name]


SchoolLeaderFormSet = forms.modelformset_factory(
    ApplicationSchool, form=SchoolLeaderForm, formset=UnitRowFormSet, extra=0, edit_only=True
)
KindergartenLeaderFormSet = forms.modelformset_factory(
    ApplicationKindergarten,
    form=KindergartenLeaderForm,
    formset=UnitRowFormSet,
    extra=0,
    edit_only=True,
)


class MotivationForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["motivation_why", "motivation_goals", "motivation_priority"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def save_to(self, application):
        for field in self.Meta.fields:
            setattr(application, field, self.cleaned_data[field])
        application.save()


class SchoolMotivationForm(ApplicationTextMixin, forms.ModelForm):
    class Meta:
        model = ApplicationSchool
        fields = ["motivation", "challenges"]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 2}),
            "challenges": forms.Textarea(attrs={"rows": 2}),
        }


class KindergartenMotivationForm(ApplicationTextMixin, forms.ModelForm):
    class Meta:
        model = ApplicationKindergarten
        fields = ["motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 2})}


SchoolMotivationFormSet = forms.modelformset_factory(
    ApplicationSchool, form=SchoolMotivationForm, formset=UnitRowFormSet, extra=0, edit_only=True
)
KindergartenMotivationFormSet = forms.modelformset_factory(
    ApplicationKindergarten,
    form=KindergartenMotivationForm,
    formset=UnitRowFormSet,
    extra=0,
    edit_only=True,
)


class AttachmentForm(RevisionMixin):
    file = forms.FileField(
        label=_("PDF-fil"),
        help_text=_("Bare PDF, høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Velg en PDF-fil å laste opp.")},
    )
    description = forms.CharField(label=_("Beskrivelse"), max_length=255, required=False)


class ReopenForm(forms.Form):
    new_deadline = forms.DateField(
        label=_("Ny frist for kommunen"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )


def _norwegian(error):
    """Django's bokmål catalogue lacks the message of the minimum length validator."""
    if error.code == "password_too_short":
        return forms.ValidationError(
            _("Passordet er for kort. Det må ha minst %(min_length)d tegn."),
            code=error.code,
            params=error.params,
        )
    return error


class AccountForm(forms.Form):
    """A new account for the person who opens an access link."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), help_text=_("Du logger inn med e-postadressen."))
    password1 = forms.CharField(label=_("Passord"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Gjenta passordet"), widget=forms.PasswordInput, strip=False
    )

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if (
            users.filter(username__iexact=email).exists()
            or users.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("Det finnes allerede en bruker med denne e-postadressen. Logg inn i stedet."),
                code="taken",
            )
        return email

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Passordene er ikke like."))
        elif first:
            user = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", [_norwegian(e) for e in error.error_list])
        return cleaned


class OfficeQuestionForm(TypedTextMixin, forms.Form):
    """The office's question to the municipality, or a question asked again after another."""

    text = forms.CharField(
        label=_("Spørsmål til kommunen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follows = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": PAGE_DAMAGED,
            "min_value": PAGE_DAMAGED,
            "max_value": PAGE_DAMAGED,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["text"], 5000)


class OfficeAnswerForm(TypedTextMixin, forms.Form):
    """The municipality's answer to a question from the office."""

    text = forms.CharField(
        label=_("Svar til embetet"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["text"], 5000)


class IdentityAccountForm(AccountForm):
    """A new account for one who has signed in with ID-porten through an access link: the name
    and the address the service writes to, without a password."""

    email = forms.EmailField(
        label=_("E-post"), help_text=_("Tjenesten skriver til deg på denne adressen.")
    )
    password1 = None
    password2 = None


class DeclarationForm(forms.Form):
    """The declaration the contact person gives before sending the application."""

    bekreftet = forms.BooleanField(
        label=_("Opplysningene er riktige, og de som forplikter seg, har bekreftet"),
        error_messages={
            "required": _(
                "Kryss av for at opplysningene er riktige og de som forplikter seg, har "
                "bekreftet, før du sender inn."
            )
        },
    )
