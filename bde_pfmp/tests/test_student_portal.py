from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from ..controllers.portal_student import BdePfmpStudentPortal
from .common import BdePfmpCase

# The models of the students' space: RPC as a portal user reads none of them
# beyond what the routes show (a tutor reads the placements they tutor).
SPACE_MODELS = (
    "bde.pfmp.placement",
    "bde.pfmp.search.step",
    "bde.host.rating",
    "bde.pfmp.host.offer",
)


class BdeStudentPortalCase(BdePfmpCase):
    """Léa (a minor in November 2025) with a portal account and her mother,
    who is also the guardian of Hugo (an adult); a student of the other lycée
    of the same formation; the tutor's portal account; offers of both lycées
    for the formation, open or not to Léa."""

    # During the fixture's period (November 2025): Léa is 17, Hugo 19.
    freeze_time = "2025-11-20 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guardian = cls.env["res.partner"].create(
            {"name": "Sophie Martin", "email": "sophie.martin@example.com"}
        )
        (cls.student | cls.student_adult).bde_legal_guardian_id = cls.guardian
        cls.user_student = cls._make_portal_user("lea_portal", cls.student)
        cls.user_guardian = cls._make_portal_user("guardian_portal", cls.guardian)
        cls.user_tutor = cls._make_portal_user("tutor_portal", cls.tutor)
        other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.other_lycee.id,
            }
        )
        cls.other_student = cls.env["res.partner"].create(
            {
                "name": "Inès Roux",
                "bde_is_student": True,
                "bde_birthdate": "2008-05-05",
                "bde_class_id": other_class.id,
                "company_id": cls.other_lycee.id,
            }
        )
        cls.user_other_student = cls._make_portal_user(
            "ines_portal", cls.other_student, cls.other_lycee
        )
        cls.placement = cls._make_placement(state="in_progress")
        cls.adult_placement = cls._make_placement(
            student=cls.student_adult, state="in_progress"
        )
        cls._make_offers()

    @classmethod
    def _make_portal_user(cls, login, partner, lycee=None):
        lycee = lycee or cls.lycee
        return new_test_user(
            cls.env,
            login=login,
            # The account keeps the person's name (its partner's).
            name=partner.name,
            password=f"{login}_pw",
            groups="base.group_portal",
            partner_id=partner.id,
            company_id=lycee.id,
            company_ids=[lycee.id],
        )

    @classmethod
    def _make_offers(cls):
        Offer = cls.env["bde.pfmp.host.offer"]
        cls.host_lyon = cls.env["res.partner"].create(
            {
                "name": "Fnac Test",
                "is_company": True,
                "city": "Lyon",
                "bde_sector_ids": [cls.sector.id],
            }
        )
        cls.host_villeurbanne = cls.env["res.partner"].create(
            {"name": "Darty Test", "is_company": True, "city": "Villeurbanne"}
        )
        common = {
            "formation_id": cls.formation.id,
            "school_year": "2025-2026",
            "company_id": cls.lycee.id,
            "state": "confirmed",
        }
        cls.offer_period = Offer.create(
            {
                **common,
                "partner_id": cls.host_lyon.id,
                "period_id": cls.period.id,
                "places": 2,
                "accepts_minors": False,
            }
        )
        cls.offer_year = Offer.create(
            {**common, "partner_id": cls.host_villeurbanne.id, "places": 1}
        )
        # Closed to Léa: not confirmed, full (Léa's and Hugo's placements
        # take its places), of the other lycée.
        cls.offer_unconfirmed = Offer.create(
            {**common, "partner_id": cls.host_lyon.id, "state": "to_confirm"}
        )
        cls.offer_full = Offer.create(
            {
                **common,
                "partner_id": cls.company_partner.id,
                "period_id": cls.period.id,
                "places": 2,
            }
        )
        cls.offer_other_lycee = Offer.create(
            {
                **common,
                "partner_id": cls.host_lyon.id,
                "company_id": cls.other_lycee.id,
                "places": 3,
            }
        )


