from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The half-days an absence takes: a day is a morning and an afternoon.
DURATION_HALF_DAYS = {
    "day": ("morning", "afternoon"),
    "morning": ("morning",),
    "afternoon": ("afternoon",),
}
# Fields whose change moves the days done of the placement.
DAYS_FIELDS = {"placement_id", "date", "duration"}


class BdePfmpAbsence(models.Model):
    """A day or half-day a student missed during a placement, recorded by the
    tutor on the portal or by the staff. The placement's days done are its
    working days minus its absences (bde_pfmp_placement_attendance.py); an
    unjustified absence gives the referent teacher and the BDE an activity."""

    _name = "bde.pfmp.absence"
    _description = "PFMP absence"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="placement_id.company_id",
        string="Lycée",
        store=True,
        precompute=True,
        index=True,
    )
    student_id = fields.Many2one(
        related="placement_id.student_id", store=True, index=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    duration = fields.Selection(
        [("day", "Whole day"), ("morning", "Morning"), ("afternoon", "Afternoon")],
        required=True,
        default="day",
    )
    reason = fields.Selection(
        [
            ("illness", "Illness"),
            ("family", "Family reason"),
            ("transport", "Transport"),
            ("school", "Called back by the lycée"),
            ("other", "Other"),
        ],
        required=True,
        default="illness",
    )
    note = fields.Text(help="What the tutor or the family said.")
    justified = fields.Boolean(
        help="A certificate or an accepted reason was given. An unjustified "
        "absence alerts the referent teacher and the BDE."
    )
    recorded_by_id = fields.Many2one(
        "res.partner",
        string="Recorded by",
        default=lambda self: self.env.user.partner_id,
        help="The tutor, or the staff member who recorded it.",
    )

    @api.depends("date", "duration", "student_id")
    def _compute_display_name(self):
        durations = dict(self._fields["duration"]._description_selection(self.env))
        for absence in self:
            absence.display_name = self.env._(
                "%(student)s – %(date)s (%(duration)s)",
                student=absence.student_id.name or "",
                date=absence.date or "",
                duration=durations.get(absence.duration, ""),
            )

    def _half_days(self):
        """The (date, "morning" | "afternoon") pairs of these absences."""
        return {
            (absence.date, half)
            for absence in self
            for half in DURATION_HALF_DAYS[absence.duration]
        }

    @api.constrains("placement_id", "date", "duration")
    def _check_date(self):
        for absence in self:
            placement = absence.placement_id
            first, last = placement._bde_attendance_bounds()
            if not (first and first <= absence.date <= last):
                raise ValidationError(
                    self.env._(
                        "An absence of %(student)s must be between %(first)s and "
                        "%(last)s, the days of the placement.",
                        student=placement.student_id.name,
                        first=first,
                        last=last,
                    )
                )
            scheduled = placement._bde_working_half_days()
            if not {(absence.date, half) for half in ("morning", "afternoon")} & (
                scheduled
            ):
                raise ValidationError(
                    self.env._(
                        "%(date)s is not a working day of the weekly schedule "
                        "of %(student)s.",
                        date=absence.date,
                        student=placement.student_id.name,
                    )
                )
            others = placement.absence_ids - absence
            if absence._half_days() & others._half_days():
                raise ValidationError(
                    self.env._(
                        "An absence of %(student)s is already recorded on %(date)s.",
                        student=placement.student_id.name,
                        date=absence.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        absences = super().create(vals_list)
        absences.placement_id._bde_reopen_attendance()
        absences._bde_log(self.env._("Absence recorded"))
        absences.placement_id._bde_update_days_done()
        absences._bde_alert_unjustified()
        return absences

    def write(self, vals):
        if vals.keys() & (DAYS_FIELDS | {"justified"}):
            self.placement_id._bde_reopen_attendance()
        placements = self.placement_id
        res = super().write(vals)
        if vals.keys() & DAYS_FIELDS:
            (placements | self.placement_id)._bde_update_days_done()
        if "justified" in vals:
            self._bde_log(self.env._("Absence changed"))
            self._bde_alert_unjustified()
            self.filtered("justified")._bde_close_alerts()
        return res

    def unlink(self):
        placements = self.placement_id
        placements._bde_reopen_attendance()
        self._bde_log(self.env._("Absence removed"))
        res = super().unlink()
        placements._bde_update_days_done()
        return res

    def _bde_log(self, title):
        """The placement's chatter keeps each absence recorded, changed or
        removed: who did it is the message's author."""
        durations = dict(self._fields["duration"]._description_selection(self.env))
        public = self.env.user._is_public()
        for absence in self:
            # Through the personal link the request's user is the public
            # one: the author is then the tutor who recorded it.
            author = absence.recorded_by_id if public else self.env.user.partner_id
            absence.placement_id._message_log(
                author_id=author.id,
                body=self.env._(
                    "%(title)s: %(date)s, %(duration)s, %(justified)s.",
                    title=title,
                    date=absence.date,
                    duration=durations[absence.duration],
                    justified=self.env._("justified")
                    if absence.justified
                    else self.env._("not justified"),
                ),
            )

    # Alerts
    def _bde_alert_recipients(self):
        """The referent teacher and the BDE managers of the lycée."""
        self.ensure_one()
        return self.placement_id.teacher_id | self.company_id._bde_officer_users()

    def _bde_alert_unjustified(self):
        """One activity per recipient and unjustified absence, due the day it
        is recorded; recording or saving it again adds none."""
        activity_type = self.env.ref("bde_pfmp.mail_activity_type_pfmp_absence")
        for absence in self.filtered(lambda absence: not absence.justified):
            alerted = (
                absence.sudo()
                .activity_ids.filtered(
                    lambda activity: activity.activity_type_id == activity_type
                )
                .user_id
            )
            for user in absence._bde_alert_recipients() - alerted:
                absence.sudo().activity_schedule(
                    "bde_pfmp.mail_activity_type_pfmp_absence",
                    user_id=user.id,
                    note=self.env._(
                        "%(student)s was absent on %(date)s without "
                        "justification (placement at %(host)s).",
                        student=absence.student_id.name,
                        date=absence.date,
                        host=absence.placement_id.partner_id.name,
                    ),
                )

    def _bde_close_alerts(self):
        """A justification received closes the alerts: nothing left to do."""
        activity_type = self.env.ref("bde_pfmp.mail_activity_type_pfmp_absence")
        self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ).action_feedback(feedback=self.env._("Absence justified."))

    # The tutor's way in
    @api.model
    def _bde_tutor_record(self, placement, vals, tutor):
        """Record an absence for the tutor of ``placement`` (portal or link),
        as superuser once the caller is known to be ``tutor``."""
        placement._bde_check_tutor_may_edit_absences(tutor)
        fields_ = {"date", "duration", "reason", "note", "justified"}
        return self.sudo().create(
            {
                **{key: value for key, value in vals.items() if key in fields_},
                "placement_id": placement.id,
                "recorded_by_id": tutor.id,
            }
        )

    def _bde_tutor_remove(self, tutor):
        """A tutor removes an absence they recorded by mistake, before the
        attendance is confirmed."""
        self.ensure_one()
        self.placement_id._bde_check_tutor_may_edit_absences(tutor)
        if self.recorded_by_id != tutor:
            raise UserError(
                self.env._("You can remove only the absences you recorded.")
            )
        self.sudo().unlink()
