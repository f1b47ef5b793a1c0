from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.bde_lycee.school_year import school_year_of

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestHostMapTour(HttpCase, BdePfmpCase):
    """The host directory and the offers switch to the map in Chromium. The
    tiles are fetched by the browser; the test browser answers any address
    outside the test server with a 404, so the map draws its pins without
    the internet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.partner_id.write(
            {"partner_latitude": 45.7489, "partner_longitude": 4.8426}
        )
        cls.company_partner.write(
            {"city": "Lyon", "partner_latitude": 45.764, "partner_longitude": 4.8357}
        )
        site = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Test, Villeurbanne",
                "parent_id": cls.company_partner.id,
                "type": "other",
                "city": "Villeurbanne",
                "partner_latitude": 45.766,
                "partner_longitude": 4.8796,
            }
        )
        cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": cls.company_partner.id,
                "site_id": site.id,
                "company_id": cls.lycee.id,
                "school_year": school_year_of(fields.Date.today()),
                "formation_id": cls.formation.id,
                "places": 3,
            }
        )

    def test_host_directory_map(self):
        self.start_tour(
            "/odoo/bde-host-directory", "bde_pfmp_host_map_tour", login="bde_officer"
        )

    def test_offers_map(self):
        self.start_tour(
            "/odoo/bde-host-offers", "bde_pfmp_offer_map_tour", login="bde_officer"
        )
