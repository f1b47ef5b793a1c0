from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare, float_round

from ..report.bde_pfmp_format import format_hours
from .bde_pfmp_placement_attendance import HALF_DAYS

# Code de l'éducation L.124-6 and D.124-6: a host owes a gratification when
# the student's time with it exceeds two months in the school year,
# consecutive or not; a day of at least 7 hours counts as a day, shorter
# days count by their hours, 7 hours making a day; 2 months are 44 days.
GRATIFICATION_DAY_HOURS = 7
GRATIFICATION_DAYS = 44


class BdePfmpPlacement(models.Model):
    """The gratification the host owes beside the State's allowance, on the
    hours planned by the placement's schedule: due when the student's
    placements with the same host in the school year exceed two months, for
    every hour of them, at the minimum rate in force on each one's start."""

    _inherit = "bde.pfmp.placement"

    gratification_due = fields.Boolean(
        string="Gratification due",
        compute="_compute_gratification",
        help="The student's placements with this host in the school year "
        "exceed two months (more than 44 days of 7 hours, or 308 hours when "
        "the days are shorter): the host owes a gratification for every hour.",
    )
    gratification_hourly_rate = fields.Float(
        string="Minimum hourly gratification",
        compute="_compute_gratification",
        digits=(16, 2),
        help="15 % of the hourly social-security ceiling in force on the "
        "first day of the placement.",
    )
    gratification_hours = fields.Float(
        string="Hours planned",
        compute="_compute_gratification",
        digits=(16, 2),
        help="Working hours of the placement's schedule between its first and "
        "last day, public holidays left out.",
    )
    gratification_amount = fields.Monetary(
        string="Minimum gratification",
        compute="_compute_gratification",
        help="Hours planned × minimum hourly gratification, when due.",
    )

    @api.depends(
        "student_id",
        "partner_id",
        "school_year",
        "date_start",
        "date_end",
        "date_stopped",
        "state",
        "hours_per_week",
        "resource_calendar_id",
    )
    def _compute_gratification(self):
        # As superuser throughout: the siblings may be other staff's.
        placements = self._gratification_siblings() | self.sudo()
        holidays = placements._bde_public_holidays()
        day_hours = {
            placement: placement._bde_gratification_day_hours(holidays)
            for placement in placements
        }
        days_by_key = defaultdict(float)
        for placement in placements:
            if placement.state != "cancelled":
                days_by_key[placement._gratification_key()] += _equivalent_days(
                    day_hours[placement].values()
                )
        rates = self.env["bde.gratification.rate"].sudo().search([])
        for placement in self:
            key = placement._gratification_key()
            hours = float_round(sum(day_hours[placement].values()), precision_digits=2)
            rate = next(
                (
                    r
                    for r in rates
                    if placement.date_start and r.date_from <= placement.date_start
                ),
                rates.browse(),
            )
            due = bool(
                all(key)
                and placement.state != "cancelled"
                and float_compare(days_by_key[key], GRATIFICATION_DAYS, 2) > 0
            )
            placement.gratification_due = due
            placement.gratification_hours = hours
            placement.gratification_hourly_rate = rate.hourly_amount
            placement.gratification_amount = (
                float_round(hours * rate.hourly_amount, precision_digits=2)
                if due
                else 0
            )

    def _gratification_key(self):
        """The student's time is counted per host and school year."""
        self.ensure_one()
        return (self.student_id.id, self.partner_id.id, self.school_year)

    def _gratification_siblings(self):
        """The other placements of these students with these hosts in these
        school years, which count towards the two months. As superuser: a
        placement's gratification depends on the student's other placements,
        whoever may read them."""
        hosted = self.filtered(
            lambda p: p.student_id and p.partner_id and p.school_year
        )
        if not hosted:
            return self.sudo().browse()
        return self.sudo().search(
            [
                ("student_id", "in", hosted.student_id.ids),
                ("partner_id", "in", hosted.partner_id.ids),
                ("school_year", "in", list(set(hosted.mapped("school_year")))),
                ("state", "!=", "cancelled"),
                ("id", "not in", self._origin.ids),
            ]
        )

    def _bde_gratification_day_hours(self, holidays=None):
        """{date: hours} the placement's schedule plans, from its first to its
        last day, public holidays left out. The weekly hours typed on the
        placement, when given, scale the schedule's."""
        self.ensure_one()
        calendar = self._bde_calendar()
        if not calendar:
            return {}
        half_hours = defaultdict(float)
        for attendance in calendar.attendance_ids:
            if attendance.day_period in HALF_DAYS:
                half_hours[(int(attendance.dayofweek), attendance.day_period)] += (
                    attendance.hour_to - attendance.hour_from
                )
        if calendar.two_weeks_calendar:
            # Both weeks of the schedule are counted alike: their average.
            half_hours = {half: hours / 2 for half, hours in half_hours.items()}
        weekly_hours = sum(half_hours.values())
        scale = (
            self.hours_per_week / weekly_hours
            if self.hours_per_week and weekly_hours
            else 1
        )
        day_hours = defaultdict(float)
        for day, half in self._bde_working_half_days(holidays):
            day_hours[day] += half_hours.get((day.weekday(), half), 0) * scale
        return day_hours

    @api.model
    def _bde_format_hours(self, value):
        """Hours as the PFMP documents print them: "35 heures"."""
        return format_hours(value)


def _equivalent_days(hours_of_days):
    """Days of presence in the sense of D.124-6: a day of at least 7 hours
    is a day; the hours of shorter days add up, 7 hours making a day."""
    full_days = 0
    short_hours = 0.0
    for hours in hours_of_days:
        if float_compare(hours, GRATIFICATION_DAY_HOURS, 2) >= 0:
            full_days += 1
        else:
            short_hours += hours
    return full_days + short_hours / GRATIFICATION_DAY_HOURS
