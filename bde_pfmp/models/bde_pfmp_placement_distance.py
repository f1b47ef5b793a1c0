from odoo import api, models

from ..geo import DistanceKm

# The positions a placement's distances are computed from: the host's site
# (its own address, else the host's), the lycée, the student's home.
SITE_POSITION = (
    "site_id.partner_latitude",
    "site_id.partner_longitude",
    "partner_id.partner_latitude",
    "partner_id.partner_longitude",
)


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Stored to be sorted, filtered and averaged; recomputed when a position
    # changes (geocoding, a move, the erasure of a home).
    distance_lycee_km = DistanceKm(
        string="Distance from the lycée (km)",
        digits=(16, 1),
        compute="_compute_distance_lycee_km",
        store=True,
        aggregator="avg",
        help="As the crow flies, from the lycée to the host's site (the host's "
        "address when no site is given); empty while a position is unknown.",
    )
    # Tells where the student lives: the lycée's staff only (not the tutor on
    # the portal, nor the network reader).
    distance_home_km = DistanceKm(
        string="Distance from home (km)",
        digits=(16, 1),
        compute="_compute_distance_home_km",
        store=True,
        aggregator="avg",
        groups="bde_lycee.group_bde_user",
        help="As the crow flies, from the student's home to the host's site; "
        "empty while a position is unknown.",
    )

    def _bde_site(self):
        """Where the student works: the site if one is given, else the host."""
        self.ensure_one()
        return self.site_id or self.partner_id

    @api.depends(
        *SITE_POSITION,
        "company_id.partner_id.partner_latitude",
        "company_id.partner_id.partner_longitude",
    )
    def _compute_distance_lycee_km(self):
        for placement in self:
            placement.distance_lycee_km = placement._bde_site()._bde_distance_to(
                placement.company_id.partner_id
            )

    @api.depends(
        *SITE_POSITION, "student_id.partner_latitude", "student_id.partner_longitude"
    )
    def _compute_distance_home_km(self):
        for placement in self:
            placement.distance_home_km = placement._bde_site()._bde_distance_to(
                placement.student_id
            )
