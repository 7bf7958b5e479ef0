from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Brukernavnet eller passordet er feil. Merk at det skilles mellom store og små bokstaver."
        ),
        "inactive": _("Denne brukeren er deaktivert."),
    }


def error_summary(*forms_):
    """(anchor, label, message) for every error, for the summary at the top of the page."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name, messages in form.errors.items():
            if name == "__all__":
                errors.extend((None, None, message) for message in messages)
                continue
            field = form[name]
            errors.extend((field.id_for_label, field.label, message) for message in messages)
    return errors


def add_service_errors(form, error):
    """Show a service's ValidationError on the form, on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
