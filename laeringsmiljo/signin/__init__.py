"""Signing in: the lockout after failed passwords, the end of an idle session, the second
factor for staff with a password, and OpenID Connect (ID-porten and the staff's provider)."""
