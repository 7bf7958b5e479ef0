"""«Glemt passordet?»: the e-mail with a link to choose a new password. The request only queues
it (laeringsmiljo.tasks.queue_password_reset), so that neither its answer nor its timing says
whether an address belongs to a user; the task looks the address up and sends."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader


class _ResetMail(PasswordResetForm):
    """Django's lookup, token and templates; a send that fails is raised, not logged away,
    so that the task is tried again."""

    sent = 0

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
        self.sent += 1


def send_password_reset_email(*, email):
    """Mail a link to choose a new password to every active user with this address (any case)
    and a usable password, in the active language; returns how many were sent. An unknown or
    malformed address gets nothing. The link starts with SITE_URL, never with a host the
    request named."""
    form = _ResetMail({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")
    return form.sent
