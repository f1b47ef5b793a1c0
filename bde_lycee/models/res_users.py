from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _bde_is_network_reader_only(self):
        """The academic correspondent: reads the network's figures, works in
        no lycée (a head of school is a network reader too, and staff)."""
        self.ensure_one()
        return self.has_group(
            "bde_lycee.group_bde_network_reader"
        ) and not self.has_group("bde_lycee.group_bde_user")

    def _bde_default_lycees(self):
        """Lycées a dashboard or an indicator covers when it opens: the
        network view of the academic correspondent spans every lycée they
        follow, without ticking them in the company switcher; a lycée's staff
        see the lycées selected in the switcher."""
        self.ensure_one()
        if self._bde_is_network_reader_only():
            return self.company_ids
        return self.env.companies
