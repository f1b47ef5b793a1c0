from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestRetention(BdeAlumniCase):
    """The personal data of alumni who did not join the network is anonymised
    after the retention period; the indicators keep counting them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # left in 2020, never joined the network but agreed to be contacted
        cls.former = cls._make_alumni(
            "Yanis Roux",
            "2020-07-04",
            email="yanis.roux@example.com",
            phone="06 12 34 56 78",
            mobile="07 12 34 56 78",
            street="3 rue des Lilas",
            zip="69003",
            city="Lyon",
            bde_birthdate="2002-02-02",
            bde_ine="0987654321B",
            bde_legal_guardian_id=cls.env["res.partner"]
            .create({"name": "Karim Roux", "company_id": cls.lycee.id})
            .id,
            comment="Prefers to be called in the evening.",
            bde_alumni_willing_speaker=True,
        )
        cls.former._bde_alumni_give_consent(contact=True, source="phone")
        cls.former_situations = cls._make_situation(
            partner=cls.former,
            date="2021-01-10",
            employer_id=cls.company_partner.id,
            job_title="Vendeur",
            note="Met at the job forum.",
        ) | cls._make_situation(
            partner=cls.former,
            date="2022-07-10",
            status="studies",
            contract_type=False,
            study_formation="BTS MCO, lycée Ampère",
        )
        # left the same year, joined the network: kept
        cls.member = cls._make_alumni(
            "Inès Garcia", "2020-07-04", email="ines.garcia@example.com"
        )
        cls.member._bde_alumni_give_consent(network=True, source="graduation")
        cls._make_situation(partner=cls.member, date="2021-01-10")
        cls.cron = cls.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise")

    def _cohort_counts(self):
        """What the indicators read: alumni per cohort and situations per
        cohort, follow-up point and status, archived alumni included."""
        partners = self.env["res.partner"].with_context(active_test=False)
        alumni = partners._read_group(
            [("bde_is_alumni", "=", True), ("company_id", "=", self.lycee.id)],
            ["bde_exit_formation_id", "bde_exit_year"],
            ["__count"],
        )
        situations = self.env["bde.alumni.situation"]._read_group(
            [("company_id", "=", self.lycee.id)],
            ["exit_formation_id", "exit_year", "months_after_exit", "status"],
            ["__count"],
        )
        return alumni, situations

    @freeze_time("2025-07-05")
    def test_anonymised_after_the_retention_period(self):
        survey = self.env.ref("bde_alumni.survey_alumni_insertion")
        answer = survey._create_answer(partner=self.former)
        job_question = survey.question_ids.filtered(
            lambda question: question.question_type == "char_box"
        )[:1]
        answer._save_lines(job_question, "Vendeur chez Test")
        counts = self._cohort_counts()
        alumni_list = self.env["mailing.list"]._bde_get_lycee_lists(
            self.lycee, ["alumni"]
        )
        self.assertIn(
            self.former, alumni_list.subscription_ids.contact_id.bde_partner_id
        )

        self.cron.method_direct_trigger()

        former = self.former
        self.assertTrue(former.bde_alumni_anonymised)
        self.assertEqual(str(former.bde_alumni_anonymised_date), "2025-07-05")
        self.assertFalse(former.active)
        self.assertEqual(former.name, f"Anonymised alumni {former.id}")
        for field in (
            "email",
            "phone",
            "mobile",
            "street",
            "zip",
            "city",
            "bde_birthdate",
            "bde_ine",
            "bde_legal_guardian_id",
            "comment",
            "image_1920",
            "bde_alumni_contact_consent",
            "bde_alumni_willing_speaker",
        ):
            self.assertFalse(former[field], field)
        # what the indicators count stays
        self.assertTrue(former.bde_is_alumni)
        self.assertEqual(former.company_id, self.lycee)
        self.assertEqual(former.bde_exit_formation_id, self.formation)
        self.assertEqual(former.bde_exit_year, 2020)
        self.assertEqual(
            former.bde_alumni_situation_ids.mapped("status"), ["studies", "employed"]
        )
        self.assertEqual(
            former.bde_alumni_situation_ids.employer_id, self.company_partner
        )
        self.assertFalse(any(former.bde_alumni_situation_ids.mapped("job_title")))
        self.assertFalse(any(former.bde_alumni_situation_ids.mapped("note")))
        self.assertFalse(any(former.bde_alumni_situation_ids.mapped("study_formation")))
        self.assertEqual(self._cohort_counts(), counts)
        # out of every list, no e-mail nor note left in the chatter
        self.assertFalse(
            self.env["mailing.contact"].search([("bde_partner_id", "=", former.id)])
        )
        self.assertEqual(len(former.message_ids), 1)
        self.assertIn("Personal data anonymised", former.message_ids.body)

        # the survey answer stays, without who gave it nor what they wrote
        self.assertTrue(answer.exists())
        self.assertFalse(answer.partner_id or answer.email)
        self.assertFalse(answer.user_input_line_ids)

        # the network member and the recent alumni keep their data
        self.assertEqual(self.member.name, "Inès Garcia")
        self.assertTrue(self.member.active)
        self.assertEqual(self.alumni.email, "lea.martin@example.com")

        # a second run changes nothing
        self.cron.method_direct_trigger()
        self.assertEqual(len(former.message_ids), 1)

    @freeze_time("2025-07-04")
    def test_kept_until_the_end_of_the_period(self):
        self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertFalse(self.former.bde_alumni_anonymised)
        self.assertEqual(self.former.email, "yanis.roux@example.com")

    def test_retention_set_by_each_lycee(self):
        self.lycee.bde_alumni_retention_years = 8
        other = self._make_alumni(
            "Théo Blanc", "2020-07-04", company_id=self.other_lycee.id
        )
        with freeze_time("2025-07-05"):
            self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertFalse(self.former.bde_alumni_anonymised)
        self.assertTrue(other.bde_alumni_anonymised)
        with freeze_time("2028-07-05"):
            self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertTrue(self.former.bde_alumni_anonymised)
        self.assertFalse(self.member.bde_alumni_anonymised)

    def test_never_before_the_24_month_follow_up(self):
        self.lycee.bde_alumni_retention_years = 1
        recent = self._make_alumni("Sarah Petit", "2024-07-04")
        with freeze_time("2026-07-04"):
            self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertFalse(recent.bde_alumni_anonymised)
        with freeze_time("2026-07-05"):
            self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertTrue(recent.bde_alumni_anonymised)

    @freeze_time("2025-07-05")
    def test_portal_account_closed(self):
        user = new_test_user(
            self.env,
            login="yanis.roux@example.com",
            groups="base.group_portal",
            partner_id=self.former.id,
        )
        self.env["res.partner"]._cron_bde_alumni_anonymise()
        self.assertTrue(self.former.bde_alumni_anonymised)
        self.assertFalse(user.active)
        self.assertEqual(user.login, f"anonymised-alumni-{user.id}")

    def test_retention_set_on_the_lycee_form(self):
        with Form(self.lycee) as lycee_form:
            self.assertEqual(lycee_form.bde_alumni_retention_years, 5)
            lycee_form.bde_alumni_retention_years = 3
        self.assertEqual(self.lycee.bde_alumni_retention_years, 3)

    def test_retention_is_at_least_one_year(self):
        self.assertEqual(self.other_lycee.bde_alumni_retention_years, 5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.lycee.bde_alumni_retention_years = 0
            self.lycee.flush_recordset()
