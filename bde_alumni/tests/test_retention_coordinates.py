from freezegun import freeze_time

from odoo.addons.bde_pfmp.geo import haversine_km

from .common import BdeAlumniCase

HOME = {
    "street": "3 rue des Lilas",
    "zip": "69003",
    "city": "Lyon",
    "partner_latitude": 45.7597,
    "partner_longitude": 4.8553,
}


@freeze_time("2025-07-05")
class TestRetentionCoordinates(BdeAlumniCase):
    """A home's coordinates are personal data: erased with the address at
    the end of the retention period."""

    def test_home_coordinates_erased_with_the_address(self):
        former = self._make_alumni("Yanis Roux", "2020-07-04", **HOME)
        member = self._make_alumni("Inès Garcia", "2020-07-04", **HOME)
        member._bde_alumni_give_consent(network=True, source="graduation")
        self.assertTrue(former.date_localization)

        self.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise").method_direct_trigger()

        self.assertTrue(former.bde_alumni_anonymised)
        self.assertEqual(
            (former.partner_latitude, former.partner_longitude), (0.0, 0.0)
        )
        self.assertFalse(former.date_localization)
        self.assertFalse(former.bde_address_not_found)
        # The member of the network keeps their home and its position.
        self.assertEqual(member.partner_latitude, HOME["partner_latitude"])
        self.assertTrue(member.date_localization)

    def test_home_distance_of_placements_erased_with_the_home(self):
        """A placement's distance from home tells where the student lived: it
        goes with the home's coordinates; the distance from the lycée stays
        for the lycée's figures."""
        former = self._make_alumni("Yanis Roux", "2020-07-04", **HOME)
        host = self.company_partner
        host.write({"partner_latitude": 45.7622, "partner_longitude": 4.8359})
        self.lycee.partner_id.write(
            {"partner_latitude": 45.7489, "partner_longitude": 4.8426}
        )
        period = self.env["bde.pfmp.period"].create(
            {
                "name": "PFMP distance",
                "class_id": self.school_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )
        placement = self.env["bde.pfmp.placement"].create(
            {"student_id": former.id, "period_id": period.id, "partner_id": host.id}
        )
        self.assertTrue(placement.distance_home_km)

        self.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise").method_direct_trigger()

        self.assertTrue(former.bde_alumni_anonymised)
        self.assertIs(placement.distance_home_km, False)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT distance_home_km, distance_lycee_km FROM bde_pfmp_placement "
            "WHERE id = %s",
            [placement.id],
        )
        home, lycee = self.env.cr.fetchone()
        self.assertIsNone(home)
        self.assertAlmostEqual(
            float(lycee), haversine_km(45.7489, 4.8426, 45.7622, 4.8359), delta=0.05
        )
