from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .test_survey_campaign import BdeAlumniSurveyCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestConsentWithdrawal(BdeAlumniSurveyCase, MockEmail):
    """Once an alumni withdraws the consent to be contacted, no mail of the
    lycée reaches them: no reminder of a campaign already sent, no mail
    already queued, no mailing prepared before, no list that is not synced.
    Léa and Hugo of the 2026 cohort agreed to be contacted; Léa withdraws."""

    def _mailing_to(self, partners):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Invitation",
                "body_html": "<p>Come!</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", partners.ids)]),
            }
        )

    def test_no_reminder_after_withdrawal(self):
        campaign = self._make_campaign(user=self.user_officer)
        with self.mock_mail_gateway():
            campaign.action_send()
        self.alumni.action_bde_alumni_withdraw_consent()
        with self.mock_mail_gateway():
            campaign.action_send_reminder()
        reminder = campaign.sudo().mailing_ids.sorted("id")[-1]
        reminded = self._new_mails.filtered(lambda mail: mail.mailing_id == reminder)
        self.assertEqual(reminded.mapped("res_id"), self.hugo.ids)

        self.hugo.action_bde_alumni_withdraw_consent()
        with self.assertRaises(UserError):
            campaign.action_send_reminder()

    def test_queued_mails_cancelled(self):
        mailing = self._mailing_to(self.alumni | self.hugo)
        mails = self.env["mail.mail"].create(
            [
                {
                    "mailing_id": mailing.id,
                    "model": "res.partner",
                    "res_id": partner.id,
                    "recipient_ids": partner.ids,
                    "body_html": "<p>Come!</p>",
                    "mailing_trace_ids": [
                        (0, 0, {"model": "res.partner", "res_id": partner.id})
                    ],
                }
                for partner in self.alumni | self.hugo
            ]
        )
        # a mail the alumni asked for (a confirmation) is not a mailing
        confirmation = self.env["mail.mail"].create(
            {"email_to": self.alumni.email, "body_html": "<p>Confirm</p>"}
        )
        self.alumni.action_bde_alumni_withdraw_consent()
        self.assertEqual(mails.mapped("state"), ["cancel", "outgoing"])
        self.assertEqual(
            mails.mailing_trace_ids.mapped("trace_status"), ["cancel", "outgoing"]
        )
        self.assertEqual(confirmation.state, "outgoing")

    def test_mailing_prepared_before_skips_them(self):
        tutor = self.env["res.partner"].create(
            {"name": "Paul Tuteur", "email": "paul.tuteur@example.com"}
        )
        mailing = self._mailing_to(self.alumni | self.hugo | tutor)
        self.alumni.action_bde_alumni_withdraw_consent()
        self.assertEqual(
            sorted(mailing._get_recipients()), sorted((self.hugo | tutor).ids)
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(
            sorted(self._new_mails.mapped("res_id")), sorted((self.hugo | tutor).ids)
        )

    def test_withdrawal_from_the_mailing_footer(self):
        """Leaving the synced alumni list withdraws the consent, which cancels
        what is queued and opts out of the lists that are not synced."""
        alumni_list = self.env["mailing.list"]._bde_get_lycee_lists(
            self.lycee, ["alumni"]
        )
        news = self.env["mailing.list"].create(
            {
                "name": "News of the lycée",
                "company_id": self.lycee.id,
                "contact_ids": [
                    (0, 0, {"name": "Léa", "email": "lea.martin@example.com"}),
                    (0, 0, {"name": "Hugo", "email": "hugo.bernard@example.com"}),
                ],
            }
        )
        mailing = self._mailing_to(self.alumni)
        mail = self.env["mail.mail"].create(
            {
                "mailing_id": mailing.id,
                "recipient_ids": self.alumni.ids,
                "body_html": "<p>Come!</p>",
            }
        )
        subscription = alumni_list.subscription_ids.filtered(
            lambda sub: sub.contact_id.bde_partner_id == self.alumni
        )
        subscription.opt_out = True

        self.assertFalse(self.alumni.bde_alumni_contact_consent)
        self.assertEqual(mail.state, "cancel")
        news_opt_out = {
            sub.contact_id.email: sub.opt_out for sub in news.subscription_ids
        }
        self.assertEqual(
            news_opt_out,
            {"lea.martin@example.com": True, "hugo.bernard@example.com": False},
        )
