from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import BdePfmpCase


class BdeTutorPortalCase(BdePfmpCase):
    """A tutor with a portal account and a colleague tutor of the same host,
    each tutoring one student in placement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tutor.email = "paul.tuteur@example.com"
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Nadia Collègue",
                "parent_id": cls.company_partner.id,
                "email": "nadia.collegue@example.com",
                "bde_is_tutor": True,
            }
        )
        cls.user_tutor = new_test_user(
            cls.env,
            login="tutor_portal",
            password="tutor_portal_pw",
            groups="base.group_portal",
            partner_id=cls.tutor.id,
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.placement = cls._make_placement(state="in_progress")
        cls.colleague_placement = cls._make_placement(
            student=cls.student_adult, tutor_id=cls.colleague.id, state="in_progress"
        )


@tagged("post_install", "-at_install", "bde_pfmp")
class TestTutorPortal(BdeTutorPortalCase):
    def test_portal_tutor_reads_only_their_trainees(self):
        Placement = self.env["bde.pfmp.placement"].with_user(self.user_tutor)
        self.assertEqual(Placement.search([]), self.placement)
        with self.assertRaises(AccessError):
            self.colleague_placement.with_user(self.user_tutor).check_access("read")
        with self.assertRaises(AccessError):
            self.placement.with_user(self.user_tutor).write({"days_done": 3})

    def test_access_url_is_the_tutor_page(self):
        self.assertEqual(self.placement.access_url, f"/my/pfmp/{self.placement.id}")
        url = self.placement.get_portal_url()
        self.assertTrue(self.placement.access_token)
        self.assertIn(f"access_token={self.placement.access_token}", url)

    def _in_tutors_list(self, partner, lycee=None):
        """Whether ``partner`` is in the tutors' list of ``lycee`` (the
        placement's lycée by default)."""
        tutors_list = self.env["mailing.list"]._bde_get_lycee_lists(
            lycee or self.placement.company_id, ["tutors"]
        )
        return bool(
            self.env["mailing.subscription"].search_count(
                [
                    ("list_id", "=", tutors_list.id),
                    ("contact_id.bde_partner_id", "=", partner.id),
                ]
            )
        )

    def test_tutor_of_a_placement_joins_the_tutors_list(self):
        newcomer = self.env["res.partner"].create(
            {
                "name": "Marc Nouveau",
                "parent_id": self.company_partner.id,
                "email": "marc.nouveau@example.com",
            }
        )
        self.assertFalse(newcomer.bde_is_tutor)
        self.assertFalse(self._in_tutors_list(newcomer))
        # The placement is under way: its tutor changes by a signed amendment.
        self.placement._write_trusted({"tutor_id": newcomer.id})
        self.assertTrue(newcomer.bde_is_tutor)
        self.assertTrue(self._in_tutors_list(newcomer))
        # The tutors' list of the placement's lycée, no other.
        self.assertNotEqual(self.placement.company_id, self.other_lycee)
        self.assertFalse(self._in_tutors_list(newcomer, self.other_lycee))
        # Named at creation too.
        other = self.env["res.partner"].create(
            {
                "name": "Zoé Nouvelle",
                "parent_id": self.company_partner.id,
                "email": "zoe.nouvelle@example.com",
            }
        )
        self.assertFalse(other.bde_is_tutor)
        self._make_placement(
            student=self.student_adult,
            state="searching",
            tutor_id=other.id,
            date_start="2025-12-01",
            date_end="2025-12-12",
            period_id=False,
        )
        self.assertTrue(other.bde_is_tutor)
        self.assertTrue(self._in_tutors_list(other))

    def test_tutor_of_two_lycees_is_in_both_lists(self):
        self.assertTrue(self._in_tutors_list(self.tutor))
        self.assertFalse(self._in_tutors_list(self.tutor, self.other_lycee))
        other_placement = self._make_other_lycee_placement(state="searching")
        # Already a tutor: naming them in a placement of the other lycée puts
        # them in that lycée's list as well.
        other_placement.tutor_id = self.tutor
        self.assertTrue(self._in_tutors_list(self.tutor, self.other_lycee))
        self.assertTrue(self._in_tutors_list(self.tutor))

    def test_tutor_evaluation(self):
        with self.assertRaises(AccessError):
            self.placement._submit_tutor_evaluation("3", "Bon travail", self.colleague)
        with self.assertRaises(UserError):
            self.placement._submit_tutor_evaluation("3", "   ", self.tutor)
        with self.assertRaises(UserError):
            self.placement._submit_tutor_evaluation("9", "Bon travail", self.tutor)
        self.placement._submit_tutor_evaluation("3", " Bon travail ", self.tutor)
        self.assertEqual(self.placement.tutor_evaluation_level, "3")
        self.assertEqual(self.placement.tutor_evaluation, "Bon travail")
        self.assertTrue(self.placement.tutor_evaluation_date)
        message = self.placement.message_ids.filtered(
            lambda message: "Bon travail" in str(message.body)
        )
        self.assertEqual(message.author_id, self.tutor)

    def test_no_evaluation_before_the_placement_starts(self):
        placement = self._make_placement(
            student=self.student_adult,
            period_id=False,
            date_start="2025-12-01",
            date_end="2025-12-12",
        )
        with self.assertRaises(UserError):
            placement._submit_tutor_evaluation("3", "Bon travail", self.tutor)
        self.assertFalse(placement.tutor_evaluation_date)

    def test_documents_follow_the_state(self):
        self.assertEqual(list(self.placement._get_tutor_documents()), ["convention"])
        self.placement.state = "done"
        self.assertEqual(
            list(self.placement._get_tutor_documents()), ["convention", "attestation"]
        )
        searching = self._make_placement(
            student=self.student_adult,
            state="searching",
            partner_id=False,
            tutor_id=False,
            period_id=False,
            date_start="2025-12-01",
            date_end="2025-12-12",
        )
        self.assertEqual(searching._get_tutor_documents(), {})

    def test_send_the_tutor_link(self):
        action = self.placement.with_user(self.user_teacher).action_send_tutor_link()
        self.assertEqual(action["tag"], "display_notification")
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "=", self.tutor.id)], order="id desc", limit=1
        )
        self.assertIn(
            f"/my/pfmp/{self.placement.id}?access_token={self.placement.access_token}",
            mail.body_html,
        )
        self.assertIn("Léa Martin", mail.body_html)
        self.assertTrue(mail.auto_delete)
        # The chatter says the link went, without the link.
        note = self.placement.message_ids[:1]
        self.assertIn(f"sent to the tutor {self.tutor.name}", str(note.body))
        self.assertNotIn(self.placement.access_token, str(note.body))
        self.tutor.email = False
        with self.assertRaises(UserError):
            self.placement.action_send_tutor_link()


