from odoo import http
from odoo.tests import HttpCase, tagged

from .test_tutor_portal import BdeTutorPortalCase

# 3 to 28 November 2025: 20 weekdays less the Armistice.
WORKING_DAYS = 19


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAttendancePortal(HttpCase, BdeTutorPortalCase):
    """The tutor records absences on the placement's page, through their
    portal account or their personal link, then confirms the days done."""

    freeze_time = "2025-11-20 10:00:00"

    def _post(self, placement, suffix, token=None, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        if token:
            data["access_token"] = token
        return self.url_open(f"/my/pfmp/{placement.id}{suffix}", data=data)

    def _post_absence(self, placement, token=None, **data):
        values = {"date": "2025-11-04", "duration": "morning", "reason": "illness"}
        return self._post(placement, "/absence", token=token, **{**values, **data})

    def test_portal_tutor_records_and_removes_an_absence(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        page = self.url_open(f"/my/pfmp/{self.placement.id}")
        self.assertIn("Record an absence", page.text)
        self.assertIn(f"Confirm {WORKING_DAYS} days done", page.text)
        response = self._post_absence(self.placement, note="Rendez-vous médical")
        self.assertEqual(response.status_code, 200)
        self.assertIn("The absence is recorded", response.text)
        absence = self.placement.absence_ids
        self.assertEqual(len(absence), 1)
        self.assertEqual(absence.recorded_by_id, self.tutor)
        self.assertEqual(absence.note, "Rendez-vous médical")
        self.assertFalse(absence.justified)
        self.assertTrue(absence.activity_ids, "unjustified: the lycée is alerted")
        self.assertEqual(self.placement.days_done, WORKING_DAYS - 1)
        # The same half-day again: refused on the page, nothing written.
        response = self._post_absence(self.placement)
        self.assertIn("alert-danger", response.text)
        self.assertEqual(len(self.placement.absence_ids), 1)
        response = self._post(self.placement, f"/absence/{absence.id}/remove")
        self.assertIn("The absence is removed", response.text)
        self.assertFalse(self.placement.absence_ids.exists())
        self.assertEqual(self.placement.days_done, WORKING_DAYS)

    def test_token_link_records_and_confirms(self):
        token = self.colleague_placement._portal_ensure_token()
        self.authenticate(None, None)
        response = self._post_absence(
            self.colleague_placement, token=token, duration="day", justified="1"
        )
        self.assertIn("The absence is recorded", response.text)
        absence = self.colleague_placement.absence_ids
        self.assertEqual(absence.recorded_by_id, self.colleague)
        self.assertTrue(absence.justified)
        self.assertFalse(absence.activity_ids)
        # The chatter names the tutor, not the public user of the link.
        self.assertIn(self.colleague, self.colleague_placement.message_ids.author_id)
        response = self._post(self.colleague_placement, "/attendance", token=token)
        self.assertIn("the attendance is confirmed", response.text)
        self.assertEqual(self.colleague_placement.days_done, WORKING_DAYS - 1)
        self.assertEqual(
            self.colleague_placement.attendance_confirmed_by_id, self.colleague
        )
        # Confirmed: the tutor neither adds nor removes an absence.
        response = self._post_absence(
            self.colleague_placement, token=token, date="2025-11-05"
        )
        self.assertIn("ask the lycée", response.text)
        response = self._post(
            self.colleague_placement, f"/absence/{absence.id}/remove", token=token
        )
        self.assertIn("ask the lycée", response.text)
        self.assertEqual(self.colleague_placement.absence_ids, absence)

    def test_bad_input_is_refused_with_a_message(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        for data, message in (
            ({"date": "2025-11-08"}, "not a working day"),
            ({"date": "2025-12-01"}, "must be between"),
            ({"date": "le 4"}, "Give the date"),
            ({"duration": "week"}, "Choose the duration"),
            ({"note": "x" * 1001}, "limited to"),
        ):
            with self.subTest(data=data):
                response = self._post_absence(self.placement, **data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        self.assertFalse(self.placement.absence_ids)

    def test_tutor_removes_only_what_they_recorded(self):
        absence = self.env["bde.pfmp.absence"].create(
            {
                "placement_id": self.placement.id,
                "date": "2025-11-04",
                "recorded_by_id": self.user_teacher.partner_id.id,
            }
        )
        self.authenticate("tutor_portal", "tutor_portal_pw")
        response = self._post(self.placement, f"/absence/{absence.id}/remove")
        self.assertIn("only the absences you recorded", response.text)
        self.assertTrue(absence.exists())

    def test_other_tutors_lycees_and_links_get_nothing(self):
        other_lycee_placement = self._make_other_lycee_placement(
            tutor_id=self.colleague.id, state="in_progress"
        )
        expired = self._make_placement(
            class_id=self.school_class.id,
            period_id=False,
            date_start="2025-09-08",
            date_end="2025-09-19",
            state="in_progress",
        )
        expired_token = expired._portal_ensure_token()
        own_token = self.placement._portal_ensure_token()
        self.authenticate("tutor_portal", "tutor_portal_pw")
        for placement, token in (
            (self.colleague_placement, None),
            (self.colleague_placement, own_token),
            (other_lycee_placement, None),
            (other_lycee_placement, own_token),
        ):
            with self.subTest(placement=placement.id, token=bool(token)):
                response = self._post_absence(placement, token=token)
                self.assertEqual(response.status_code, 404)
                self.assertFalse(placement.absence_ids)
        self.authenticate(None, None)
        response = self._post_absence(expired, token=expired_token, date="2025-09-09")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(expired.absence_ids)
