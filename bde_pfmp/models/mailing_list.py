from odoo import models
from odoo.osv import expression


class MailingList(models.Model):
    _inherit = "mailing.list"

    def _bde_get_tutor_domain(self):
        """A lycée's tutors are also those who tutor one of its placements."""
        placements = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._search(
                [("company_id", "=", self.company_id.id), ("tutor_id", "!=", False)]
            )
        )
        return expression.OR(
            [
                super()._bde_get_tutor_domain(),
                [("id", "in", placements.subselect("tutor_id"))],
            ]
        )
