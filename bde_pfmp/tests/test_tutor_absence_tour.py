from odoo.tests import HttpCase, new_test_user, tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestTutorAbsenceTour(HttpCase, BdePfmpCase):
    def test_tutor_records_an_absence(self):
        new_test_user(
            self.env,
            login="tutor_tour",
            password="tutor_tour",
            groups="base.group_portal",
            partner_id=self.tutor.id,
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        placement = self._make_placement(state="in_progress")
        self.start_tour("/my/pfmp", "bde_pfmp_tutor_absence_tour", login="tutor_tour")
        absence = placement.absence_ids
        self.assertEqual(len(absence), 1)
        self.assertEqual(absence.duration, "afternoon")
        self.assertFalse(absence.justified)
        self.assertEqual(absence.recorded_by_id, self.tutor)
        self.assertEqual(placement.days_done, 18)
