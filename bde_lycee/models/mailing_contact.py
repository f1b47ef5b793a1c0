from odoo import fields, models


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        index=True,
        default=lambda self: self.env.company,
        help="Only the users of this lycée read the contact. Leave empty for a "
        "contact shared by every lycée of the database.",
    )
    bde_partner_id = fields.Many2one(
        "res.partner",
        string="Contact in the address book",
        index="btree_not_null",
        ondelete="cascade",
        help="Partner this mailing contact mirrors in a list kept in sync by the "
        "BDE: its name and e-mail follow the partner's.",
    )
