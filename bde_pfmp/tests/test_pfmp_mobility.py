import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase

CONVENTION = "bde_pfmp.report_bde_pfmp_convention"
PROJECT_REF = "2025-1-FR01-KA121-VET-000123456"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpMobility(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spain = cls.env.ref("base.es")
        cls.host_abroad = cls.env["res.partner"].create(
            {
                "name": "Tienda Sol Valencia",
                "is_company": True,
                "country_id": cls.spain.id,
            }
        )
        cls.tutor_abroad = cls.env["res.partner"].create(
            {"name": "Lucía García", "parent_id": cls.host_abroad.id}
        )
        cls.organisation = cls.env["res.partner"].create(
            {"name": "Valencia Prácticas", "is_company": True}
        )

    def _make_abroad(self, student=None, **vals):
        values = {
            "partner_id": self.host_abroad.id,
            "tutor_id": self.tutor_abroad.id,
            "mobility_organisation_id": self.organisation.id,
            "erasmus_project_ref": PROJECT_REF,
        }
        values.update(vals)
        return self._make_placement(student=student or self.student_adult, **values)

    def _sign_every_party(self, placement):
        placement.write(
            dict.fromkeys(placement._get_needed_signature_fields(), "2025-10-20")
            | {"state": "to_sign"}
        )

    def test_host_abroad_makes_a_short_mobility(self):
        placement = self._make_abroad()
        self.assertTrue(placement.is_abroad)
        self.assertEqual(placement.mobility_country_id, self.spain)
        # 3 to 28 November: 26 calendar days.
        self.assertEqual(placement.calendar_days, 26)
        self.assertEqual(placement.mobility_kind, "short")

    def test_host_in_france_or_without_country_is_not_abroad(self):
        placement = self._make_placement()
        self.assertFalse(placement.is_abroad)
        self.assertFalse(placement.mobility_kind)
        # The lycée has no country on its address: it counts as French.
        self.company_partner.country_id = self.env.ref("base.fr")
        self.assertFalse(placement.is_abroad)
        self.company_partner.country_id = self.spain
        self.assertTrue(placement.is_abroad)
        self.assertEqual(placement.mobility_country_id, self.spain)

    def test_long_mobility_from_90_days(self):
        placement = self._make_abroad(
            period_id=False, date_start="2025-09-08", date_end="2025-12-05"
        )
        self.assertEqual(placement.calendar_days, 89)
        self.assertEqual(placement.mobility_kind, "short")
        placement.date_end = "2025-12-06"
        self.assertEqual(placement.mobility_kind, "long")

    def test_mobility_shorter_than_10_days_is_refused(self):
        # assertRaises (not assertRaisesRegex) rolls the refused record back.
        with self.assertRaises(ValidationError) as refused:
            self._make_abroad(
                period_id=False, date_start="2025-11-03", date_end="2025-11-11"
            )
        self.assertIn("lasts 9 days", str(refused.exception))
        placement = self._make_abroad(
            period_id=False, date_start="2025-11-03", date_end="2025-11-12"
        )
        self.assertEqual(placement.calendar_days, 10)

    def test_erasmus_project_reference_format(self):
        placement = self._make_abroad()
        placement.erasmus_project_ref = "2024-2-FR01-KA122-VET-000201234"
        for wrong in ("FR01-KA121", "2025-1-FR01-KA121-VET", "projet Erasmus"):
            with self.assertRaises(ValidationError):
                placement.erasmus_project_ref = wrong
        self.assertEqual(
            placement.erasmus_project_ref, "2024-2-FR01-KA122-VET-000201234"
        )

    def test_signing_abroad_requires_the_learning_agreement(self):
        placement = self._make_abroad()
        self._sign_every_party(placement)
        officer_placement = placement.with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "learning agreement"):
            officer_placement.action_sign()
        self.assertEqual(placement.state, "to_sign")
        placement.learning_agreement_signed_date = "2025-10-15"
        with self.assertRaisesRegex(UserError, "learning agreement"):
            officer_placement.action_sign()
        placement.write(
            {
                "learning_agreement": base64.b64encode(b"%PDF-1.4 learning agreement"),
                "learning_agreement_filename": "learning_agreement.pdf",
            }
        )
        officer_placement.action_sign()
        self.assertEqual(placement.state, "signed")

    def test_signing_at_home_needs_no_learning_agreement(self):
        placement = self._make_placement(student=self.student_adult)
        self._sign_every_party(placement)
        placement.with_user(self.user_officer).action_sign()
        self.assertEqual(placement.state, "signed")

    def test_minor_abroad_keeps_the_minors_hours(self):
        self.assertTrue(self.student.bde_age_on(self.period.date_start) < 18)
        with self.assertRaises(ValidationError):
            self._make_abroad(student=self.student, hours_per_week=39)
        placement = self._make_abroad(student=self.student, hours_per_week=35)
        self.assertTrue(placement.is_minor and placement.is_abroad)

    def test_convention_mentions_the_mobility(self):
        abroad = self._make_abroad()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(CONVENTION, abroad.ids)[0]
            .decode()
        )
        self.assertIn("La période est une mobilité européenne", html)
        self.assertIn("Spain", html)
        self.assertIn(PROJECT_REF, html)
        self.assertIn("Valencia Prácticas", html)
        home = self._make_placement()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(CONVENTION, home.ids)[0]
            .decode()
        )
        self.assertNotIn("La période est une mobilité européenne", html)

    def test_abroad_filter(self):
        abroad = self._make_abroad()
        home = self._make_placement()
        found = self.env["bde.pfmp.placement"].search(
            [("id", "in", (abroad | home).ids), ("is_abroad", "=", True)]
        )
        self.assertEqual(found, abroad)
