from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import BdeAlumniCase


class BdeAlumniSurveyCase(BdeAlumniCase):
    """The 2026 cohort: Léa (common) and Hugo agreed to be contacted, Inès did
    not; Tom left in 2025 and Zoé left the other lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("bde_alumni.survey_alumni_insertion")
        cls.hugo = cls._make_alumni("Hugo Bernard", "hugo.bernard@example.com")
        cls.ines = cls._make_alumni(
            "Inès Petit", "ines.petit@example.com", consent=False
        )
        cls.tom = cls._make_alumni("Tom Leroy", "tom.leroy@example.com", exit_year=2025)
        cls.zoe = cls._make_alumni(
            "Zoé Garnier", "zoe.garnier@example.com", company=cls.other_lycee
        )

    @classmethod
    def _make_alumni(cls, name, email, consent=True, exit_year=2026, company=None):
        alumni = cls.env["res.partner"].create(
            {
                "name": name,
                "email": email,
                "company_id": (company or cls.lycee).id,
                "bde_is_alumni": True,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": exit_year,
                "bde_exit_date": f"{exit_year}-07-04",
            }
        )
        if consent:
            alumni._bde_alumni_give_consent(contact=True, source="graduation")
        return alumni

    @classmethod
    def _make_campaign(cls, user=None, **vals):
        Campaign = cls.env["bde.alumni.survey.campaign"]
        if user:
            Campaign = Campaign.with_user(user)
        return Campaign.create(
            {
                "company_id": cls.lycee.id,
                "exit_year": 2026,
                "months_after_exit": 6,
                "deadline": "2027-02-15 18:00:00",
                **vals,
            }
        )


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniSurveyCampaign(BdeAlumniSurveyCase, MockEmail):
    def _campaign_mails(self, mailing):
        return self._new_mails.filtered(lambda mail: mail.mailing_id == mailing)

    def test_targets_only_consenting_alumni_of_the_cohort(self):
        campaign = self._make_campaign()
        self.assertEqual(campaign._get_targets(), self.alumni | self.hugo)
        self.assertEqual(campaign.target_count, 2)
        self.assertEqual(campaign.survey_id, self.survey)
        self.assertEqual(campaign.name, "Cohort 2026 – 6 months")

    @freeze_time("2027-01-05 09:00:00")
    def test_send_gives_each_alumni_their_own_link(self):
        campaign = self._make_campaign(user=self.user_officer)
        with self.mock_mail_gateway():
            campaign.action_send()
        self.assertEqual(campaign.state, "sent")
        inputs = campaign.sudo().user_input_ids
        self.assertEqual(inputs.partner_id, self.alumni | self.hugo)
        self.assertTrue(all(inputs.mapped("invite_token")))
        self.assertEqual(inputs.mapped("survey_id"), self.survey)
        self.assertEqual(
            {str(deadline) for deadline in inputs.mapped("deadline")},
            {"2027-02-15 18:00:00"},
        )
        self.assertEqual((campaign.sent_count, campaign.answered_count), (2, 0))

        mailing = campaign.sudo().mailing_ids
        self.assertEqual(len(mailing), 1)
        self.assertEqual(mailing.state, "done")
        mails = self._campaign_mails(mailing)
        self.assertEqual(
            sorted(mails.mapped("res_id")), sorted((self.alumni | self.hugo).ids)
        )
        mail_by_partner = {mail.res_id: mail for mail in mails}
        for user_input in inputs:
            mail = mail_by_partner[user_input.partner_id.id]
            other = inputs - user_input
            self.assertIn(f"answer_token={user_input.access_token}", mail.body_html)
            self.assertNotIn(other.access_token, mail.body_html)
            self.assertIn(user_input.partner_id.name, mail.body_html)

    @freeze_time("2027-01-05 09:00:00")
    def test_reminder_only_to_those_who_did_not_answer(self):
        campaign = self._make_campaign(user=self.user_officer)
        with self.mock_mail_gateway():
            campaign.action_send()
        answered = campaign.sudo().user_input_ids.filtered(
            lambda user_input: user_input.partner_id == self.alumni
        )
        answered._mark_done()
        self.assertEqual((campaign.sent_count, campaign.answered_count), (2, 1))
        self.assertEqual(campaign.answer_rate, 0.5)
        (self.alumni | self.hugo).invalidate_recordset(["bde_alumni_survey_url"])
        self.assertTrue(self.hugo.bde_alumni_survey_url)
        self.assertFalse(self.alumni.bde_alumni_survey_url)

        with self.mock_mail_gateway():
            campaign.action_send_reminder()
        reminder = campaign.sudo().mailing_ids.sorted("id")[-1]
        self.assertEqual(len(campaign.sudo().mailing_ids), 2)
        mails = self._campaign_mails(reminder)
        self.assertEqual(mails.mapped("res_id"), self.hugo.ids)
        pending = campaign.sudo().user_input_ids - answered
        self.assertIn(f"answer_token={pending.access_token}", mails.body_html)

        pending._mark_done()
        with self.assertRaises(UserError):
            campaign.action_send_reminder()

    def test_answer_rate_per_cohort(self):
        first = self._make_campaign()
        second = self._make_campaign(months_after_exit=12)
        older = self._make_campaign(exit_year=2025)
        for campaign in first | second | older:
            campaign.action_send()
        first.user_input_ids[0]._mark_done()
        second.user_input_ids._mark_done()
        groups = dict(
            (year, (sent, answered))
            for year, sent, answered in self.env[
                "bde.alumni.survey.campaign"
            ]._read_group(
                [("id", "in", (first | second | older).ids)],
                ["exit_year"],
                ["sent_count:sum", "answered_count:sum"],
            )
        )
        self.assertEqual(groups, {2026: (4, 3), 2025: (1, 0)})

    def test_bad_input(self):
        campaign = self._make_campaign(user=self.user_officer)
        campaign.action_send()
        with self.assertRaises(UserError):
            campaign.action_send()
        nobody = self._make_campaign(exit_year=2020)
        with self.assertRaises(UserError):
            nobody.action_send()
        self.assertEqual(nobody.state, "draft")
        self.assertFalse(nobody.user_input_ids)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._make_campaign(months_after_exit=18)

    def test_access_rights(self):
        campaign = self._make_campaign()
        self.assertEqual(campaign.with_user(self.user_teacher).target_count, 2)
        with self.assertRaises(AccessError):
            self._make_campaign(user=self.user_teacher)
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_teacher).action_send()
        self.assertFalse(campaign.user_input_ids)
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_other_lycee).read(["name"])
