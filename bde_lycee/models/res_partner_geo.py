from odoo import api, fields, models
from odoo.osv import expression

from ..ban_client import BanClient

# The address fields whose change makes base_geolocalize forget the
# coordinates (its res.partner.write); the date goes with them here.
GEO_ADDRESS_FIELDS = ("street", "zip", "city", "state_id", "country_id")
GEO_FIELDS = ("partner_latitude", "partner_longitude")
# Partners geocoded by one run of the cron: a few requests of the BAN.
DEFAULT_CRON_LIMIT = 5000


class ResPartner(models.Model):
    """Coordinates of the partners placed on the map (base_geolocalize's
    partner_latitude/partner_longitude): the lycées, students' homes and, in
    bde_pfmp, the hosts and their sites; French addresses are geocoded in
    batches by the Base Adresse Nationale."""

    _inherit = "res.partner"

    bde_address_not_found = fields.Boolean(
        string="Address not found",
        readonly=True,
        copy=False,
        help="The Base Adresse Nationale found no sure match for this address: "
        "correct it and it will be geocoded again.",
    )

    def write(self, vals):
        vals = self._bde_geo_write_values(vals)
        return super().write(vals)

    def _bde_geo_write_values(self, vals):
        """A new address makes the coordinates to be found again (never
        geocoded, not "not found" any more); coordinates written by hand are
        dated, so that the cron keeps them."""
        if "date_localization" in vals:
            return vals
        if any(name in vals for name in GEO_ADDRESS_FIELDS) and not all(
            name in vals for name in GEO_FIELDS
        ):
            return dict(vals, date_localization=False, bde_address_not_found=False)
        if any(name in vals for name in GEO_FIELDS):
            located = any(vals.get(name) for name in GEO_FIELDS)
            return dict(
                vals,
                date_localization=located and fields.Date.context_today(self),
                bde_address_not_found=False,
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if any(vals.get(name) for name in GEO_FIELDS):
                vals.setdefault("date_localization", today)
        return super().create(vals_list)

    @api.model
    def _bde_geocode_kind_domains(self):
        """The kinds of partners placed on the map: the lycées (distances
        count from them) and the students' homes; bde_pfmp adds the hosts."""
        lycees = self.env["res.company"].sudo().search([]).partner_id
        return [[("id", "in", lycees.ids)], [("bde_is_student", "=", True)]]

    @api.model
    def _bde_geocode_domain(self):
        """Partners of these kinds, with a French address, to geocode: never
        geocoded or whose address changed since, and not found before."""
        return expression.AND(
            [
                expression.OR(self._bde_geocode_kind_domains()),
                [
                    ("date_localization", "=", False),
                    ("bde_address_not_found", "=", False),
                    ("city", "!=", False),
                    ("country_id", "in", [False, self.env.ref("base.fr").id]),
                ],
            ]
        )

    @api.model
    def _cron_bde_geocode(self, limit=None):
        if limit is None:
            parameter = self.env["ir.config_parameter"].sudo()
            limit = int(
                parameter.get_param("bde_lycee.geocode_cron_limit", DEFAULT_CRON_LIMIT)
            )
        partners = self.search(self._bde_geocode_domain(), limit=limit, order="id")
        partners._bde_geocode()
        self.env["ir.cron"]._notify_progress(
            done=len(partners),
            remaining=self.search_count(self._bde_geocode_domain()),
        )

    def action_bde_geocode(self):
        """The list's "Geocode addresses": the selection's French addresses,
        a request of the BAN per batch."""
        located, not_found = self._bde_geocode()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if not_found else "success",
                "message": self.env._(
                    "%(located)s addresses geocoded, %(not_found)s not found "
                    "(see the filter Address not found); addresses abroad "
                    "or without a city are left out.",
                    located=located,
                    not_found=not_found,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _bde_geocode(self):
        """Geocode these partners' French addresses with the Base Adresse
        Nationale, one request per batch; all the batches are asked before
        anything is written, so a service down changes nothing. Returns the
        numbers (located, not found)."""
        france = self.env.ref("base.fr")
        # No country: a French lycée's address book, France.
        french = self.filtered(
            lambda p: p.city and (not p.country_id or p.country_id == france)
        )
        client = BanClient(self.env)
        matches = {}
        for start in range(0, len(french), client.batch_size):
            batch = french[start : start + client.batch_size]
            matches.update(
                client.search_batch(
                    {
                        str(partner.id): (partner.street, partner.zip, partner.city)
                        for partner in batch
                    }
                )
            )
        return self._bde_write_geocodes(french, matches)

    def _bde_write_geocodes(self, partners, matches):
        min_score = self.env["base.geocoder"]._bde_ban_min_score()
        today = fields.Date.context_today(self)
        not_found = self.browse()
        for partner in partners:
            latitude, longitude, score = matches.get(str(partner.id), (0, 0, 0))
            if score < min_score:
                not_found |= partner
                continue
            partner.write(
                {
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                    "date_localization": today,
                    "bde_address_not_found": False,
                }
            )
        not_found.write({"bde_address_not_found": True})
        return len(partners) - len(not_found), len(not_found)
