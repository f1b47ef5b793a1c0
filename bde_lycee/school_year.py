"""School-year arithmetic shared by the BDE modules.

A French school year runs from 1 September to 31 August and is written
``2025-2026``; classes, PFMP periods and allowance caps all belong to one.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from odoo.tools import SQL

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")
# The school year starts on 1 September (code de l'éducation, art. L.521-1).
FIRST_MONTH = 9
# The lycées' day is metropolitan France's: the reports' SQL views count on
# it, not on the server's UTC date, a day behind from midnight to 1 or 2 a.m.
LYCEE_TZ = "Europe/Paris"
LYCEE_TODAY = SQL("(now() AT TIME ZONE %s)::date", LYCEE_TZ)


def lycee_today():
    """Today in the lycées' time zone: the day LYCEE_TODAY is in SQL."""
    return datetime.now(ZoneInfo(LYCEE_TZ)).date()


def school_year_of(day):
    """Return the school year (``'2025-2026'``) that contains ``day``."""
    start = day.year if day.month >= FIRST_MONTH else day.year - 1
    return f"{start}-{start + 1}"


def is_school_year(value):
    """True when ``value`` reads ``YYYY-YYYY`` with consecutive years."""
    match = SCHOOL_YEAR_RE.match(value or "")
    return bool(match) and int(match[2]) == int(match[1]) + 1


def school_year_bounds(value):
    """Return the first and last day of the school year ``value``."""
    start = int(value[:4])
    return date(start, FIRST_MONTH, 1), date(start + 1, FIRST_MONTH - 1, 31)
