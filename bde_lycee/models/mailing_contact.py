from odoo import fields, models


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    bde_partner_id = fields.Many2one(
        "res.partner",
        string="Contact in the address book",
        index="btree_not_null",
        ondelete="cascade",
        help="Partner this mailing contact mirrors in a list kept in sync by the "
        "BDE: its name and e-mail follow the partner's.",
    )
