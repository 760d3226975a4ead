"""Dutch date formats of the portal (FORMAT_MODULE_PATH), on top of Django's.

Django's own nl formats write full dates right ("3 december 2026"); only the
short date is changed, to the two-digit day and month a Dutch office writes on
forms and in tables ("03-12-2026"), so the columns line up.
Everything not named here (input formats, separators) is Django's.
"""

SHORT_DATE_FORMAT = "d-m-Y"  # 03-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 03-12-2026 14:05
