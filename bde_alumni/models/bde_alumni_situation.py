from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import create_index, format_date

# The follow-up points of the insertion indicators (InserJeunes).
MONTHS_AFTER_EXIT = (6, 12, 18, 24)
STATUSES = [
    ("employed", "Employed"),
    ("studies", "Further studies"),
    ("seeking", "Job seeking"),
    ("other", "Other"),
    ("unknown", "Unknown"),
]
CONTRACT_TYPES = [
    ("permanent", "Permanent (CDI)"),
    ("fixed_term", "Fixed-term (CDD)"),
    ("temp", "Temporary work"),
    ("apprenticeship", "Apprenticeship"),
    ("self_employed", "Self-employed"),
]
SOURCES = [
    ("survey", "Survey"),
    ("phone", "Phone call"),
    ("self", "Alumni's own update"),
    ("other", "Other"),
]


class BdeAlumniSituation(models.Model):
    """What an alumni does at a date: the nominative follow-up from which the
    BDE counts its insertion indicators."""

    _name = "bde.alumni.situation"
    _description = "Alumni situation"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Alumni",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("bde_is_alumni", "=", True)],
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", string="Lycée", store=True, index=True
    )
    exit_formation_id = fields.Many2one(
        related="partner_id.bde_exit_formation_id", store=True, index=True
    )
    exit_year = fields.Integer(related="partner_id.bde_exit_year", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    months_after_exit = fields.Integer(
        string="Months after exit",
        compute="_compute_months_after_exit",
        store=True,
        readonly=False,
        tracking=True,
        help="Follow-up point this situation counts for: 6, 12, 18 or 24 "
        "months after exit (proposed from the date).",
    )
    status = fields.Selection(STATUSES, required=True, default="unknown", tracking=True)
    # Employment details: only an employed alumni has them, they are cleared
    # when the status changes to another one.
    contract_type = fields.Selection(
        CONTRACT_TYPES,
        compute="_compute_employment",
        store=True,
        readonly=False,
        tracking=True,
    )
    employer_id = fields.Many2one(
        "res.partner",
        string="Employer",
        compute="_compute_employment",
        store=True,
        readonly=False,
        domain=[("is_company", "=", True)],
        help="The employer when it is in the address book (a partner company).",
    )
    employer_name = fields.Char(
        compute="_compute_employment",
        store=True,
        readonly=False,
        help="The employer's name when it is not a partner.",
    )
    job_title = fields.Char(string="Job")
    study_formation = fields.Char(
        string="Formation followed", help="For further studies: diploma and school."
    )
    source = fields.Selection(SOURCES, required=True, default="other")
    note = fields.Text()

    def init(self):
        # The insertion indicators read each alumni's latest situation at each
        # point: one index look-up per alumni and point, so that counting one
        # lycée reads its alumni's situations alone.
        create_index(
            self.env.cr,
            "bde_alumni_situation_partner_point_index",
            self._table,
            ["partner_id", "months_after_exit", "date DESC", "id DESC"],
        )

    @api.depends(
        "status", "job_title", "employer_id", "employer_name", "study_formation"
    )
    def _compute_display_name(self):
        """What the alumni does, as the directory shows it: the job and the
        employer, the formation followed, else the status."""
        statuses = dict(self._fields["status"]._description_selection(self.env))
        for situation in self:
            employer = situation.employer_id.name or situation.employer_name
            if situation.status == "employed" and (situation.job_title or employer):
                parts = [situation.job_title, employer]
                situation.display_name = " – ".join(part for part in parts if part)
            elif situation.status == "studies" and situation.study_formation:
                situation.display_name = situation.study_formation
            else:
                situation.display_name = statuses.get(situation.status, "")

    @api.depends("date", "partner_id.bde_exit_date")
    def _compute_months_after_exit(self):
        for situation in self:
            exit_date = situation.partner_id.bde_exit_date
            if not (exit_date and situation.date):
                situation.months_after_exit = situation.months_after_exit or 0
                continue
            delta = relativedelta(situation.date, exit_date)
            elapsed = delta.years * 12 + delta.months
            situation.months_after_exit = min(
                MONTHS_AFTER_EXIT, key=lambda months: (abs(months - elapsed), months)
            )

    @api.depends("status")
    def _compute_employment(self):
        for situation in self:
            if situation.status != "employed":
                situation.contract_type = False
                situation.employer_id = False
                situation.employer_name = False
            else:
                situation.contract_type = situation.contract_type
                situation.employer_id = situation.employer_id
                situation.employer_name = situation.employer_name

    # Also on the date and the alumni: a computed point is only checked with
    # the fields it was computed from.
    @api.constrains("months_after_exit", "date", "partner_id")
    def _check_months_after_exit(self):
        for situation in self:
            if situation.months_after_exit not in MONTHS_AFTER_EXIT:
                raise ValidationError(
                    self.env._(
                        "The situation of %(name)s must count for the follow-up at "
                        "6, 12, 18 or 24 months after exit, not %(months)s.",
                        name=situation.partner_id.display_name,
                        months=situation.months_after_exit,
                    )
                )

    @api.constrains("status", "contract_type", "employer_id", "employer_name")
    def _check_employment(self):
        for situation in self:
            if situation.status != "employed" and (
                situation.contract_type
                or situation.employer_id
                or situation.employer_name
            ):
                raise ValidationError(
                    self.env._(
                        "Only an employed alumni has a contract or an employer: "
                        "change the status of %(name)s's situation to Employed or "
                        "clear the contract and the employer.",
                        name=situation.partner_id.display_name,
                    )
                )

    @api.constrains("date", "partner_id")
    def _check_date_after_exit(self):
        for situation in self:
            exit_date = situation.partner_id.bde_exit_date
            if exit_date and situation.date < exit_date:
                raise ValidationError(
                    self.env._(
                        "The situation of %(name)s is dated %(date)s, before they "
                        "left the lycée on %(exit_date)s.",
                        name=situation.partner_id.display_name,
                        date=format_date(self.env, situation.date),
                        exit_date=format_date(self.env, exit_date),
                    )
                )
