from odoo import api, fields, models

PARTNER_STATUSES = [
    ("prospect", "Prospect"),
    ("active", "Active partner"),
    ("former", "Former partner"),
]


class BdePartnerRelation(models.Model):
    """The relationship of one lycée with one company. Companies are shared
    by the lycées of the network, their partnership is not: each lycée has
    its own status, dates, notes and follow-up of the same company, which no
    other lycée reads."""

    _name = "bde.partner.relation"
    _description = "Partnership of a lycée with a company"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_status desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    status = fields.Selection(
        selection=PARTNER_STATUSES,
        required=True,
        default="prospect",
        tracking=True,
        help="Where the company stands with the lycée's BDE: a prospect of the "
        "pipeline, an active partner (a convention in force or a won lead) or "
        "a former one.",
    )
    date_status = fields.Date(
        string="Status since",
        compute="_compute_date_status",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_partner_since = fields.Date(
        string="Partner since",
        compute="_compute_date_partner_since",
        store=True,
        readonly=False,
        precompute=True,
        help="Day the company first became an active partner of the lycée.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="BDE contact",
        check_company=True,
        tracking=True,
        help="Person of the lycée who follows the company.",
    )
    note = fields.Html(
        string="Notes",
        help="The lycée's own notes on the company, read by no other lycée.",
    )

    _sql_constraints = [
        (
            "company_partner_uniq",
            "unique (company_id, partner_id)",
            "This lycée already has a partnership record for this company.",
        ),
    ]

    @api.depends("partner_id.name", "company_id.name")
    def _compute_display_name(self):
        for relation in self:
            relation.display_name = (
                f"{relation.partner_id.name or ''} – {relation.company_id.name or ''}"
            )

    @api.depends("status")
    def _compute_date_status(self):
        today = fields.Date.context_today(self)
        for relation in self:
            relation.date_status = today

    @api.depends("status")
    def _compute_date_partner_since(self):
        today = fields.Date.context_today(self)
        for relation in self:
            if relation.status == "active" and not relation.date_partner_since:
                relation.date_partner_since = today
            else:
                relation.date_partner_since = relation.date_partner_since

    @api.model_create_multi
    def create(self, vals_list):
        relations = super().create(vals_list)
        relations.partner_id._bde_sync_mailing_lists()
        return relations

    def write(self, vals):
        res = super().write(vals)
        if {"status", "partner_id", "company_id"} & vals.keys():
            self.partner_id._bde_sync_mailing_lists()
        return res

    @api.model
    def _bde_set_status(self, partners, company, status, overwrite=True):
        """Give ``partners`` the ``status`` in ``company``'s relation, creating
        the relation where there is none; with ``overwrite`` false, only
        partners without a relation get it (a partner is never downgraded)."""
        relations = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        )
        if overwrite:
            relations.filtered(lambda r: r.status != status).status = status
        missing = partners - relations.partner_id
        return relations | self.create(
            [
                {"partner_id": partner.id, "company_id": company.id, "status": status}
                for partner in missing
            ]
        )
