from odoo import fields, models


class FrSiretLookupLine(models.TransientModel):
    """OCA's lookup result: a SIRET already known opens its company instead
    of copying it onto another partner; the establishment's state in the
    directory is recorded with it."""

    _inherit = "fr.siret.lookup.line"

    def update_partner(self):
        self.ensure_one()
        partner = self.wizard_id.partner_id
        known = partner._bde_find_by_siret(self.siret)
        if known and known != partner:
            return known.action_bde_open()
        result = super().update_partner()
        partner.write(
            {
                "bde_sirene_closed": not self.active,
                "bde_sirene_checked_on": fields.Date.context_today(partner),
            }
        )
        return result
