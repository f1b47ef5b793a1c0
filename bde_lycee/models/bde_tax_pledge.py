from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BdeTaxPledge(models.Model):
    """What one company does with the balance of its apprenticeship tax for
    the lycée in one campaign: asked, promised on SOLTéA, received, thanked."""

    _name = "bde.tax.pledge"
    _description = "Apprenticeship tax pledge"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, amount_promised desc, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "bde.tax.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    year = fields.Integer(related="campaign_id.year", store=True)
    company_id = fields.Many2one(
        related="campaign_id.company_id", string="Lycée", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        domain="[('parent_id', '=', partner_id)]",
        help="Person of the company who receives the request; the company's "
        "own address when empty.",
    )
    formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations",
        help="Formations the company chose to support on SOLTéA.",
    )
    soltea_formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations to choose",
        compute="_compute_soltea_formation_ids",
        help="Formations named in the request: those of the pledge when set, "
        "else all the formations of the lycée.",
    )

    # Amounts and their follow-up
    amount_promised = fields.Monetary(string="Promised", tracking=True)
    date_promised = fields.Date(
        compute="_compute_date_promised",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    amount_received = fields.Monetary(string="Received", tracking=True)
    date_received = fields.Date(
        compute="_compute_date_received",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("to_contact", "To contact"),
            ("contacted", "Contacted"),
            ("promised", "Promised"),
            ("received", "Received"),
            ("declined", "Declined"),
        ],
        compute="_compute_state",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        group_expand=True,
    )
    thanked = fields.Boolean(tracking=True)
    date_thanked = fields.Date(tracking=True)
    note = fields.Html()

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique (campaign_id, partner_id)",
            "This company already has a pledge in this campaign.",
        ),
        (
            "amount_promised_positive",
            "CHECK (amount_promised >= 0)",
            "The promised amount cannot be negative.",
        ),
        (
            "amount_received_positive",
            "CHECK (amount_received >= 0)",
            "The received amount cannot be negative.",
        ),
    ]

    @api.depends("partner_id.name", "year")
    def _compute_display_name(self):
        for pledge in self:
            pledge.display_name = f"{pledge.partner_id.name or ''} – {pledge.year}"

    @api.depends("formation_ids", "company_id")
    def _compute_soltea_formation_ids(self):
        lycee_formations = {
            lycee: self._get_lycee_formations(lycee) for lycee in self.company_id
        }
        for pledge in self:
            pledge.soltea_formation_ids = pledge.formation_ids or lycee_formations.get(
                pledge.company_id, self.env["bde.formation"]
            )

    @api.depends("amount_promised")
    def _compute_date_promised(self):
        today = fields.Date.context_today(self)
        for pledge in self:
            pledge.date_promised = pledge.date_promised or (
                today if pledge.amount_promised else False
            )

    @api.depends("amount_received")
    def _compute_date_received(self):
        today = fields.Date.context_today(self)
        for pledge in self:
            pledge.date_received = pledge.date_received or (
                today if pledge.amount_received else False
            )

    @api.depends("amount_promised", "amount_received")
    def _compute_state(self):
        """Money speaks louder than the state picked by hand: a received
        amount makes the pledge received, a promise makes a pledge still
        being asked promised."""
        for pledge in self:
            if pledge.amount_received > 0:
                pledge.state = "received"
            elif pledge.amount_promised > 0 and pledge.state in (
                False,
                "to_contact",
                "contacted",
            ):
                pledge.state = "promised"
            else:
                pledge.state = pledge.state or "to_contact"

    @api.constrains("state", "amount_received", "thanked")
    def _check_received(self):
        """The state picked by hand follows the money too: a pledge is
        received when, and only when, an amount came in, and only a received
        pledge is thanked; the campaign's figures count them so."""
        for pledge in self:
            if (pledge.state == "received") != (pledge.amount_received > 0):
                raise ValidationError(
                    self.env._(
                        "The pledge of %(company)s is received when an amount "
                        "is received: enter the amount, or keep the state it "
                        "had.",
                        company=pledge.partner_id.name,
                    )
                )
            if pledge.thanked and pledge.state != "received":
                raise ValidationError(
                    self.env._(
                        "Only a received pledge is thanked (%(company)s).",
                        company=pledge.partner_id.name,
                    )
                )

    def action_send_request(self):
        """Send the SOLTéA request to the companies and log it on each pledge."""
        self._check_recipient_emails()
        template = self.env.ref("bde_lycee.mail_template_bde_tax_request")
        for pledge in self:
            pledge.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.filtered(lambda p: p.state == "to_contact").state = "contacted"

    def action_thank(self):
        """Mark the pledges thanked and print their thank-you letters."""
        not_received = self.filtered(lambda p: p.state != "received")
        if not_received:
            raise UserError(
                self.env._(
                    "Only received pledges can be thanked: %(names)s.",
                    names=", ".join(not_received.mapped("display_name")),
                )
            )
        self.write({"thanked": True, "date_thanked": fields.Date.context_today(self)})
        return self.env.ref(
            "bde_lycee.action_report_bde_tax_pledge_thanks"
        ).report_action(self)

    def action_decline(self):
        self.state = "declined"

    def action_reset(self):
        self.state = "to_contact"

    def _check_recipient_emails(self):
        without_email = self.filtered(
            lambda p: not (p.contact_id or p.partner_id).email
        )
        if without_email:
            raise UserError(
                self.env._(
                    "No request was sent: these companies have no e-mail address: "
                    "%(names)s.",
                    names=", ".join(without_email.partner_id.mapped("display_name")),
                )
            )

    @api.model
    def _get_lycee_formations(self, lycee):
        """Formations the lycée teaches: its own ones and the shared ones it
        has classes in."""
        return self.env["bde.formation"].search(
            [
                "|",
                ("company_id", "=", lycee.id),
                ("class_ids.company_id", "=", lycee.id),
            ]
        )