@tagged("post_install", "-at_install", "bde_pfmp")
class TestStudentPortalRules(BdeStudentPortalCase):
    def test_who_reads_which_student(self):
        self.assertEqual(self.student._bde_portal_students(), self.student)
        # The guardian reads the minor, not the adult in their care.
        self.assertEqual(self.guardian._bde_portal_students(), self.student)
        self.assertFalse(self.tutor._bde_portal_students())
        self.student.bde_birthdate = "2000-01-01"
        self.assertFalse(self.guardian._bde_portal_students())
        self.assertEqual(self.student._bde_portal_students(), self.student)

    def test_a_student_who_left_or_is_archived_has_no_space(self):
        self.student.bde_date_left = "2025-11-01"
        self.assertFalse(self.student._bde_portal_students())
        self.assertFalse(self.guardian._bde_portal_students())
        self.student.bde_date_left = False
        self.user_student.active = False
        self.student.active = False
        self.assertFalse(self.student._bde_portal_students())

    def test_offers_of_the_student_formation_periods_and_lycee(self):
        Offer = self.env["bde.pfmp.host.offer"]
        self.assertEqual(
            Offer._bde_student_offers(self.student),
            self.offer_period | self.offer_year,
        )
        self.assertEqual(
            Offer._bde_student_offers(self.other_student), self.offer_other_lycee
        )

    def _offer_page_queries(self):
        """Queries of the offers' list as the page reads it (hosts, sectors,
        sites, periods, places left, distances), from a cold cache."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        offers = self.env["bde.pfmp.host.offer"]._bde_student_offers(self.student)
        distance = BdePfmpStudentPortal()._bde_offer_distances(self.student)
        rows = [
            (
                offer.partner_id.bde_sector_ids.mapped("name"),
                offer.site_id.city or offer.partner_id.city,
                offer.period_id.name,
                offer.places_left,
                distance(offer),
            )
            for offer in offers
        ]
        return self.cr.sql_log_count - before, len(rows)

    def test_offers_page_queries_do_not_grow_with_the_offers(self):
        queries, count = self._offer_page_queries()
        self.assertEqual(count, 2)
        for number in range(8):
            host = self.env["res.partner"].create(
                {
                    "name": f"Hôte {number}",
                    "is_company": True,
                    "city": "Lyon",
                    "partner_latitude": 45.75 + number / 100,
                    "partner_longitude": 4.85,
                    "bde_sector_ids": [self.sector.id],
                }
            )
            self.env["bde.pfmp.host.offer"].create(
                {
                    "partner_id": host.id,
                    "formation_id": self.formation.id,
                    "school_year": "2025-2026",
                    "company_id": self.lycee.id,
                    "state": "confirmed",
                }
            )
        self.assertEqual(self._offer_page_queries(), (queries, 10))

    def test_student_rates_the_host_once_after_the_end(self):
        with self.assertRaises(UserError):
            self.placement._bde_student_rate_host(4, "Bien", self.student)
        self.placement.state = "done"
        with self.assertRaises(UserError):
            self.placement._bde_student_rate_host(4, "Bien", self.student_adult)
        with self.assertRaises(UserError):
            self.placement._bde_student_rate_host(6, "Bien", self.student)
        before = self.company_partner.bde_host_rating_count
        rating = self.placement._bde_student_rate_host(4, " Bien ", self.student)
        self.assertEqual(rating.rater_type, "student")
        self.assertEqual(rating.rater_partner_id, self.student)
        self.assertEqual(rating.comment, "Bien")
        self.company_partner.invalidate_recordset()
        self.assertEqual(self.company_partner.bde_host_rating_count, before + 1)
        with self.assertRaises(UserError):
            self.placement._bde_student_rate_host(2, "", self.student)

    def test_student_changes_only_their_own_steps(self):
        Step = self.env["bde.pfmp.search.step"]
        own = Step._bde_student_log(
            self.student,
            {"company_name": "Boulangerie Dupont", "mode": "visit", "note": "CV"},
        )
        self.assertTrue(own.logged_by_student)
        self.assertEqual(own.company_id, self.lycee)
        staff = Step.create(
            {"student_id": self.student.id, "company_name": "Lidl", "mode": "phone"}
        )
        own._bde_student_update(self.student, {"answer": "refused"})
        self.assertEqual(own.answer, "refused")
        self.assertTrue(own.answer_date)
        for step, student in ((staff, self.student), (own, self.student_adult)):
            with self.assertRaises(UserError):
                step._bde_student_update(student, {"answer": "accepted"})
            with self.assertRaises(UserError):
                step._bde_student_delete(student)
        with self.assertRaises(UserError):
            own._bde_student_update(self.student, {"mode": "carrier pigeon"})
        with self.assertRaises(UserError):
            own._bde_student_update(self.student, {"contact_date": "yesterday"})
        own._bde_student_delete(self.student)
        self.assertFalse(own.exists())


@tagged("post_install", "-at_install", "bde_pfmp")
class TestStudentPortalHttp(HttpCase, BdeStudentPortalCase):
    def _login(self, user):
        self.authenticate(user.login, f"{user.login}_pw")

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _status(self, url):
        return self.url_open(url).status_code

    def _rpc_search_read(self, model):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": model,
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["id"]},
            },
        )

    def _assert_rpc_reads(self, user, placements):
        """Through JSON-RPC, ``user`` reads the ``placements`` alone and none
        of the other records of the space."""
        self._login(user)
        for model in SPACE_MODELS:
            if model == "bde.pfmp.placement":
                rows = self._rpc_search_read(model)
                self.assertEqual({row["id"] for row in rows}, set(placements.ids))
                continue
            with self.assertRaises(JsonRpcException, msg=model):
                self._rpc_search_read(model)

    def test_student_sees_their_placement_documents_and_teacher(self):
        self._login(self.user_student)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["pfmp_student_count", "pfmp_offer_count"]}
        )
        self.assertEqual(counters, {"pfmp_student_count": 1, "pfmp_offer_count": 2})
        response = self.url_open("/my/placements")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PFMP 1", response.text)
        self.assertNotIn("Hugo Bernard", response.text)
        response = self.url_open(f"/my/placements/{self.placement.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Paul Tuteur", response.text)
        self.assertIn(self.user_teacher.name, response.text)
        self.assertIn(self.user_teacher.email, response.text)
        document = f"/my/placements/{self.placement.id}/document/"
        response = self.url_open(document + "convention")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("Léa Martin", response.text)
        self.assertEqual(self._status(document + "attestation"), 404)
        self.placement.state = "done"
        self.assertEqual(self._status(document + "attestation"), 200)
        # Hugo's placement is not even known to exist.
        self.assertEqual(self._status(f"/my/placements/{self.adult_placement.id}"), 404)
        self.assertEqual(
            self._status(
                f"/my/placements/{self.adult_placement.id}/document/convention"
            ),
            404,
        )
        self._assert_rpc_reads(self.user_student, self.placement.browse())

    def test_student_browses_offers_without_other_students(self):
        self.host_lyon.bde_accessibility = "Métro A"
        self._login(self.user_student)
        response = self.url_open("/my/placements/offers")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fnac Test", response.text)
        self.assertIn("Darty Test", response.text)
        # The full host's offer is not listed, nor anyone placed anywhere.
        self.assertNotIn("Boulangerie Test", response.text)
        self.assertNotIn("Hugo Bernard", response.text)
        response = self.url_open("/my/placements/offers?city=villeur")
        self.assertNotIn("Fnac Test", response.text)
        self.assertIn("Darty Test", response.text)
        response = self.url_open("/my/placements/offers?minors=1")
        self.assertNotIn("Fnac Test", response.text)
        response = self.url_open(f"/my/placements/offers?sector={self.sector.id}")
        self.assertIn("Fnac Test", response.text)
        self.assertNotIn("Darty Test", response.text)
        response = self.url_open(f"/my/placements/offers/{self.offer_period.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PFMP 1", response.text)
        for offer in (self.offer_full, self.offer_unconfirmed, self.offer_other_lycee):
            self.assertEqual(self._status(f"/my/placements/offers/{offer.id}"), 404)

    def test_student_logs_changes_and_deletes_their_search(self):
        self._login(self.user_student)
        response = self._post(
            "/my/placements/search/new",
            offer_id=str(self.offer_period.id),
            contact_date="2025-11-18",
            mode="phone",
            answer="waiting",
            note="Rappeler lundi",
        )
        self.assertIn("Your contact is logged", response.text)
        step = self.env["bde.pfmp.search.step"].search(
            [("student_id", "=", self.student.id)]
        )
        self.assertEqual(step.partner_id, self.host_lyon)
        self.assertTrue(step.logged_by_student)
        response = self._post(
            "/my/placements/search/new", company_name="  ", contact_date="2025-11-18"
        )
        self.assertIn("alert-danger", response.text)
        # An offer closed to Léa is no company to log.
        response = self._post(
            "/my/placements/search/new",
            offer_id=str(self.offer_other_lycee.id),
            contact_date="2025-11-18",
        )
        self.assertEqual(response.status_code, 404)
        response = self._post(
            f"/my/placements/search/{step.id}",
            contact_date="2025-11-18",
            mode="phone",
            answer="interview",
        )
        self.assertIn("The step is updated", response.text)
        self.assertEqual(step.answer, "interview")
        staff = self.env["bde.pfmp.search.step"].create(
            {"student_id": self.student.id, "company_name": "Lidl"}
        )
        response = self.url_open("/my/placements/search")
        self.assertIn("Lidl", response.text)
        self.assertIn("Logged by the lycée", response.text)
        response = self.url_open(f"/my/placements/search/{step.id}")
        self.assertIn("Change the step", response.text)
        self.assertIn("Rappeler lundi", response.text)
        self.assertEqual(self._status(f"/my/placements/search/{staff.id}"), 404)
        self.assertEqual(
            self._post(f"/my/placements/search/{staff.id}/delete").status_code, 404
        )
        self.assertTrue(staff.exists())
        response = self._post(f"/my/placements/search/{step.id}/delete")
        self.assertIn("The step is deleted", response.text)
        self.assertFalse(step.exists())

    def test_student_rates_their_host_on_the_portal(self):
        self.placement.state = "done"
        self._login(self.user_student)
        url = f"/my/placements/{self.placement.id}/rate"
        response = self._post(url, score="9")
        self.assertIn("alert-danger", response.text)
        response = self._post(url, score="5", comment="Équipe accueillante")
        self.assertIn("your rating of the host is recorded", response.text)
        rating = self.placement._bde_student_rating()
        self.assertEqual((rating.score, rating.comment), (5, "Équipe accueillante"))
        response = self._post(url, score="1")
        self.assertIn("already rated", response.text)
        self.assertEqual(self.placement._bde_student_rating().score, 5)

    def test_guardian_sees_the_minor_only(self):
        self._login(self.user_guardian)
        response = self.url_open("/my/placements")
        self.assertIn("Léa Martin", response.text)
        self.assertNotIn("Hugo Bernard", response.text)
        self.assertEqual(self._status(f"/my/placements/{self.placement.id}"), 200)
        self.assertEqual(
            self._status(f"/my/placements/{self.placement.id}/document/convention"),
            200,
        )
        self.assertEqual(self._status(f"/my/placements/{self.adult_placement.id}"), 404)
        # The guardian reads; the offers, the search log and the rating are
        # the student's.
        self.assertEqual(self._status("/my/placements/offers"), 404)
        self.assertEqual(self._status("/my/placements/search"), 404)
        self.placement.state = "done"
        self._post(f"/my/placements/{self.placement.id}/rate", score="1")
        self.assertFalse(self.placement._bde_student_rating())
        self._assert_rpc_reads(self.user_guardian, self.placement.browse())

    def test_guardian_sees_nothing_once_the_child_is_an_adult(self):
        self.student.bde_birthdate = "2007-11-19"
        self._login(self.user_guardian)
        response = self.url_open("/my/placements")
        self.assertNotIn("Léa Martin", response.text)
        self.assertEqual(self._status(f"/my/placements/{self.placement.id}"), 404)
        self.assertEqual(
            self._status(f"/my/placements/{self.placement.id}/document/convention"),
            404,
        )

    def test_student_of_the_other_lycee(self):
        self._login(self.user_other_student)
        self.assertEqual(self._status(f"/my/placements/{self.placement.id}"), 404)
        response = self.url_open("/my/placements/offers")
        self.assertNotIn("Darty Test", response.text)
        self.assertIn("Fnac Test", response.text)
        self.assertEqual(
            self._status(f"/my/placements/offers/{self.offer_period.id}"), 404
        )
        self.assertEqual(
            self._status(f"/my/placements/offers/{self.offer_other_lycee.id}"), 200
        )
        self._assert_rpc_reads(self.user_other_student, self.placement.browse())

    def test_student_who_left_sees_nothing(self):
        self.student.bde_date_left = "2025-11-15"
        self._login(self.user_student)
        self.assertNotIn("PFMP 1", self.url_open("/my/placements").text)
        self.assertEqual(self._status(f"/my/placements/{self.placement.id}"), 404)
        self.assertEqual(self._status("/my/placements/offers"), 404)

    def test_tutor_pages_unchanged(self):
        self._login(self.user_tutor)
        response = self.url_open("/my/pfmp")
        self.assertIn("Léa Martin", response.text)
        self.assertEqual(self._status(f"/my/pfmp/{self.placement.id}"), 200)
        self.assertEqual(self._status(f"/my/placements/{self.placement.id}"), 404)
        self.assertEqual(self._status("/my/placements/offers"), 404)
        self._assert_rpc_reads(self.user_tutor, self.placement | self.adult_placement)
        # The student reaches no tutor's page.
        self._login(self.user_student)
        self.assertEqual(self._status(f"/my/pfmp/{self.placement.id}"), 404)
