from markupsafe import escape

from odoo import api, fields, models

from ..geo import DistanceKm


class BdePfmpHostOffer(models.Model):
    """An offer on the map (OCA's leaflet_map view) at its site, or at its
    host when it names no site, with its distance from the lycée; the list
    and the map open on the current school year's offers."""

    _name = "bde.pfmp.host.offer"
    _inherit = ["bde.pfmp.host.offer", "bde.pfmp.school.year.mixin"]

    latitude = fields.Float(compute="_compute_position", digits=(10, 7))
    longitude = fields.Float(compute="_compute_position", digits=(10, 7))
    # OCA's map view reads date_localization of every model it shows.
    date_localization = fields.Date(
        string="Geolocation date", compute="_compute_position"
    )
    distance_lycee_km = DistanceKm(
        string="Distance from the lycée (km)",
        digits=(16, 1),
        compute="_compute_distance_lycee_km",
        store=True,
        aggregator="avg",
        help="As the crow flies, from the lycée to the site of the offer (the "
        "host's address when no site is given); empty while a position is "
        "unknown.",
    )
    # The map's popup puts them into HTML as they are: escaped here.
    map_title = fields.Char(compute="_compute_map")
    map_popup = fields.Char(string="Map details", compute="_compute_map")

    def _bde_site(self):
        """Where the students work: the site if one is given, else the host."""
        self.ensure_one()
        return self.site_id or self.partner_id

    @api.depends(
        "site_id.partner_latitude",
        "site_id.partner_longitude",
        "site_id.date_localization",
        "partner_id.partner_latitude",
        "partner_id.partner_longitude",
        "partner_id.date_localization",
    )
    def _compute_position(self):
        for offer in self:
            site = offer._bde_site()
            offer.latitude = site.partner_latitude
            offer.longitude = site.partner_longitude
            offer.date_localization = site.date_localization

    @api.depends(
        "site_id.partner_latitude",
        "site_id.partner_longitude",
        "partner_id.partner_latitude",
        "partner_id.partner_longitude",
        "company_id.partner_id.partner_latitude",
        "company_id.partner_id.partner_longitude",
    )
    def _compute_distance_lycee_km(self):
        for offer in self:
            offer.distance_lycee_km = offer._bde_site()._bde_distance_to(
                offer.company_id.partner_id
            )

    @api.depends(
        "display_name",
        "site_id.city",
        "partner_id.city",
        "places_left",
        "partner_id.bde_host_rating_avg",
        "distance_lycee_km",
    )
    def _compute_map(self):
        for offer in self:
            offer.map_title = escape(offer.display_name or "")
            offer.map_popup = self.env["res.partner"]._bde_map_popup_html(
                offer._bde_site().city,
                offer.places_left,
                offer.partner_id.bde_host_rating_avg,
                offer.distance_lycee_km,
            )
