"""English date formats of the portal (FORMAT_MODULE_PATH), on top of Django's.

Django's en formats are American ("Dec. 3, 2026", "12/03/2026", "2:05 p.m.").
The English of this portal is read by people working in the Netherlands: day
before month and a 24-hour clock, as in British English, and a short date with
the month in letters so "03/12" cannot be read either way.
"""

DATE_FORMAT = "j F Y"  # 3 December 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y H:i"  # 3 December 2026 14:05
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 3 December
SHORT_DATE_FORMAT = "j M Y"  # 3 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"  # 3 Dec 2026 14:05
FIRST_DAY_OF_WEEK = 1  # Monday
