from odoo import fields, models


class MailingSubscription(models.Model):
    _inherit = "mailing.subscription"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="list_id.company_id", store=True, index=True, string="Lycée"
    )
    # A lycée's list holds its own contacts only (or shared ones).
    contact_id = fields.Many2one(check_company=True)
