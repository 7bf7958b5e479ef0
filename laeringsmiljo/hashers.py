"""How passwords are stored: Argon2id with a cost chosen for this service.

Django's own Argon2 settings (100 MiB, 8 lanes) cost about 0.3 s of CPU per sign-in, and its
default PBKDF2 (1,000,000 rounds of SHA-256) about 0.46 s: at the application deadline, a
hundred municipalities signing in within seconds then fill two cores for most of a minute.
OWASP's first choice for Argon2id, 19 MiB of memory and two passes on one lane, costs about
45 ms of CPU here (`manage.py bench deadline` prints the sign-ins per second the machine takes)
and keeps a guess as expensive in memory for a GPU as for us. A stored hash with other
parameters, or made by PBKDF2 before, is made again with these at the user's next sign-in.
"""

from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
