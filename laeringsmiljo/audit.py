"""The one way to write to the audit log."""

from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from laeringsmiljo.models import AuditEvent


def snapshot(obj, fields=None):
    """The values of a model instance as a plain dict, for the before/after of an event."""
    data = model_to_dict(obj, fields=fields)
    return {key: _plain(value) for key, value in data.items()}


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_plain(item) for item in value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a file field
        return value.name or None
    return value


def record(*, actor, action, obj=None, before=None, after=None):
    """Append one event: who did what to which object, with the values before and after.

    Call it inside the transaction of the change it records, so that both stand or fall
    together.
    """
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
    )


def latest_event(*, obj, actions, **after):
    """The newest of the given actions recorded on obj (whose values after include `after`),
    or None."""
    return (
        AuditEvent.objects.filter(
            action__in=actions,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            **{f"after__{key}": value for key, value in after.items()},
        )
        .order_by("-pk")
        .first()
    )
