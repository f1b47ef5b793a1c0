from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import formatLang

from ..geo import haversine_km


class ResPartner(models.Model):
    """Hosts and sites on the map, and the distances of the placements and
    offers at them."""

    _inherit = "res.partner"

    # The inverses of the links the distances of placements and offers depend
    # on: the ORM reads them for a whole batch of moved partners at once,
    # where it would otherwise search the dependents of each partner in turn
    # (geocoding 1,000 addresses).
    bde_host_placement_ids = fields.One2many(
        "bde.pfmp.placement", "partner_id", string="Placements as host"
    )
    bde_site_placement_ids = fields.One2many(
        "bde.pfmp.placement", "site_id", string="Placements at this site"
    )
    bde_site_offer_ids = fields.One2many(
        "bde.pfmp.host.offer", "site_id", string="Offers at this site"
    )

    # The map of the host directory (OCA's leaflet_map view): its popup puts
    # the title and the address it reads into HTML as they are, so they are
    # given escaped, never a name as typed.
    bde_map_title = fields.Char(string="Map title", compute="_compute_bde_map")
    bde_map_popup = fields.Char(string="Map details", compute="_compute_bde_map")

    @api.depends("name", "city", "bde_host_rating_avg")
    @api.depends_context("uid", "allowed_company_ids", "bde_distance_from_id")
    def _compute_bde_map(self):
        for partner in self:
            partner.bde_map_title = escape(partner.name or "")
            partner.bde_map_popup = self._bde_map_popup_html(
                partner.city,
                partner.bde_places_left,
                partner.bde_host_rating_avg,
                partner._bde_has_position() and partner.bde_distance_km,
            )

    @api.model
    def _bde_map_popup_html(self, city, places_left, rating, distance):
        """The lines of a host's popup on the map, escaped."""
        lines = [
            city,
            self.env._("Places left: %(places)s", places=places_left),
            rating
            and self.env._(
                "Rating: %(rating)s / 5", rating=formatLang(self.env, rating, digits=1)
            ),
            distance
            and self.env._(
                "%(km)s km away", km=formatLang(self.env, distance, digits=1)
            ),
        ]
        return str(Markup("<br/>").join(escape(line) for line in lines if line))

    def _bde_distance_to(self, other):
        """Distance in km as the crow flies from this partner to ``other``,
        False when either is missing or has no known position."""
        if not (self and other and self._bde_has_position()):
            return False
        if not other._bde_has_position():
            return False
        return haversine_km(
            self.partner_latitude,
            self.partner_longitude,
            other.partner_latitude,
            other.partner_longitude,
        )
