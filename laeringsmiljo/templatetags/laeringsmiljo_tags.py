from django import template

from laeringsmiljo import forms

register = template.Library()


@register.filter
def error_summary(form):
    """The form's errors for templates/_error_summary.html, on a page whose view does not
    hand them over (Django's own views: the password pages)."""
    return forms.error_summary(form) if form is not None and form.is_bound else []
