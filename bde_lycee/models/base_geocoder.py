from odoo import api, models

from ..ban_client import BanClient

# Below this score, the Base Adresse Nationale's best match is a guess (a
# street of the same name elsewhere, the town only): not written.
DEFAULT_MIN_SCORE = 0.5


class BaseGeocoder(models.AbstractModel):
    """The Base Adresse Nationale as a provider of Odoo's geocoder, so that
    the "Geolocate" button of one partner asks it too."""

    _inherit = "base.geocoder"

    @api.model
    def _bde_ban_min_score(self):
        parameter = self.env["ir.config_parameter"].sudo()
        return float(parameter.get_param("bde_lycee.ban_min_score", DEFAULT_MIN_SCORE))

    @api.model
    def _geo_query_address_ban(
        self, street=None, zip=None, city=None, state=None, country=None
    ):
        # The BAN knows French addresses only: no state, no country.
        return self._geo_query_address_default(street=street, zip=zip, city=city)

    @api.model
    def _call_ban(self, addr, **kw):
        """(latitude, longitude) of a French address, or None when the BAN
        has no match good enough. Odoo passes the country's English name:
        addresses abroad go to OpenStreetMap, as with Odoo's default."""
        if not addr:
            return None
        country = kw.get("force_country")
        if (
            country
            and country != self.env.ref("base.fr").with_context(lang="en_US").name
        ):
            return self._call_openstreetmap(addr, **kw)
        match = BanClient(self.env).search(addr)
        if not match or match[2] < self._bde_ban_min_score():
            return None
        return match[0], match[1]