@tagged("post_install", "-at_install", "bde_pfmp")
class TestTutorPortalHttp(HttpCase, BdeTutorPortalCase):
    # During the fixture's placements (November 2025): a tutor's link expires
    # some days after the placement's end.
    freeze_time = "2025-11-20 10:00:00"

    def _url(self, placement, suffix="", token=None):
        url = f"/my/pfmp/{placement.id}{suffix}"
        return f"{url}?access_token={token}" if token else url

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_tutor_sees_their_trainee_only(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["pfmp_count"]}
        )
        self.assertEqual(counters["pfmp_count"], 1)
        response = self.url_open("/my/pfmp")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Léa Martin", response.text)
        self.assertNotIn("Hugo Bernard", response.text)
        response = self.url_open(self._url(self.placement))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Léa Martin", response.text)
        self.assertIn("bde_teacher", response.text)
        response = self.url_open(self._url(self.colleague_placement))
        self.assertEqual(response.status_code, 404)

    def test_token_link_without_login(self):
        token = self.colleague_placement._portal_ensure_token()
        response = self.url_open(self._url(self.colleague_placement, token=token))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Hugo Bernard", response.text)
        for url in (
            self._url(self.colleague_placement),
            self._url(self.colleague_placement, token="wrong-token"),
            self._url(self.placement, token=token),
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)

    def test_attendance_confirmed_by_the_tutor(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        url = self._url(self.placement, "/attendance")
        response = self._post(url, days_done="18")
        self.assertEqual(response.status_code, 200)
        self.assertIn("the attendance is confirmed", response.text)
        self.placement.invalidate_recordset()
        self.assertEqual(self.placement.days_done, 18)
        self.assertEqual(self.placement.attendance_confirmed_by_id, self.tutor)
        # More days than the 26 calendar days: refused, nothing written.
        response = self._post(url, days_done="40")
        self.assertIn("alert-danger", response.text)
        response = self._post(url, days_done="dix")
        self.assertIn("whole number", response.text)
        self.placement.invalidate_recordset()
        self.assertEqual(self.placement.days_done, 18)

    def test_tutor_cannot_post_on_a_colleague_placement(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        response = self._post(
            self._url(self.colleague_placement, "/attendance"), days_done="5"
        )
        self.assertEqual(response.status_code, 404)
        self.colleague_placement.invalidate_recordset()
        self.assertEqual(self.colleague_placement.days_done, 0)

    def test_evaluation_through_the_token_link(self):
        # A visitor without account: a public session carries the CSRF token.
        self.authenticate(None, None)
        token = self.colleague_placement._portal_ensure_token()
        response = self._post(
            self._url(self.colleague_placement, "/evaluation"),
            access_token=token,
            level="4",
            evaluation="Très bonne implication en rayon.",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your evaluation is recorded", response.text)
        self.colleague_placement.invalidate_recordset()
        self.assertEqual(self.colleague_placement.tutor_evaluation_level, "4")
        self.assertEqual(
            self.colleague_placement.tutor_evaluation,
            "Très bonne implication en rayon.",
        )
        message = self.colleague_placement.message_ids.filtered(
            lambda message: "Très bonne implication" in str(message.body)
        )
        self.assertEqual(message.author_id, self.colleague)

    def test_documents_download(self):
        token = self.placement._portal_ensure_token()
        response = self.url_open(
            self._url(self.placement, "/document/convention", token)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # Under test, Odoo renders the report's HTML instead of calling
        # wkhtmltopdf: read the student's name in it.
        self.assertIn("Léa Martin", response.text)
        attestation = self._url(self.placement, "/document/attestation", token)
        self.assertEqual(self.url_open(attestation).status_code, 404)
        self.placement.state = "done"
        self.assertEqual(self.url_open(attestation).status_code, 200)
        unknown = self._url(self.placement, "/document/payslip", token)
        self.assertEqual(self.url_open(unknown).status_code, 404)
