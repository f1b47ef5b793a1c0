from odoo import api, fields, models

HORIZONS = [
    ("short", "Within 1 year"),
    ("medium", "1 to 3 years"),
    ("long", "3 years or more"),
]


class BdeSkill(models.Model):
    """A skill companies ask for, as a tag: needs are grouped by skill in the
    analysis of the lycée's training offer."""

    _name = "bde.skill"
    _description = "Skill"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A skill with this name already exists."),
    ]


class BdeSkillNeed(models.Model):
    """A need in skills expressed by a partner company (axis 1 of the
    circular): the BDE records them so that the lycée can argue for changes
    to its training offer (carte des formations)."""

    _name = "bde.skill.need"
    _description = "Skill need"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "job_title"
    _check_company_auto = True

    # The need
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    job_title = fields.Char(
        string="Job", required=True, tracking=True, help="e.g. Vendeur conseil"
    )
    headcount = fields.Integer(
        default=1, required=True, tracking=True, help="Number of people wanted."
    )
    skill_ids = fields.Many2many("bde.skill", string="Skills")
    contract_kind = fields.Selection(
        selection=[
            ("job", "Job"),
            ("apprenticeship", "Apprenticeship"),
            ("pfmp", "PFMP hosting"),
            ("other", "Other"),
        ],
        string="Kind",
        default="job",
        required=True,
    )
    horizon = fields.Selection(HORIZONS, default="short", required=True, tracking=True)
    date_needed = fields.Date(string="Needed by", tracking=True)
    note = fields.Html()

    # Where it leads in the lycée
    formation_id = fields.Many2one(
        "bde.formation", index=True, tracking=True, check_company=True
    )
    sector_id = fields.Many2one(
        "bde.sector",
        compute="_compute_sector_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Sector of the formation, else the company's first sector.",
    )

    # Follow-up
    date = fields.Date(
        string="Recorded on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("considered", "Taken into account"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "headcount_positive",
            "CHECK (headcount > 0)",
            "The headcount of a skill need must be at least 1.",
        ),
    ]

    @api.depends("formation_id.sector_id", "partner_id.bde_sector_ids")
    def _compute_sector_id(self):
        for need in self:
            need.sector_id = (
                need.formation_id.sector_id or need.partner_id.bde_sector_ids[:1]
            )

    def action_consider(self):
        self.state = "considered"

    def action_close(self):
        self.state = "closed"

    def action_reset(self):
        self.state = "new"
