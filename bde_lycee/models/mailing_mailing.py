from odoo import api, fields, models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Only the users of this lycée read the mailing and its statistics. "
        "A mailing to mailing lists belongs to the lycée of its lists.",
    )
    # A lycée never mails the lists of another lycée.
    contact_list_ids = fields.Many2many(check_company=True)

    @api.depends("contact_list_ids")
    def _compute_company_id(self):
        for mailing in self:
            mailing.company_id = (
                mailing.contact_list_ids.company_id[:1]
                or mailing.company_id
                or self.env.company
            )
