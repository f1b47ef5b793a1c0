"""A survey campaign is sent once, by its button, with the cohort and survey
it names: the server refuses a state or a cohort written by hand, for the BDE
manager of each of two lycées."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_survey_campaign import BdeAlumniSurveyCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestSurveyCampaignRules(BdeAlumniSurveyCase):
    def test_sent_once_by_its_button(self):
        campaigns = {
            self.user_officer: self._make_campaign(user=self.user_officer),
            self.user_other_lycee: self._make_campaign(
                user=self.user_other_lycee, company_id=self.other_lycee.id
            ),
        }
        for user, campaign in campaigns.items():
            with self.subTest(user=user.login), self.assertRaises(UserError):
                campaign.write({"state": "sent"})
            self.assertEqual(campaign.state, "draft")
            with self.subTest(user=user.login), self.assertRaises(UserError):
                campaign.create({"exit_year": 2026, "state": "sent"})
        campaign = campaigns[self.user_officer]
        campaign.action_send()
        self.assertEqual(campaign.state, "sent")
        for vals in (
            {"state": "draft"},
            {"exit_year": 2025},
            {"months_after_exit": 12},
            {"deadline": "2030-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                campaign.write(vals)
        self.assertEqual(campaign.exit_year, 2026)
        with self.assertRaisesRegex(UserError, "already sent"):
            campaign.action_send()
