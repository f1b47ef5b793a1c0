from odoo import api, fields, models
from odoo.osv import expression


class BdeTaxCampaign(models.Model):
    """One yearly campaign of the lycée for the balance of the apprenticeship
    tax (solde de la taxe d'apprentissage): the companies are asked to choose
    the lycée on SOLTéA, their pledges are followed and thanked."""

    _name = "bde.tax.campaign"
    _description = "Apprenticeship tax campaign"
    _inherit = ["bde.campaign.mailing.mixin"]
    _order = "year desc, id desc"
    _recipient_field = "pledge_ids"
    _recipient_state_to_send = "to_contact"

    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
        help="Year of the SOLTéA campaign in which the companies allocate the "
        "balance of their apprenticeship tax.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Start date", tracking=True)
    date_end = fields.Date(
        string="Deadline",
        tracking=True,
        help="Last day for the companies to make their choices on SOLTéA; "
        "given in the request mail.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="BDE contact",
        default=lambda self: self.env.user,
        tracking=True,
        help="Person named in the request mail as the companies' contact.",
    )
    signatory_id = fields.Many2one(
        "res.users",
        string="Head of school",
        help="Signs the thank-you letters.",
    )
    note = fields.Html()

    # Pledges and their totals
    pledge_ids = fields.One2many("bde.tax.pledge", "campaign_id", string="Pledges")
    pledge_count = fields.Integer(compute="_compute_totals")
    amount_promised_total = fields.Monetary(
        string="Promised", compute="_compute_totals"
    )
    amount_received_total = fields.Monetary(
        string="Received", compute="_compute_totals"
    )
    amount_target = fields.Monetary(
        string="Target",
        tracking=True,
        help="Amount the lycée hopes to receive in this campaign; the tax "
        "analysis shows it beside the amounts promised and received.",
    )
    received_rate = fields.Float(
        string="Received / promised (%)",
        compute="_compute_totals",
        help="Share of the promised amounts already received.",
    )

    _sql_constraints = [
        (
            "year_company_uniq",
            "unique (year, company_id)",
            "This lycée already has an apprenticeship tax campaign for this year.",
        ),
        (
            "dates_check",
            "CHECK (date_start IS NULL OR date_end IS NULL OR date_start <= date_end)",
            "The campaign cannot end before it starts.",
        ),
    ]

    @api.depends("year")
    def _compute_name(self):
        for campaign in self:
            campaign.name = self.env._(
                "Apprenticeship tax %(year)s", year=campaign.year
            )

    @api.depends("pledge_ids.amount_promised", "pledge_ids.amount_received")
    def _compute_totals(self):
        totals = {
            campaign: (count, promised, received)
            for campaign, count, promised, received in self.env[
                "bde.tax.pledge"
            ]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id"],
                ["__count", "amount_promised:sum", "amount_received:sum"],
            )
        }
        for campaign in self:
            count, promised, received = totals.get(campaign, (0, 0.0, 0.0))
            campaign.pledge_count = count
            campaign.amount_promised_total = promised
            campaign.amount_received_total = received
            campaign.received_rate = 100.0 * received / promised if promised else 0.0

    def action_start(self):
        self.state = "running"

    def action_close(self):
        self.state = "closed"

    def action_draft(self):
        self.state = "draft"

    def action_add_targets(self):
        """Add a pledge to contact for every target company that has none yet
        in the campaign; clicking again adds only the newcomers."""
        return self._add_recipients(self._get_target_partners())

    def action_send_request(self):
        """Send the request mail to every company still to contact."""
        self._get_recipients_to_send().action_send_request()

    def _get_recipients_added_message(self, count):
        return self.env._("%(count)s companies added to the campaign.", count=count)

    def _get_nobody_to_send_message(self):
        return self.env._("No company of %(name)s is left to contact.", name=self.name)

    def action_view_pledges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.bde_tax_pledge_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_pledge_analysis(self):
        """The campaign's target and amounts by formation, in the tax
        analysis filtered on the campaign."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.bde_tax_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        # Rows: the target, then the formations chosen, then the pledges
        # that chose none, each under its own label.
        action["context"] = {
            "pivot_row_groupby": ["line_type", "formation_id"],
            "graph_groupbys": ["formation_id"],
        }
        return action

    def _get_target_partner_domain(self):
        """Companies the campaign asks for their tax: the active partners of
        the campaign's lycée, never another lycée's. Modules that know other
        companies close to the lycée (PFMP hosts, alumni employers) extend it
        with ``expression.OR`` on super()'s result."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        return expression.AND(
            [
                [("is_company", "=", True)],
                expression.OR(
                    [
                        Partner._bde_partner_status_domain("active", self.company_id),
                        [("id", "in", self._get_won_lead_partners().ids)],
                    ]
                ),
            ]
        )

    def _get_target_partners(self):
        self.ensure_one()
        # Whoever the modules target, an establishment closed in the SIRENE
        # directory is not solicited.
        return self.env["res.partner"].search(
            expression.AND(
                [self._get_target_partner_domain(), [("bde_sirene_closed", "=", False)]]
            )
        )

    def _get_won_lead_partners(self):
        """Companies of the won leads of the BDE pipeline of the lycée."""
        bde_team = self.env.ref("bde_lycee.crm_team_bde", raise_if_not_found=False)
        if not bde_team:
            return self.env["res.partner"]
        leads = self.env["crm.lead"].search(
            [
                ("team_id", "=", bde_team.id),
                ("stage_id.is_won", "=", True),
                ("partner_id", "!=", False),
                ("company_id", "in", [self.company_id.id, False]),
            ]
        )
        return leads.partner_id.commercial_partner_id
