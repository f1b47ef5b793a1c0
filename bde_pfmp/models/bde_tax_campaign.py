from odoo import models
from odoo.osv import expression

from .bde_pfmp_placement import SIGNED_STATES

# The companies that hosted a placement in the last three school years still
# know the lycée's students: they are asked for the apprenticeship tax too.
TAX_HOST_SCHOOL_YEARS = 3


class BdeTaxCampaign(models.Model):
    _inherit = "bde.tax.campaign"

    def _get_target_partner_domain(self):
        self.ensure_one()
        return expression.OR(
            [
                super()._get_target_partner_domain(),
                [("id", "in", self._get_recent_host_partners().ids)],
            ]
        )

    def _tax_host_school_years(self):
        """The school years that end in the campaign's year or in the two
        before: for the 2026 campaign, 2023-2024 to 2025-2026."""
        self.ensure_one()
        return [
            f"{year - 1}-{year}"
            for year in range(self.year - TAX_HOST_SCHOOL_YEARS + 1, self.year + 1)
        ]

    def _get_recent_host_partners(self):
        """Companies that hosted a placement of the lycée (convention signed)
        in the last school years. As superuser: the BDE officer running the
        campaign may not read every placement, only the host matters here."""
        self.ensure_one()
        placements_sudo = self.env["bde.pfmp.placement"].sudo()
        groups = placements_sudo._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("school_year", "in", self._tax_host_school_years()),
                ("state", "in", list(SIGNED_STATES)),
                ("partner_id", "!=", False),
            ],
            ["partner_id"],
        )
        return (
            self.env["res.partner"]
            .browse(partner.id for (partner,) in groups)
            .commercial_partner_id
        )
