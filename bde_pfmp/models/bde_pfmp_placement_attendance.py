from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from .bde_pfmp_placement_portal import ATTENDANCE_STATES

HALF_DAYS = ("morning", "afternoon")
DEFAULT_CALENDAR = "bde_pfmp.resource_calendar_pfmp_35h"
# Fields whose change moves the working days of a placement.
SCHEDULE_FIELDS = {
    "resource_calendar_id",
    "date_start",
    "date_end",
    "date_stopped",
    "state",
}


class BdePfmpPlacement(models.Model):
    """Day-by-day attendance: the placement's weekly schedule, its public
    holidays and the absences recorded by the tutor or the staff give the days
    done. A day is two half-days (morning, afternoon); the days done are the
    attended half-days // 2, whole days only as APLyPro takes them: a half-day
    left over is not counted. Staff may still type the days done: the figure
    is then flagged as typed (``days_done_by_staff``) until an absence is
    recorded, which computes it again from the day-by-day record."""

    _inherit = "bde.pfmp.placement"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Weekly schedule",
        default=lambda self: self.env.ref(DEFAULT_CALENDAR, raise_if_not_found=False),
        tracking=True,
        help="The student's working days and half-days at the host; public "
        "holidays of the schedule are not worked.",
    )
    absence_ids = fields.One2many("bde.pfmp.absence", "placement_id", string="Absences")
    absence_count = fields.Integer(
        string="Number of absences", compute="_compute_absence_count"
    )
    days_done_by_staff = fields.Boolean(
        string="Days done typed by the staff",
        readonly=True,
        tracking=True,
        copy=False,
        help="The days done were typed by the staff rather than computed from "
        "the schedule and the absences; they count as confirmed.",
    )
    days_computed = fields.Integer(
        string="Days done from the schedule",
        compute="_compute_days_computed",
        help="Working days of the schedule between the start and the end (or "
        "the stop) of the placement, public holidays and absences deducted, in "
        "whole days (attended half-days divided by two, rounded down).",
    )

    @api.depends("absence_ids")
    def _compute_absence_count(self):
        counts = self._count_by_placement("bde.pfmp.absence")
        for placement in self:
            placement.absence_count = counts.get(placement, 0)

    @api.depends(
        "resource_calendar_id",
        "date_start",
        "date_end",
        "date_stopped",
        "state",
        "absence_ids.date",
        "absence_ids.duration",
    )
    def _compute_days_computed(self):
        holidays = self._bde_public_holidays()
        for placement in self:
            placement.days_computed = placement._bde_days_from_schedule(holidays)

    # Working days
    def _bde_attendance_bounds(self):
        """First and last day the student is expected at the host: an
        interrupted placement ends on its stop date."""
        self.ensure_one()
        last = self.date_end
        if self.state == "interrupted" and self.date_stopped:
            last = min(self.date_stopped, last) if last else self.date_stopped
        return self.date_start, last

    def _bde_calendar(self):
        self.ensure_one()
        return self.resource_calendar_id or self.env.ref(
            DEFAULT_CALENDAR, raise_if_not_found=False
        )

    def _bde_public_holidays(self):
        """The days off (leaves of no resource: public holidays, global or of
        the schedule) over the placements' days, per schedule, in one query."""
        placements = self.filtered(lambda placement: placement.date_start)
        holidays = defaultdict(set)
        if not placements:
            return holidays
        first = min(placements.mapped("date_start"))
        last = max(placements.mapped(lambda p: p._bde_attendance_bounds()[1]))
        calendars = placements.mapped(lambda p: p._bde_calendar())
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [False, *calendars.ids]),
                    ("date_from", "<=", datetime.combine(last, time.max)),
                    ("date_to", ">=", datetime.combine(first, time.min)),
                ]
            )
        )
        for leave in leaves:
            for calendar in leave.calendar_id or calendars:
                holidays[calendar].update(_local_days(leave, calendar.tz))
        return holidays

    def _bde_working_half_days(self, holidays=None):
        """The (date, "morning" | "afternoon") the schedule makes worked
        between the placement's first and last day, public holidays left
        out. Both weeks of a two-week schedule count alike."""
        self.ensure_one()
        first, last = self._bde_attendance_bounds()
        calendar = self._bde_calendar()
        if not (first and last and calendar) or last < first:
            return set()
        if holidays is None:
            holidays = self._bde_public_holidays()
        halves_by_weekday = defaultdict(set)
        for attendance in calendar.attendance_ids:
            if attendance.day_period in HALF_DAYS:
                halves_by_weekday[int(attendance.dayofweek)].add(attendance.day_period)
        days_off = holidays.get(calendar, set())
        half_days = set()
        day = first
        while day <= last:
            if day not in days_off:
                half_days.update(
                    (day, half) for half in halves_by_weekday[day.weekday()]
                )
            day += timedelta(days=1)
        return half_days

    def _bde_days_from_schedule(self, holidays=None):
        """Whole days done: attended half-days // 2."""
        self.ensure_one()
        attended = self._bde_working_half_days(holidays) - (
            self.absence_ids._half_days()
        )
        return len(attended) // 2

    def _bde_update_days_done(self):
        """Write the days done computed from the schedule and the absences;
        the figure is no longer the staff's."""
        holidays = self._bde_public_holidays()
        by_days = defaultdict(lambda: self.browse())
        for placement in self:
            days = placement._bde_days_from_schedule(holidays)
            if days != placement.days_done or placement.days_done_by_staff:
                by_days[days] |= placement
        # One write per figure: the allowance is recomputed once for each.
        for days, placements in by_days.items():
            placements._write_trusted({"days_done": days, "days_done_by_staff": False})

    # Who writes the days done
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bde_check_staff_flag(vals)
            if vals.get("days_done"):
                # Typed at creation (an import, the demo): the staff's figure.
                vals["days_done_by_staff"] = True
        return super().create(vals_list)

    def write(self, vals):
        self._bde_check_staff_flag(vals)
        return super().write(vals)

    def _bde_check_staff_flag(self, vals):
        if "days_done_by_staff" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "Whether the days done were typed is recorded by the "
                    "placement itself: type the days done, or record the "
                    "absences."
                )
            )

    def _write_trusted(self, vals):
        if (
            "days_done" in vals
            and "days_done_by_staff" not in vals
            and "attendance_confirmed_date" not in vals
        ):
            vals = {**vals, "days_done_by_staff": True}
        res = super()._write_trusted(vals)
        if SCHEDULE_FIELDS & vals.keys() and "days_done" not in vals:
            # Started, rescheduled or stopped: the figure follows, unless
            # the staff typed it or the tutor confirmed it.
            self.filtered(
                lambda placement: (
                    placement.state in ATTENDANCE_STATES
                    and not placement.days_done_by_staff
                    and not placement.attendance_confirmed_date
                )
            )._bde_update_days_done()
        return res

    def _confirm_attendance(self, days_done, confirmed_by):
        """The tutor confirms the figure computed from the absences they
        recorded, unless they give another one."""
        self.ensure_one()
        if days_done is None:
            days_done = self.days_computed
        return super()._confirm_attendance(days_done, confirmed_by)

    def _bde_days_done_confirmed(self):
        """Done needs the days done confirmed: by the tutor, or typed by the
        staff (tracked in the chatter)."""
        self.ensure_one()
        return bool(self.attendance_confirmed_date) or self.days_done_by_staff

    # Absences
    def _bde_reopen_attendance(self):
        """The staff changing the absences of a confirmed placement void the
        tutor's confirmation, as changing its days done does."""
        confirmed = self.filtered("attendance_confirmed_date")
        if confirmed:
            confirmed._write_trusted(
                {
                    "attendance_confirmed_date": False,
                    "attendance_confirmed_by_id": False,
                }
            )

    def _bde_check_tutor_may_edit_absences(self, tutor):
        self.ensure_one()
        if not tutor or tutor != self.tutor_id:
            raise UserError(
                self.env._("Only the tutor of the placement records its absences.")
            )
        if self.state not in ATTENDANCE_STATES:
            raise UserError(
                self.env._(
                    "Absences are recorded once the placement of %(student)s "
                    "has started.",
                    student=self.student_id.name,
                )
            )
        if self.attendance_confirmed_date:
            raise UserError(
                self.env._(
                    "The attendance of %(student)s is confirmed: ask the lycée "
                    "to reopen it.",
                    student=self.student_id.name,
                )
            )

    def action_view_absences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_absence_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action


def _local_days(leave, tz_name):
    """The calendar days a leave covers, in the schedule's time zone."""
    tz = pytz.timezone(tz_name or "Europe/Paris")
    start = pytz.utc.localize(leave.date_from).astimezone(tz).date()
    end = pytz.utc.localize(leave.date_to).astimezone(tz).date()
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}
