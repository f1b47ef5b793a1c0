from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.bde_pfmp.geo import haversine_km

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
@freeze_time("2025-10-01")
class TestHostOffer(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The lycée in Lyon 7e; hosts at Vénissieux (5 km) and Caluire (5.2 km)
        # and one in Paris (about 390 km).
        cls.lycee.partner_id.write(
            {"partner_latitude": 45.7489, "partner_longitude": 4.8426}
        )
        cls.company_partner.write(
            {
                "partner_latitude": 45.7085,
                "partner_longitude": 4.8712,
                "city": "Vénissieux",
            }
        )
        cls.host_far = cls.env["res.partner"].create(
            {
                "name": "Librairie Paris Test",
                "is_company": True,
                "city": "Paris",
                "partner_latitude": 48.8566,
                "partner_longitude": 2.3522,
                "bde_accepts_minors": True,
            }
        )
        cls.host_no_position = cls.env["res.partner"].create(
            {"name": "Fleuriste Test", "is_company": True, "city": "Lyon"}
        )
        cls.offer = cls._make_offer(cls.company_partner, places=3)
        cls.partners = cls.env["res.partner"].with_company(cls.lycee)

    @classmethod
    def _make_offer(cls, partner, **vals):
        values = {
            "partner_id": partner.id,
            "company_id": cls.lycee.id,
            "school_year": "2025-2026",
            "formation_id": cls.formation.id,
            "places": 1,
        }
        values.update(vals)
        return cls.env["bde.pfmp.host.offer"].create(values)

    def test_places_left(self):
        self.assertEqual((self.offer.places_taken, self.offer.places_left), (0, 3))
        self._make_placement()
        self._make_placement(self.student_adult, state="cancelled")
        self.offer.invalidate_recordset(["places_taken", "places_left"])
        self.assertEqual((self.offer.places_taken, self.offer.places_left), (1, 2))
        self.assertEqual(
            self.company_partner.with_company(self.lycee).bde_places_left, 2
        )
        self.offer.action_decline()
        self.assertEqual(self.offer.places_left, 0)
        self.assertEqual(self.offer.date_confirmed.isoformat(), "2025-10-01")

    def test_places_taken_by_period(self):
        """An offer for one period counts only that period's placements."""
        other_period = self.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 2",
                "class_id": self.school_class.id,
                "date_start": "2026-01-05",
                "date_end": "2026-01-30",
            }
        )
        offer = self._make_offer(self.company_partner, period_id=other_period.id)
        self._make_placement()
        self.assertEqual((offer.places_taken, offer.places_left), (0, 1))

    def test_places_positive(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._make_offer(self.host_far, places=0)

    def test_distance(self):
        self.assertAlmostEqual(
            haversine_km(48.8566, 2.3522, 45.7640, 4.8357), 391.5, delta=0.5
        )
        host = self.company_partner.with_company(self.lycee)
        self.assertAlmostEqual(host.bde_distance_km, 5.0, delta=0.5)
        self.assertAlmostEqual(
            self.host_far.with_company(self.lycee).bde_distance_km, 393.2, delta=0.5
        )
        self.assertEqual(
            self.host_no_position.with_company(self.lycee).bde_distance_km, 0
        )

    def test_directory_filters(self):
        self._make_offer(
            self.host_far, formation_id=self.formation.id, state="declined"
        )
        hosts = self.partners.search([("bde_is_host", "=", True)])
        self.assertIn(self.company_partner, hosts)
        self.assertIn(self.host_far, hosts)
        self.assertNotIn(self.host_no_position, hosts)
        within_10 = self.partners.search([("bde_distance_km", "<=", 10)])
        self.assertIn(self.company_partner, within_10)
        self.assertNotIn(self.host_far, within_10)
        self.assertNotIn(self.host_no_position, within_10)
        with_places = self.partners.search([("bde_places_left", ">", 0)])
        self.assertIn(self.company_partner, with_places)
        self.assertNotIn(self.host_far, with_places)
        by_formation = self.partners.search(
            [("bde_host_offer_ids.formation_id", "ilike", "MCV test")]
        )
        self.assertIn(self.host_far, by_formation)
        self.assertNotIn(self.host_no_position, by_formation)
        minors = self.partners.search(
            [("bde_is_host", "=", True), ("bde_accepts_minors", "=", True)]
        )
        self.assertEqual(minors, self.host_far)

    def test_past_placements(self):
        self._make_placement(state="done", days_done=10)
        host = self.company_partner.with_company(self.lycee)
        self.assertEqual(host.bde_past_placement_count, 1)
        self.assertIn(
            self.company_partner,
            self.partners.search([("bde_past_placement_count", ">", 0)]),
        )
        self.assertNotIn(
            self.host_far, self.partners.search([("bde_past_placement_count", ">", 0)])
        )
        # Another lycée does not count this lycée's placements.
        self.assertEqual(
            self.company_partner.with_user(
                self.user_other_lycee
            ).bde_past_placement_count,
            0,
        )

    def test_access(self):
        offer = self.offer.with_user(self.user_teacher)
        self.assertEqual(offer.places, 3)
        with self.assertRaises(AccessError):
            offer.places = 5
        with self.assertRaises(AccessError):
            self.env["bde.pfmp.host.offer"].with_user(self.user_teacher).create(
                {
                    "partner_id": self.host_far.id,
                    "school_year": "2025-2026",
                    "formation_id": self.formation.id,
                    "places": 1,
                }
            )
        self.offer.with_user(self.user_officer).places = 4
        self.assertEqual(self.offer.places, 4)
        with self.assertRaises(AccessError):
            self.offer.with_user(self.user_other_lycee).read(["places"])
        self.assertFalse(
            self.env["bde.pfmp.host.offer"]
            .with_user(self.user_other_lycee)
            .search([("partner_id", "=", self.company_partner.id)])
        )
