"""The editable sections of an application: which forms each shows and how it saves them."""

from django.forms import CheckboxInput
from django.urls import reverse

from applications import commitments, forms
from applications.completeness import SECTIONS_BY_SLUG
from laeringsmiljo.models import OwnerKind


class Section:
    slug = ""
    template = ""
    # Sections with a row per chosen school or kindergarten: saving them needs the same choice
    # of units as when the page was opened.
    depends_on_units = False

    @property
    def meta(self):
        return SECTIONS_BY_SLUG[self.slug]

    def build(self, application, data=None, files=None):
        """The section's forms; the one named "form" carries the revision."""
        raise NotImplementedError

    def extra(self, application):
        """What the part's page shows besides its forms."""
        return {}

    def save(self, built, application):
        built["form"].save_to(application)
        for name, formset in built.items():
            if name != "form":
                formset.save()


class ContactSection(Section):
    slug = "kontakt"
    template = "applications/sections/contact.html"

    def build(self, application, data=None, files=None):
        return {
            "form": forms.ContactForm(data, instance=application, initial=_rev(application, self))
        }


class SchoolsSection(Section):
    slug = "skoler"
    template = "applications/sections/schools.html"

    def build(self, application, data=None, files=None):
        initial = {
            **_rev(application, self),
            "schools": [unit.school_id for unit in application.schools.all()],
        }
        return {"form": forms.SchoolsForm(data, application=application, initial=initial)}


class KindergartensSection(Section):
    depends_on_units = True
    slug = "barnehager"
    template = "applications/sections/kindergartens.html"

    def build(self, application, data=None, files=None):
        initial = {
            **_rev(application, self),
            "kindergartens": [unit.kindergarten_id for unit in application.kindergartens.all()],
        }
        return {
            "form": forms.KindergartensForm(data, application=application, initial=initial),
            "links": forms.KindergartenLinkFormSet(
                data,
                queryset=application.kindergartens.select_related("kindergarten").prefetch_related(
                    "feeds"
                ),
                schools=application.schools.select_related("school"),
                prefix="lenker",
            ),
        }

    def save(self, built, application):
        # Details first, for the kindergartens that stay; then the new selection.
        built["links"].save()
        built["form"].save_to(application)


class PPTSection(Section):
    slug = "ppt"
    template = "applications/sections/ppt.html"

    def build(self, application, data=None, files=None):
        return {"form": forms.PPTForm(data, instance=application, initial=_rev(application, self))}


class CommitmentsSection(Section):
    depends_on_units = True
    slug = "forpliktelser"
    template = "applications/sections/commitments.html"

    def build(self, application, data=None, files=None):
        kindergartens = application.kindergartens.select_related("kindergarten")
        has_public = any(k.kindergarten.owner_kind == OwnerKind.PUBLIC for k in kindergartens)
        return {
            "form": forms.CommitmentsForm(
                data,
                instance=application,
                initial=_rev(application, self),
                has_public_kindergartens=has_public,
            ),
            "school_leaders": forms.SchoolLeaderFormSet(
                data, queryset=application.schools.select_related("school"), prefix="skoleledere"
            ),
            "kindergarten_leaders": forms.KindergartenLeaderFormSet(
                data, queryset=kindergartens, prefix="barnehageledere"
            ),
        }

    def extra(self, application):
        """The status of each party's request, as saved now (four queries)."""
        schools = list(application.schools.select_related("school"))
        kindergartens = list(application.kindergartens.select_related("kindergarten"))
        rows = commitments.overview(application, schools, kindergartens)
        by_key = {row["party"].key: row for row in rows}
        return {
            "parties": rows,
            "party_status": {
                "school_owner": by_key.get((commitments.Kind.SCHOOL_OWNER, None, None)),
                "kindergarten_owner": by_key.get((commitments.Kind.KINDERGARTEN_OWNER, None, None)),
                "ppt": by_key.get((commitments.Kind.PPT, None, None)),
            },
            "to_request": any(
                row["commitment"] is None and row["party"].has_signatory for row in rows
            ),
        }


class MotivationSection(Section):
    depends_on_units = True
    slug = "motivasjon"
    template = "applications/sections/motivation.html"

    def build(self, application, data=None, files=None):
        return {
            "form": forms.MotivationForm(
                data, instance=application, initial=_rev(application, self)
            ),
            "school_motivations": forms.SchoolMotivationFormSet(
                data, queryset=application.schools.select_related("school"), prefix="skoler"
            ),
            "kindergarten_motivations": forms.KindergartenMotivationFormSet(
                data,
                queryset=application.kindergartens.select_related("kindergarten"),
                prefix="barnehager",
            ),
        }


def carry_over(section, application, data):
    """The posted data of a part, fitted to the rows it has now: what was typed for a school or
    kindergarten still in the application is kept, the row of one taken out meanwhile is left
    out, and one added meanwhile shows what is saved for it. Saving the page shown then saves
    exactly the application's own rows."""
    data = data.copy()
    for name, formset in section.build(application).items():
        if name == "form":
            continue
        prefix = formset.prefix
        try:
            posted_count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), len(formset.forms) + 50)
        except ValueError:
            posted_count = 0
        posted = {data.get(f"{prefix}-{index}-id"): index for index in range(posted_count)}
        old = {key: data.getlist(key) for key in data if key.startswith(f"{prefix}-")}
        for key in old:
            del data[key]
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.forms))
        for index, form in enumerate(formset.forms):
            typed = posted.get(str(form.instance.pk))
            for field in form:
                key = f"{prefix}-{index}-{field.name}"
                if field.name == formset.model._meta.pk.name:
                    data[key] = str(form.instance.pk)
                elif typed is not None:
                    data.setlist(key, old.get(f"{prefix}-{typed}-{field.name}", []))
                else:
                    data.setlist(key, _shown_values(field))
    return data


def _shown_values(field):
    """What the page posts for an unbound field as it is shown."""
    value = field.value()
    if isinstance(field.field.widget, CheckboxInput):
        return ["on"] if value else []
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    return [] if value is None else [str(value)]


def units_token(application):
    """The revisions of the schools and the kindergartens sections, as one value."""
    return f"{application.revisions.get('skoler', 0)}.{application.revisions.get('barnehager', 0)}"


def _rev(application, section):
    return {
        "revision": application.revisions.get(section.slug, 0),
        "units": units_token(application),
    }


EDITABLE = {
    section.slug: section
    for section in [
        ContactSection(),
        SchoolsSection(),
        KindergartensSection(),
        PPTSection(),
        CommitmentsSection(),
        MotivationSection(),
    ]
}


def section_url(application, slug):
    """Where the municipality does a part of the application: its form, or the attachments."""
    if slug in EDITABLE:
        return reverse("applications:section", args=[application.pk, slug])
    return reverse("applications:attachments", args=[application.pk])
