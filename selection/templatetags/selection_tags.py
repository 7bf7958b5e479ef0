import datetime

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from laeringsmiljo.links import link
from selection.evidence.models import format_school_year

register = template.Library()


@register.filter
def school_year(value):
    """2019 → «2019-20»."""
    if value in (None, ""):
        return ""
    return format_school_year(int(value))


@register.filter
def isodate(value):
    """A date stored as ISO text, as a date for the date filter."""
    if not value:
        return None
    return datetime.date.fromisoformat(value[:10])


@register.filter
def isodatetime(value):
    if not value:
        return None
    return datetime.datetime.fromisoformat(value)


@register.filter
def grade_label(value):
    """«» → alle trinn; «7» → 7. trinn."""
    if not value:
        return _("alle trinn")
    if value.isdigit():
        return _("%(grade)s. trinn") % {"grade": value}
    return value.upper()


@register.filter
def person(user):
    """A user's full name, or the username, or a dash when nobody is recorded."""
    if user is None:
        return "–"
    return user.get_full_name() or user.username


@register.simple_tag(takes_context=True)
def decision_form(context, row, cohort_pk, choices):
    """Udir's decision form for one row of the national page, as plain HTML built from parts
    made once per page: a page shows up to an office's whole ranking, and a template per row
    cost more than the rest of the page."""
    parts = context.render_context.get("decision_form")
    if parts is None:
        parts = context.render_context["decision_form"] = {
            "csrf": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                str(context.get("csrf_token", "")),
            ),
            "outcome": escape(_("Vedtak")),
            "reason": escape(_("Begrunnelse (kommer med i vedtaksbrevet)")),
            "deviation": escape(_("Begrunnelse for avvik (når det trengs)")),
            "save": escape(_("Lagre vedtak")),
            "options": [(escape(value), escape(label)) for value, label in choices],
        }
    pk = row["ranked"].application.pk
    decision, kept, proposed = row["decision"], row.get("kept"), row["proposed"]
    if kept:
        chosen, reason, deviation = (
            kept.get("outcome"),
            kept.get("reason"),
            kept.get("deviation_reason"),
        )
    else:
        chosen = decision.outcome if decision else (proposed.outcome if proposed else None)
        reason, deviation = row["letter_reason"], decision.deviation_reason if decision else ""
    options = "".join(
        f'<option value="{value}"{" selected" if value == chosen else ""}>{label}</option>'
        for value, label in parts["options"]
    )
    language = escape(row["letter_language"])
    # Every value in it is escaped above or here.
    return mark_safe(
        f'<form method="post" action="{link("selection:decide", cohort_pk, pk)}">'
        f"{parts['csrf']}"
        f'<input type="hidden" name="revision" value="{decision.revision if decision else 0}">'
        f'<label class="form-label small" for="vedtak-{pk}">{parts["outcome"]}</label>'
        f'<select class="form-select form-select-sm" name="outcome" id="vedtak-{pk}">{options}'
        f"</select>"
        f'<label class="form-label small" for="grunn-{pk}">{parts["reason"]}</label>'
        f'<textarea class="form-control form-control-sm" name="reason" lang="{language}" '
        f'aria-describedby="malform-{pk}" id="grunn-{pk}" rows="2">{escape(reason or "")}'
        f"</textarea>"
        f'<p class="form-text small mt-0 mb-1" id="malform-{pk}">{escape(row["language_note"])}</p>'
        f'<label class="form-label small" for="avvik-{pk}">{parts["deviation"]}</label>'
        f'<textarea class="form-control form-control-sm" name="deviation_reason" id="avvik-{pk}" '
        f'rows="1">{escape(deviation or "")}</textarea>'
        f'<button type="submit" class="btn btn-sm btn-outline-primary mt-1">{parts["save"]}'
        f"</button></form>"
    )


def _ranking_parts(context):
    """What the ranking's forms share, made once per page."""
    parts = context.render_context.get("ranking_forms")
    if parts is None:
        parts = context.render_context["ranking_forms"] = {
            "csrf": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                str(context.get("csrf_token", "")),
            ),
            "question": escape(_("Hvorfor flyttes søknaden?")),
            "up": escape(_("Flytt opp")),
            "down": escape(_("Flytt ned")),
            "verdict": escape(_("Innstilling")),
            "justification": escape(_("Begrunnelse")),
            "save": escape(_("Lagre innstilling")),
        }
    return parts


@register.simple_tag(takes_context=True)
def move_form(context, row, cohort_pk, office_pk):
    """The office's form that moves one row of its ranking, as plain HTML from parts made once
    per page, as decision_form is: the ranking shows the office's whole list, each row with
    this form and recommend_form."""
    parts = _ranking_parts(context)
    pk = row.application.pk
    # Every value in it is escaped above or here.
    return mark_safe(
        f'<form method="post" action="{link("selection:move", cohort_pk, office_pk, pk)}">\n'
        f"{parts['csrf']}\n"
        f'<input type="hidden" name="position" value="{row.position}">\n'
        f'<input type="hidden" name="above" value="{row.above}">\n'
        f'<input type="hidden" name="below" value="{row.below}">\n'
        f'<label class="form-label small" for="flytt-{pk}">{parts["question"]}</label>\n'
        f'<textarea class="form-control form-control-sm" name="reason" id="flytt-{pk}" '
        f'rows="2">{escape(row.move_reason)}</textarea>\n'
        f'<button type="submit" name="direction" value="opp" '
        f'class="btn btn-sm btn-outline-primary mt-1">{parts["up"]}</button>\n'
        f'<button type="submit" name="direction" value="ned" '
        f'class="btn btn-sm btn-outline-primary mt-1">{parts["down"]}</button>\n'
        f"</form>"
    )


@register.simple_tag(takes_context=True)
def recommend_form(context, row, cohort_pk, office_pk):
    """The office's verdict and justification for one row of its ranking (see move_form)."""
    parts = _ranking_parts(context)
    pk = row.application.pk
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
        for value, label, selected in row.verdict_options
    )
    return mark_safe(
        f'<form method="post" action="{link("selection:recommend", cohort_pk, office_pk, pk)}">\n'
        f"{parts['csrf']}\n"
        f'<input type="hidden" name="revision" value="{int(row.revision)}">\n'
        f'<label class="form-label small" for="innstilling-{pk}">{parts["verdict"]}</label>\n'
        f'<select class="form-select form-select-sm" name="verdict" id="innstilling-{pk}">\n'
        f"{options}\n"
        f"</select>\n"
        f'<label class="form-label small" for="begrunnelse-{pk}">{parts["justification"]}</label>\n'
        f'<textarea class="form-control form-control-sm" name="justification" '
        f'id="begrunnelse-{pk}" rows="2">{escape(row.justification_text)}</textarea>\n'
        f'<button type="submit" class="btn btn-sm btn-outline-primary mt-1">{parts["save"]}'
        f"</button>\n"
        f"</form>"
    )
