from odoo import api, fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    bde_company_id = fields.Many2one(
        "res.company",
        string="Lycée of the note",
        index="btree_not_null",
        readonly=True,
        help="Lycée of the note or message on a shared company this file was "
        "sent with: only that lycée's users read it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Set from the message the file is sent with, never by a client.
        if not self.env.su:
            for vals in vals_list:
                vals.pop("bde_company_id", None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            vals.pop("bde_company_id", None)
        return super().write(vals)
