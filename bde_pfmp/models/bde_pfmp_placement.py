from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools.sql import create_index, make_index_name

from odoo.addons.bde_lycee.school_year import school_year_bounds

STATES = [
    ("searching", "Searching"),
    ("host_found", "Host found"),
    ("to_sign", "Convention to sign"),
    ("signed", "Signed"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("evaluated", "Evaluated"),
    ("cancelled", "Cancelled"),
    ("interrupted", "Interrupted"),
]
# From "host found" on, the placement names its host and tutor.
HOSTED_STATES = {
    "host_found",
    "to_sign",
    "signed",
    "in_progress",
    "done",
    "evaluated",
    "interrupted",
}
# States where the convention has been signed by every party.
SIGNED_STATES = {"signed", "in_progress", "done", "evaluated", "interrupted"}
# States of a placement whose period took place: it gets an attestation.
ENDED_STATES = {"done", "evaluated", "interrupted"}
# Fields whose change moves the allowance of the placement and of the later
# placements of the student in the same school year and MEF.
ALLOWANCE_FIELDS = {"student_id", "class_id", "date_start", "days_done", "state"}


# The placement's concerns extend this model, each in its own file
# (bde_pfmp_placement_*.py): the rules of write and create, the minors'
# rules, the convention's signatures, the follow-up, the European
# mobility, the tutors' portal, the allowance and the search for a host.
class BdePfmpPlacement(models.Model):
    """One student's placement in one host for one PFMP period, from the search
    for a host to the evaluation. It carries the pedagogical annex (activities
    and skills) and the financial annex (transport, meals, lodging, insurance)
    of the PFMP convention, and the State's allowance for the days done."""

    _name = "bde.pfmp.placement"
    _description = "PFMP placement"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, student_id, id"
    _rec_names_search = ["student_id", "partner_id", "class_id"]
    _check_company_auto = True

    # Who and when
    student_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("bde_is_student", "=", True)],
    )
    period_id = fields.Many2one(
        "bde.pfmp.period",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('class_id', '=', class_id)]",
    )
    class_id = fields.Many2one(
        "bde.class",
        compute="_compute_class_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        check_company=True,
    )
    # Indexed with the school year too: see init().
    company_id = fields.Many2one(
        related="class_id.company_id", string="Lycée", store=True, precompute=True
    )
    school_year = fields.Char(related="class_id.school_year", store=True, index=True)
    mef_code = fields.Char(related="class_id.mef_code", string="MEF code", store=True)
    mef_stat4 = fields.Char(
        related="class_id.mef_stat4", string="MEF_STAT4 level", store=True
    )
    date_start = fields.Date(
        string="Start date",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_end = fields.Date(
        string="End date",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_middle = fields.Date(
        string="Middle of the placement",
        compute="_compute_date_middle",
        store=True,
        help="Middle of the placement: the referent teacher should have visited "
        "or called by then.",
    )
    calendar_days = fields.Integer(
        string="Calendar days", compute="_compute_calendar_days", store=True
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="searching",
        tracking=True,
        group_expand=True,
        copy=False,
    )
    stop_reason = fields.Text(
        string="Reason for stopping",
        tracking=True,
        copy=False,
        help="Why the placement was cancelled or interrupted.",
    )
    date_stopped = fields.Date(
        string="Stop date",
        tracking=True,
        copy=False,
        help="Last day of an interrupted placement.",
    )

    # Host and referent teacher
    partner_id = fields.Many2one(
        "res.partner",
        string="Host",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
        help="Host company (organisme d'accueil) that signs the convention.",
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Site",
        check_company=True,
        domain="[('id', 'child_of', partner_id)]",
        help="Establishment or address where the student works, when it is not "
        "the host's main address.",
    )
    tutor_id = fields.Many2one(
        "res.partner",
        string="Tutor",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', False), ('parent_id', '=', partner_id)]",
        help="Employee of the host who guides the student during the placement.",
    )
    teacher_id = fields.Many2one(
        "res.users",
        string="Referent teacher",
        compute="_compute_teacher_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )

    # Pedagogical annex
    activities_planned = fields.Html(
        string="Activities planned",
        help="Activities planned with the host (annexe pédagogique).",
    )
    skills_planned = fields.Html(
        string="Skills planned",
        help="Skills of the diploma's referential to be worked on.",
    )
    # Financial annex
    transport_terms = fields.Text(string="Transport")
    meal_terms = fields.Text(string="Meals")
    lodging_terms = fields.Text(string="Lodging")
    insurance_terms = fields.Text(string="Insurance")

    def init(self):
        super().init()
        # The record rules, the dashboards and the lycée's lists filter on
        # the lycée, most of them on its school year too: one index serves
        # both, the lycée alone through its first column.
        create_index(
            self.env.cr,
            make_index_name(self._table, "company_id_school_year"),
            self._table,
            ["company_id", "school_year"],
        )
        # The host directory lists the hosts of a lycée's past placements:
        # read from this index alone, without the placements' rows.
        ended = ", ".join(f"'{state}'" for state in sorted(ENDED_STATES))
        create_index(
            self.env.cr,
            make_index_name(self._table, "company_id_partner_id_ended"),
            self._table,
            ["company_id", "partner_id"],
            where=f"state IN ({ended})",
        )

    @api.depends("period_id", "student_id")
    def _compute_class_id(self):
        for placement in self:
            placement.class_id = (
                placement.period_id.class_id
                or placement.class_id
                or placement.student_id.bde_class_id
            )

    @api.depends("period_id")
    def _compute_dates(self):
        for placement in self:
            placement.date_start = (
                placement.period_id.date_start or placement.date_start
            )
            placement.date_end = placement.period_id.date_end or placement.date_end

    @api.depends("date_start", "date_end")
    def _compute_date_middle(self):
        for placement in self:
            if placement.date_start and placement.date_end:
                half = (placement.date_end - placement.date_start).days // 2
                placement.date_middle = placement.date_start + timedelta(days=half)
            else:
                placement.date_middle = False

    @api.depends("date_start", "date_end")
    def _compute_calendar_days(self):
        for placement in self:
            if placement.date_start and placement.date_end:
                days = (placement.date_end - placement.date_start).days + 1
                placement.calendar_days = max(days, 0)
            else:
                placement.calendar_days = 0

    @api.depends("class_id")
    def _compute_teacher_id(self):
        for placement in self:
            placement.teacher_id = placement.class_id.teacher_id or placement.teacher_id

    @api.depends("student_id", "partner_id", "date_start", "date_end")
    def _compute_display_name(self):
        for placement in self:
            host = placement.partner_id.name or self.env._("no host yet")
            placement.display_name = self.env._(
                "%(student)s – %(host)s",
                student=placement.student_id.name or "",
                host=host,
            )

    @api.constrains("date_start", "date_end", "class_id")
    def _check_dates(self):
        for placement in self:
            if placement.date_end < placement.date_start:
                raise ValidationError(
                    self.env._(
                        "The placement of %(student)s ends before it starts.",
                        student=placement.student_id.name,
                    )
                )
            first_day, last_day = school_year_bounds(placement.class_id.school_year)
            if placement.date_start < first_day or placement.date_end > last_day:
                raise ValidationError(
                    self.env._(
                        "The placement of %(student)s must lie within the school "
                        "year %(year)s (%(first)s to %(last)s).",
                        student=placement.student_id.name,
                        year=placement.class_id.school_year,
                        first=first_day,
                        last=last_day,
                    )
                )

    @api.constrains("student_id", "date_start", "date_end", "state")
    def _check_overlap(self):
        """A student is in one placement at a time: two live placements (not
        cancelled) of one student never overlap. One search for the batch."""
        live = self.filtered(lambda placement: placement.state != "cancelled")
        if not live:
            return
        # As superuser: the clashing placement may be one the user cannot read.
        others = self.sudo().search(
            [
                ("student_id", "in", live.student_id.ids),
                ("state", "!=", "cancelled"),
                ("date_start", "<=", max(live.mapped("date_end"))),
                ("date_end", ">=", min(live.mapped("date_start"))),
            ]
        )
        by_student = defaultdict(list)
        for other in others:
            by_student[other.student_id].append(other)
        for placement in live:
            for other in by_student[placement.student_id]:
                if (
                    other != placement
                    and other.date_start <= placement.date_end
                    and other.date_end >= placement.date_start
                ):
                    raise ValidationError(
                        self.env._(
                            "%(student)s already has a placement from %(start)s "
                            "to %(end)s: two placements of a student cannot "
                            "overlap.",
                            student=placement.student_id.name,
                            start=other.date_start,
                            end=other.date_end,
                        )
                    )

    @api.constrains("state", "partner_id", "tutor_id")
    def _check_host(self):
        for placement in self:
            if placement.state in HOSTED_STATES and not (
                placement.partner_id and placement.tutor_id
            ):
                raise ValidationError(
                    self.env._(
                        "Name the host and the tutor of %(student)s's placement first.",
                        student=placement.student_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_rules(vals)
        self._lock_allowance_students(
            self.env["res.partner"].browse(
                {vals["student_id"] for vals in vals_list if vals.get("student_id")}
            )
        )
        placements = super().create(vals_list)
        placements.tutor_id._bde_mark_as_tutor()
        placements._recompute_allowance(track=True)
        return placements

    def write(self, vals):
        self._check_write_rules(vals)
        return self._write_trusted(vals)

    def _write_trusted(self, vals):
        """The write itself, for the placement's own paths once they checked
        who takes them (the steps, the tutor's confirmation and evaluation):
        a private method, out of reach of RPC, so that nobody skips the rules
        of ``write``."""
        new_tutor = "tutor_id" in vals and self.filtered(
            lambda placement: placement.tutor_id.id != (vals["tutor_id"] or False)
        )
        if "days_done" in vals and "attendance_confirmed_date" not in vals:
            # The tutor confirmed other figures: a change by the staff voids it.
            self.filtered(
                lambda placement: (
                    placement.attendance_confirmed_date
                    and placement.days_done != vals["days_done"]
                )
            )._write_trusted(
                {
                    "attendance_confirmed_date": False,
                    "attendance_confirmed_by_id": False,
                }
            )
        if not ALLOWANCE_FIELDS & vals.keys():
            res = super().write(vals)
        else:
            self._lock_allowance_students(
                self.student_id | self.env["res.partner"].browse(vals.get("student_id"))
            )
            before = self._allowance_siblings()
            res = super().write(vals)
            (before | self)._recompute_allowance(track=True)
        if vals.get("tutor_id"):
            # Once written: the lycée's tutors' list reads its placements.
            self.tutor_id._bde_mark_as_tutor()
        if new_tutor:
            # The link sent to the former tutor opens nothing any more; the
            # new tutor is sent a new one.
            new_tutor.sudo()._write_trusted({"access_token": False})
        return res

    def unlink(self):
        self._lock_allowance_students(self.student_id)
        siblings = self._allowance_siblings() - self
        res = super().unlink()
        siblings._recompute_allowance(track=True)
        return res

    # State transitions
    def action_host_found(self):
        self._check_state_from({"searching"})
        self._write_trusted({"state": "host_found"})

    def action_to_sign(self):
        self._check_state_from({"host_found"})
        self._write_trusted({"state": "to_sign"})

    def action_sign(self):
        """The convention is signed for the lycée by its head of school or
        the BDE team, never by a referent teacher alone."""
        if not self.env.user.has_group("bde_lycee.group_bde_officer"):
            raise AccessError(
                self.env._("Only the BDE team records a signed convention.")
            )
        self._bde_signed_step()

    def action_start(self):
        self._check_state_from({"signed"})
        self._write_trusted({"state": "in_progress"})

    def action_done(self):
        self._check_state_from({"in_progress"})
        self._write_trusted({"state": "done"})

    def action_evaluate(self):
        """A placement is evaluated once its host has been rated at least once,
        so that every ended placement feeds the host's quality score."""
        self._check_state_from({"done"})
        unrated = self.filtered(lambda placement: not placement.rating_ids)
        if unrated:
            raise UserError(
                self.env._(
                    "Rate the host of %(students)s before marking the placement "
                    "as evaluated.",
                    students=", ".join(unrated.student_id.mapped("name")),
                )
            )
        self._write_trusted({"state": "evaluated"})

    def action_reset(self):
        self._check_state_from({"cancelled"})
        self._write_trusted(
            {"state": "searching", "stop_reason": False, "date_stopped": False}
        )

    def action_open_stop_wizard(self):
        """Cancelling or interrupting asks for the reason in a dialog."""
        stop = self.env.context.get("bde_stop", "cancel")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Interrupt the placement")
            if stop == "interrupt"
            else self.env._("Cancel the placement"),
            "res_model": "bde.pfmp.placement.stop",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_placement_ids": self.ids,
                "default_stop": stop,
            },
        }

    def _action_stop(self, stop, reason, date_stopped=False):
        """Cancel a placement that has not started, or interrupt one in
        progress (early ending); both keep the reason."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason first."))
        if stop == "interrupt":
            self._check_state_from({"in_progress"})
            self._write_trusted(
                {
                    "state": "interrupted",
                    "stop_reason": reason,
                    "date_stopped": date_stopped or fields.Date.context_today(self),
                }
            )
        else:
            self._check_state_from({"searching", "host_found", "to_sign", "signed"})
            self._write_trusted({"state": "cancelled", "stop_reason": reason})

    @api.model
    def _bde_within_lycee_days(self, field_name, today, days_field):
        """``field_name`` at the latest the lycée's own number of days
        (``days_field`` of the company) after ``today``: one clause per
        lycée, each has its own setting."""
        companies = self.env["res.company"].sudo().search([])
        clauses = [
            [
                ("company_id", "=", company.id),
                (field_name, "<=", today + timedelta(days=company[days_field])),
            ]
            for company in companies
        ]
        return expression.OR(clauses) if clauses else [(0, "=", 1)]

    def _check_state_from(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for placement in self:
            if placement.state not in allowed:
                raise UserError(
                    self.env._(
                        "The placement of %(student)s is %(state)s: this step is "
                        "not possible now.",
                        student=placement.student_id.name,
                        state=labels[placement.state],
                    )
                )
