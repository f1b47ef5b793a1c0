from odoo import api, fields, models


class BdeFormation(models.Model):
    """A diploma speciality taught by the lycée (CAP, Bac pro, BTS, MC...)."""

    _name = "bde.formation"
    _description = "Formation"
    _inherit = ["mail.thread"]
    _order = "level, name, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    level = fields.Selection(
        selection=[
            ("cap", "CAP"),
            ("bac_pro", "Bac pro"),
            ("bp", "BP"),
            ("bma", "BMA"),
            ("mc", "MC (mention complémentaire)"),
            ("cs", "CS (certificat de spécialisation)"),
            ("bts", "BTS"),
            ("other", "Other"),
        ],
        required=True,
        default="bac_pro",
        tracking=True,
    )
    diploma_code = fields.Char(
        help="Code of the diploma in the national database (code diplôme, "
        "8 characters), e.g. 40031213.",
        tracking=True,
    )
    mef_ids = fields.Many2many(
        "bde.mef",
        string="MEFs",
        compute="_compute_mef_ids",
        help="The MEFs of the diploma in the national nomenclature: one per "
        "year of study.",
    )
    sector_id = fields.Many2one("bde.sector", string="Sector")
    duration_years = fields.Integer(
        string="Duration (years)",
        default=3,
        help="Number of years of study of the formation.",
    )
    pfmp_weeks = fields.Integer(
        string="PFMP weeks",
        help="Weeks of work placement over the whole formation, as set by the "
        "diploma's referential.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        help="Leave empty for a formation shared by the lycées of the database.",
    )
    class_ids = fields.One2many("bde.class", "formation_id", string="Classes")
    class_count = fields.Integer(compute="_compute_class_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "diploma_code_company_uniq",
            "unique (diploma_code, company_id)",
            "A formation with this diploma code already exists for this lycée.",
        ),
    ]

    @api.depends("diploma_code")
    def _compute_mef_ids(self):
        codes = {code for code in self.mapped("diploma_code") if code}
        mefs = self.env["bde.mef"].search([("diploma_code", "in", list(codes))])
        for formation in self:
            formation.mef_ids = mefs.filtered(
                lambda mef, code=formation.diploma_code: mef.diploma_code == code
            )

    @api.depends("class_ids")
    def _compute_class_count(self):
        counts = dict(
            self.env["bde.class"]._read_group(
                [("formation_id", "in", self.ids)], ["formation_id"], ["__count"]
            )
        )
        for formation in self:
            formation.class_count = counts.get(formation, 0)

    def action_view_classes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.bde_class_action"
        )
        action["domain"] = [("formation_id", "=", self.id)]
        action["context"] = {"default_formation_id": self.id}
        return action
