from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .bde_pfmp_placement import SIGNED_STATES

# Code du travail L.3162-1: a minor works at most 8 hours a day, 35 a week.
MINOR_MAX_HOURS_PER_DAY = 8
MINOR_MAX_HOURS_PER_WEEK = 35
ADULT_AGE = 18


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Minors' rules
    age_at_start = fields.Integer(
        string="Age at start",
        compute="_compute_age_at_start",
        store=True,
        help="Age of the student on the first day of the placement.",
    )
    is_minor = fields.Boolean(
        string="Minor",
        compute="_compute_age_at_start",
        store=True,
        help="Under 18 on the first day, or birth date unknown: the minors' "
        "rules of the Code du travail apply to the whole placement.",
    )
    hours_per_day = fields.Float(
        string="Hours a day",
        help="Longest working day planned, in hours.",
    )
    hours_per_week = fields.Float(
        string="Hours a week", help="Weekly working hours planned."
    )
    night_work = fields.Boolean(
        string="Night work",
        help="The student works at night (from 22:00, or 20:00 under 16, to 06:00).",
    )
    regulated_work = fields.Boolean(
        string="Regulated work",
        tracking=True,
        help="The student does regulated work (travaux réglementés, Code du "
        "travail D.4153-15 and following): a minor needs the lycée's derogation.",
    )
    derogation_ref = fields.Char(
        string="Derogation reference",
        tracking=True,
        help="Reference of the derogation for regulated work declared to the "
        "labour inspectorate.",
    )

    _sql_constraints = [
        (
            "hours_valid",
            "CHECK (hours_per_day >= 0 AND hours_per_day <= 24 "
            "AND hours_per_week >= 0 AND hours_per_week <= 168)",
            "The working hours must be between 0 and 24 a day and 0 and 168 a week.",
        ),
    ]

    @api.depends("student_id.bde_birthdate", "date_start")
    def _compute_age_at_start(self):
        for placement in self:
            student = placement.student_id
            if student.bde_birthdate and placement.date_start:
                placement.age_at_start = student.bde_age_on(placement.date_start)
                placement.is_minor = placement.age_at_start < ADULT_AGE
            else:
                # Without a birth date, protect the student as a minor.
                placement.age_at_start = 0
                placement.is_minor = True

    @api.constrains(
        "hours_per_day", "hours_per_week", "night_work", "student_id", "date_start"
    )
    def _check_minor_hours(self):
        for placement in self.filtered("is_minor"):
            if placement.hours_per_day > MINOR_MAX_HOURS_PER_DAY:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "at most %(max)s hours a day.",
                        student=placement.student_id.name,
                        max=MINOR_MAX_HOURS_PER_DAY,
                    )
                )
            if placement.hours_per_week > MINOR_MAX_HOURS_PER_WEEK:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "at most %(max)s hours a week.",
                        student=placement.student_id.name,
                        max=MINOR_MAX_HOURS_PER_WEEK,
                    )
                )
            if placement.night_work:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor at the start of the placement: "
                        "night work is forbidden.",
                        student=placement.student_id.name,
                    )
                )

    @api.constrains(
        "state", "regulated_work", "derogation_ref", "student_id", "date_start"
    )
    def _check_derogation(self):
        for placement in self:
            if placement.state in SIGNED_STATES and placement._needs_derogation():
                raise ValidationError(
                    self.env._(
                        "%(student)s is a minor doing regulated work: enter the "
                        "reference of the derogation before the convention is "
                        "signed.",
                        student=placement.student_id.name,
                    )
                )

    def _needs_derogation(self):
        self.ensure_one()
        return self.is_minor and self.regulated_work and not self.derogation_ref
