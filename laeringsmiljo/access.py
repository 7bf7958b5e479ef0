"""Who a user is in the service: the memberships behind every permission check."""

from functools import cached_property

from laeringsmiljo.models import Membership, Municipality, Role


class Roles:
    """The roles one user holds, loaded once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def memberships(self):
        if not self.user.is_authenticated or not self.user.is_active:
            return []
        return list(
            Membership.objects.filter(user=self.user).select_related(
                "municipality__county", "office"
            )
        )

    @cached_property
    def is_udir(self):
        return any(m.role == Role.UDIR for m in self.memberships)

    @cached_property
    def office_ids(self):
        return {m.office_id for m in self.memberships if m.role == Role.OFFICE}

    @cached_property
    def municipality_ids(self):
        return {m.municipality_id for m in self.memberships if m.role == Role.MUNICIPALITY}

    @cached_property
    def offices(self):
        return sorted(
            {m.office for m in self.memberships if m.role == Role.OFFICE}, key=lambda o: o.name
        )

    @cached_property
    def municipalities(self):
        return sorted(
            {m.municipality for m in self.memberships if m.role == Role.MUNICIPALITY},
            key=lambda m: m.number,
        )

    @property
    def is_office(self):
        return bool(self.office_ids)

    @property
    def is_municipality(self):
        return bool(self.municipality_ids)

    @property
    def is_case_officer(self):
        """Office or Udir staff: those who see more than one municipality."""
        return self.is_udir or self.is_office

    def can_manage_for_municipality(self, municipality):
        """Office staff of the municipality's county, or Udir."""
        return self.is_udir or municipality.office_id in self.office_ids

    def covered_municipalities(self):
        """The municipalities the user works on as office or Udir staff: its offices' (all for
        Udir)."""
        return Municipality.objects.covered_by(None if self.is_udir else self.office_ids)


def roles_of(request_or_user):
    """The Roles of a user (or a request's user), loaded once and kept on the user object."""
    user = getattr(request_or_user, "user", request_or_user)
    cached = getattr(user, "_roles", None)
    if cached is None:
        cached = Roles(user)
        user._roles = cached
    return cached
