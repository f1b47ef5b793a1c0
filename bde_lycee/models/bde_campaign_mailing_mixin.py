from odoo import fields, models
from odoo.exceptions import UserError


class BdeCampaignMailingMixin(models.AbstractModel):
    """A campaign of one lycée that mails a list of recipients: companies
    asked for the apprenticeship tax, hosts asked for their places, alumni
    asked what they do. Its name follows what it asks about (each model
    computes it), and its recipients are lines added once each, then mailed
    once each.

    A model whose recipients are lines (a One2many whose lines have a partner
    and a state) names them in ``_recipient_field`` and the state of a line
    still to mail in ``_recipient_state_to_send`` (a new line's state); it
    gives its messages, written in its own module so that they are translated
    with it."""

    _name = "bde.campaign.mailing.mixin"
    _description = "Mailing campaign of a lycée"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True

    _recipient_field = None
    _recipient_state_to_send = None

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    def _add_recipients(self, partners):
        """Add a line for each of ``partners`` that the campaign does not hold
        yet, so that clicking again adds only the newcomers; returns the
        notification that says how many were added."""
        self.ensure_one()
        comodel = self._fields[self._recipient_field].comodel_name
        partners -= self[self._recipient_field].partner_id
        self.env[comodel].create(
            [self._prepare_recipient_values(partner) for partner in partners]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if partners else "info",
                "message": self._get_recipients_added_message(len(partners)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _get_recipients_to_send(self):
        """The lines still to mail; an error when none is left, rather than a
        send that mails nobody."""
        self.ensure_one()
        recipients = self[self._recipient_field].filtered(
            lambda line: line.state == self._recipient_state_to_send
        )
        if not recipients:
            raise UserError(self._get_nobody_to_send_message())
        return recipients

    def _prepare_recipient_values(self, partner):
        self.ensure_one()
        return {
            "campaign_id": self.id,
            "partner_id": partner.id,
            "state": self._recipient_state_to_send,
        }

    def _get_recipients_added_message(self, count):
        raise NotImplementedError

    def _get_nobody_to_send_message(self):
        raise NotImplementedError
