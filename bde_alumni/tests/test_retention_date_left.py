from freezegun import freeze_time

from .common import BdeAlumniCase


@freeze_time("2025-07-05")
class TestRetentionDateLeft(BdeAlumniCase):
    """The day SIECLE says a student left is erased with the rest of their
    personal data at the end of the retention period; the exit year that
    the indicators count stays."""

    def test_date_left_erased(self):
        former = self._make_alumni(
            "Yanis Roux", "2020-07-04", bde_date_left="2020-03-12"
        )
        member = self._make_alumni(
            "Inès Garcia", "2020-07-04", bde_date_left="2020-03-12"
        )
        member._bde_alumni_give_consent(network=True, source="graduation")

        self.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise").method_direct_trigger()

        self.assertTrue(former.bde_alumni_anonymised)
        self.assertFalse(former.bde_date_left)
        self.assertEqual(former.bde_exit_year, 2020)
        self.assertEqual(str(member.bde_date_left), "2020-03-12")
