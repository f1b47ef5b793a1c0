from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .test_tutor_portal import BdeTutorPortalCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestTutorLinkHostile(HttpCase, BdeTutorPortalCase):
    """The tutor's personal link in the wrong hands: a former tutor's, an
    expired one, one the staff could read; and a tutor of two lycées, who sees
    the trainees of both."""

    # During the fixture's placements, which end on 28 November 2025.
    freeze_time = "2025-11-20 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.other_lycee.id,
            }
        )
        cls.other_student = cls.env["res.partner"].create(
            {
                "name": "Inès Roux",
                "bde_is_student": True,
                "bde_birthdate": "2007-05-05",
                "bde_class_id": other_class.id,
                "company_id": cls.other_lycee.id,
            }
        )
        other_period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP Lumière",
                "class_id": other_class.id,
                "date_start": "2025-11-10",
                "date_end": "2025-11-21",
            }
        )
        # The same tutor, for a student of the other lycée.
        cls.other_placement = cls._make_placement(
            student=cls.other_student, period_id=other_period.id, state="in_progress"
        )

    # Helpers

    def _url(self, placement, suffix="", token=None):
        url = f"/my/pfmp/{placement.id}{suffix}"
        return f"{url}?access_token={token}" if token else url

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _confirm_with(self, token, days="12"):
        """A visitor without account posts the attendance with ``token``."""
        self.authenticate(None, None)
        return self._post(
            self._url(self.placement, "/attendance"),
            access_token=token,
            days_done=days,
        )

    # A change of tutor

    def _change_tutor(self, tutor):
        """The placement is under way: its tutor changes as a signed
        amendment writes it."""
        self.placement._write_trusted({"tutor_id": tutor.id})

    def test_former_tutor_link_opens_nothing(self):
        old_token = self.placement._portal_ensure_token()
        self.assertEqual(
            self.url_open(self._url(self.placement, token=old_token)).status_code, 200
        )
        self._change_tutor(self.colleague)
        self.assertEqual(
            self.url_open(self._url(self.placement, token=old_token)).status_code, 404
        )
        # The old link records nothing, least of all as the new tutor.
        self.assertEqual(self._confirm_with(old_token).status_code, 404)
        self.placement.invalidate_recordset()
        self.assertFalse(self.placement.attendance_confirmed_by_id)
        self.assertEqual(self.placement.days_done, 0)
        # The new tutor's link names them and works.
        new_token = self.placement._portal_ensure_token()
        self.assertNotEqual(new_token, old_token)
        self.assertTrue(new_token.startswith(f"{self.colleague.id}-"))
        response = self._confirm_with(new_token)
        self.assertIn("the attendance is confirmed", response.text)
        self.placement.invalidate_recordset()
        self.assertEqual(self.placement.attendance_confirmed_by_id, self.colleague)
        # Back to the first tutor: their old link stays dead.
        self._change_tutor(self.tutor)
        self.assertEqual(
            self.url_open(self._url(self.placement, token=old_token)).status_code, 404
        )

    def test_link_is_tied_to_the_current_tutor(self):
        token = self.placement._portal_ensure_token()
        # A change that bypasses ``write`` (a merge of contacts works in SQL).
        self.env.cr.execute(
            "UPDATE bde_pfmp_placement SET tutor_id = %s WHERE id = %s",
            (self.colleague.id, self.placement.id),
        )
        self.placement.invalidate_recordset()
        self.assertEqual(
            self.url_open(self._url(self.placement, token=token)).status_code, 404
        )
        self.assertEqual(self._confirm_with(token).status_code, 404)

    def _post_in_chatter(self, token, text):
        self.authenticate(None, None)
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "bde.pfmp.placement",
                "thread_id": self.placement.id,
                "post_data": {"body": text, "message_type": "comment"},
                "token": token,
            },
        )

    def test_portal_chatter_follows_the_link_rules(self):
        old_token = self.placement._portal_ensure_token()
        self._post_in_chatter(old_token, "Message du tuteur")
        self.assertIn(
            "Message du tuteur", str(self.placement.message_ids.mapped("body"))
        )
        self._change_tutor(self.colleague)
        with self.assertRaises(JsonRpcException):
            self._post_in_chatter(old_token, "Message de l'ancien tuteur")
        token = self.placement._portal_ensure_token()
        with freeze_time("2025-12-29"), self.assertRaises(JsonRpcException):
            self._post_in_chatter(token, "Message hors délai")
        bodies = str(self.placement.message_ids.mapped("body"))
        self.assertNotIn("ancien tuteur", bodies)
        self.assertNotIn("hors délai", bodies)

    # Expiry

    def test_link_expires_after_the_placement(self):
        token = self.placement._portal_ensure_token()
        url = self._url(self.placement, token=token)
        with freeze_time("2025-12-28"):
            self.assertEqual(self.url_open(url).status_code, 200)
        with freeze_time("2025-12-29"):
            self.assertEqual(self.url_open(url).status_code, 404)
            self.assertEqual(self._confirm_with(token).status_code, 404)
            response = self._post(
                self._url(self.placement, "/evaluation"),
                access_token=token,
                level="3",
                evaluation="Bien",
            )
            self.assertEqual(response.status_code, 404)
            # The lycée may keep links open longer.
            self.env["ir.config_parameter"].set_param(
                "bde_pfmp.tutor_link_validity_days", "60"
            )
            self.assertEqual(self.url_open(url).status_code, 200)
            self.env["ir.config_parameter"].set_param(
                "bde_pfmp.tutor_link_validity_days", "30"
            )
            # The tutor's account keeps its history.
            self.authenticate("tutor_portal", "tutor_portal_pw")
            self.assertEqual(self.url_open(self._url(self.placement)).status_code, 200)
        self.placement.invalidate_recordset()
        self.assertFalse(self.placement.tutor_evaluation_date)

    # The token is the tutor's secret

    def test_staff_cannot_read_the_token(self):
        token = self.placement._portal_ensure_token()
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            placement = self.placement.with_user(user)
            placement.invalidate_recordset()
            with self.assertRaises(AccessError):
                placement.read(["access_token"])
            with self.assertRaises(AccessError):
                placement.search([("access_token", "=", token)])
            with self.assertRaises(AccessError):
                placement.get_portal_url()
        # Sending the link works for a teacher, who never sees it.
        self.placement.with_user(self.user_teacher).action_send_tutor_link()
        Message = self.env["mail.message"].with_user(self.user_teacher)
        self.assertFalse(Message.search([("body", "ilike", token)]))
        with self.assertRaises(AccessError):
            self.env["mail.mail"].with_user(self.user_teacher).search([])
        self.assertTrue(
            self.env["mail.mail"].search(
                [("body_html", "ilike", token), ("recipient_ids", "=", self.tutor.id)]
            )
        )

    def test_notifications_carry_the_link_to_the_tutor_only(self):
        self.assertEqual(
            self.placement._mail_get_partners()[self.placement.id], self.tutor
        )

    # A tutor of two lycées

    def test_tutor_of_two_lycees_sees_both(self):
        self.assertNotIn(self.other_lycee, self.user_tutor.company_ids)
        self.authenticate("tutor_portal", "tutor_portal_pw")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["pfmp_count"]}
        )
        self.assertEqual(counters["pfmp_count"], 2)
        response = self.url_open("/my/pfmp")
        self.assertIn("Léa Martin", response.text)
        self.assertIn("Inès Roux", response.text)
        self.assertIn("LP Test Lumière", response.text)
        self.assertNotIn("Hugo Bernard", response.text)
        response = self._post(
            self._url(self.other_placement, "/attendance"), days_done="9"
        )
        self.assertIn("the attendance is confirmed", response.text)
        self.other_placement.invalidate_recordset()
        self.assertEqual(self.other_placement.attendance_confirmed_by_id, self.tutor)
        # Still no colleague's trainee, of either lycée.
        self.assertEqual(
            self.url_open(self._url(self.colleague_placement)).status_code, 404
        )

    def test_staff_of_a_lycee_still_read_their_lycee_only(self):
        Placement = self.env["bde.pfmp.placement"]
        self.assertNotIn(
            self.other_placement, Placement.with_user(self.user_officer).search([])
        )
        self.assertNotIn(
            self.placement, Placement.with_user(self.user_other_lycee).search([])
        )

    # Hostile input on the tutor's pages

    def test_hostile_input(self):
        token = self.placement._portal_ensure_token()
        self.authenticate(None, None)
        for days in ("\x00", "9" * 5000, "1e3", "-5", "3.5"):
            response = self._post(
                self._url(self.placement, "/attendance"),
                access_token=token,
                days_done=days,
            )
            self.assertEqual(response.status_code, 200, days)
            self.assertIn("alert-danger", response.text)
        response = self._post(
            self._url(self.placement, "/evaluation"),
            access_token=token,
            level="3",
            evaluation="E" * 1_000_000,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("limited to 5000 characters", response.text)
        response = self._post(
            self._url(self.placement, "/evaluation"),
            access_token=token,
            level="3\x00",
            evaluation="Bien\x00",
        )
        self.assertIn("alert-danger", response.text)
        response = self._post(
            self._url(self.placement, "/evaluation"),
            access_token=token,
            level="3",
            evaluation="Très\x00 bien",
        )
        self.assertIn("your evaluation is recorded", response.text)
        self.placement.invalidate_recordset()
        self.assertEqual(self.placement.tutor_evaluation, "Très bien")
        self.assertEqual(self.placement.days_done, 0)
        for bad_token in ("%00", "x" * 5000, f"{self.tutor.id}-forged"):
            response = self.url_open(self._url(self.placement, token=bad_token))
            self.assertEqual(response.status_code, 404, bad_token[:20])
