from datetime import date, datetime, time, timedelta

import pytz
from dateutil.easter import easter

from odoo import api, models

PARIS = pytz.timezone("Europe/Paris")
# Fixed public holidays of metropolitan France (Code du travail, L3133-1),
# by (month, day).
FIXED_HOLIDAYS = {
    (1, 1): "Jour de l'an",
    (5, 1): "Fête du Travail",
    (5, 8): "Victoire 1945",
    (7, 14): "Fête nationale",
    (8, 15): "Assomption",
    (11, 1): "Toussaint",
    (11, 11): "Armistice 1918",
    (12, 25): "Noël",
}


def french_public_holidays(year):
    """The public holidays of metropolitan France in ``year``, by date:
    fixed dates, and Easter Monday, Ascension and Whit Monday from Easter."""
    easter_day = easter(year)
    holidays = {
        date(year, month, day): name for (month, day), name in FIXED_HOLIDAYS.items()
    }
    holidays[easter_day + timedelta(days=1)] = "Lundi de Pâques"
    holidays[easter_day + timedelta(days=39)] = "Ascension"
    holidays[easter_day + timedelta(days=50)] = "Lundi de Pentecôte"
    return holidays


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model
    def _bde_create_french_public_holidays(self, first_year, last_year):
        """Global leaves (no schedule, no resource) for each French public
        holiday of the school years ``first_year``-``first_year + 1`` to
        ``last_year``-``last_year + 1``; those already there are kept, so that
        the module's update adds none twice. A later school year is one more
        call (data/resource_calendar_data.xml)."""
        holidays = {}
        for year in range(first_year, last_year + 2):
            holidays.update(french_public_holidays(year))
        holidays = {
            day: name
            for day, name in holidays.items()
            if date(first_year, 9, 1) <= day <= date(last_year + 1, 8, 31)
        }
        starts = {day: _utc(day, time.min) for day in holidays}
        existing = set(
            self.sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "=", False),
                    ("date_from", "in", list(starts.values())),
                ]
            )
            .mapped("date_from")
        )
        self.sudo().create(
            [
                {
                    "name": name,
                    "date_from": starts[day],
                    "date_to": _utc(day, time(23, 59, 59)),
                    "time_type": "leave",
                }
                for day, name in sorted(holidays.items())
                if starts[day] not in existing
            ]
        )


def _utc(day, moment):
    """Paris's ``moment`` of ``day`` as the naive UTC datetime Odoo stores."""
    local = PARIS.localize(datetime.combine(day, moment))
    return local.astimezone(pytz.utc).replace(tzinfo=None)
