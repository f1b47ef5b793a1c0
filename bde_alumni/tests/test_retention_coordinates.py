from freezegun import freeze_time

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
