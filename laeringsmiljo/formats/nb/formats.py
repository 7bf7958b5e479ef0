# Times as Norwegian writes them, «kl. 20.09», where Django formats a time itself (the admin,
# the date and time filters with no format). Django's own formats say «20:09».
TIME_FORMAT = r"\k\l. H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. H.i"
