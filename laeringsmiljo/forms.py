from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.forms import RadioSelect
from django.utils.translation import gettext_lazy as _

# What a hidden field says when it is missing or wrong: the page that was posted is not one
# the service made.
PAGE_DAMAGED = _(
    "Skjemaet mangler noe som siden selv fyller inn. Last inn siden på nytt og prøv igjen."
)


def hidden_number(**kwargs):
    """A hidden whole number the page carries, such as the revision it was opened with."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": PAGE_DAMAGED,
            "invalid": PAGE_DAMAGED,
            "min_value": PAGE_DAMAGED,
        },
        **kwargs,
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Brukernavnet eller passordet er feil. Merk at det skilles mellom store og små bokstaver."
        ),
        "inactive": _("Denne brukeren er deaktivert."),
    }


def error_anchor(field):
    """The id in the page that the error summary links to for a bound field: the first of a
    group of checkboxes or radio buttons, nothing for a hidden field."""
    widget = field.field.widget
    if widget.is_hidden:
        return ""
    if isinstance(widget, RadioSelect):  # CheckboxSelectMultiple is one too
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def error_summary(*forms, label_of=None):
    """(anchor, label, message) for every error of the forms and formsets, for the summary at
    the top of the page (templates/_error_summary.html). Each form of a formset is named by
    label_of(form), before the field's label."""
    errors = []

    def from_form(form, prefix="", in_formset=False):
        for message in form.non_field_errors():
            errors.append(("", prefix, message))
        for name, messages in form.errors.items():
            if name == "__all__":
                continue
            field = form[name]
            if in_formset and field.is_hidden:
                # The row's id: the formset's own error says what is wrong with the row.
                continue
            anchor = error_anchor(field)
            label = f"{prefix}{field.label}" if field.label and anchor else prefix
            errors.extend((anchor, label, message) for message in messages)

    for item in forms:
        if item is None:
            continue
        if hasattr(item, "forms"):
            errors.extend(("", "", message) for message in item.non_form_errors())
            for form in item.forms:
                from_form(form, f"{label_of(form)}: " if label_of else "", in_formset=True)
        else:
            from_form(item)
    return errors


def carry_revision(form, revision):
    """A form refused as stale keeps what was typed and now carries the revision saved now:
    saving it again keeps this user's version, on purpose."""
    form.data = form.data.copy()
    form.data["revision"] = revision


def add_service_errors(form, error):
    """Show a service's ValidationError on the form, on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PasswordResetRequestForm(PasswordResetForm):
    """«Glemt passordet?» without a lookup in the request: saving queues a task that looks the
    address up and sends, so that every address gets the same answer in the same time."""

    queued = False

    def save(self, **kwargs):
        from laeringsmiljo.tasks import queue_password_reset

        self.queued = True

        def away(error):
            self.queued = False

        queue_password_reset(self.cleaned_data["email"], when_away=away)
