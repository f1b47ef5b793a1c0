from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_survey_campaign import BdeAlumniSurveyCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestSurveyIsolation(BdeAlumniSurveyCase):
    """The answers to the insertion survey, free text included, are read by
    the lycée of the campaign only, whatever the survey's own rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._make_campaign()
        cls.other_campaign = cls._make_campaign(company_id=cls.other_lycee.id)
        cls.campaign.action_send()
        cls.other_campaign.action_send()
        cls.inputs = cls.campaign.user_input_ids
        cls.other_inputs = cls.other_campaign.user_input_ids
        question = cls.survey.question_ids.filtered(
            lambda question: question.bde_alumni_field == "employer_name"
        )
        for user_input, text in (
            (cls.inputs.filtered(lambda ui: ui.partner_id == cls.hugo), "Chez Paul"),
            (cls.other_inputs, "Garage Zoé"),
        ):
            user_input._save_lines(question, text)
        cls.lines = cls.inputs.user_input_line_ids
        cls.other_lines = cls.other_inputs.user_input_line_ids
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager,"
            "survey.group_survey_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )

    def _free_texts(self, user):
        """The free texts of the insertion survey that ``user`` reads."""
        lines = (
            self.env["survey.user_input.line"]
            .with_user(user)
            .search(
                [("survey_id", "=", self.survey.id), ("value_char_box", "!=", False)]
            )
        )
        return lines.mapped("value_char_box")

    def test_answers_belong_to_the_campaign_lycee(self):
        self.assertEqual(self.inputs.partner_id, self.alumni | self.hugo)
        self.assertEqual(set(self.inputs.mapped("company_id")), {self.lycee})
        self.assertEqual(self.other_inputs.partner_id, self.zoe)
        self.assertEqual(self.other_inputs.company_id, self.other_lycee)
        self.assertEqual(self.lines.company_id, self.lycee)
        self.assertEqual(self.other_lines.company_id, self.other_lycee)
        # An answer outside a campaign follows the alumni's lycée, and keeps
        # it once nobody is named on it (retention).
        loose = self.survey._create_answer(partner=self.zoe, check_attempts=False)
        self.assertEqual(loose.company_id, self.other_lycee)
        loose.partner_id = False
        self.assertEqual(loose.company_id, self.other_lycee)

    def test_other_lycee_reads_no_answer(self):
        self.assertTrue(self.lines.filtered(lambda line: line.value_char_box))
        for user in (self.user_other_lycee, self.user_other_manager):
            for records in (self.inputs, self.lines):
                Model = self.env[records._name].with_user(user)
                self.assertFalse(Model.search([("id", "in", records.ids)]))
                self.assertFalse(
                    Model.read_group(
                        [("id", "in", records.ids)], ["create_uid"], ["create_uid"]
                    )
                )
                with self.assertRaises(AccessError):
                    records.with_user(user).read(["survey_id"])
            Line = self.env["survey.user_input.line"].with_user(user)
            self.assertFalse(Line.search([("value_char_box", "=", "Chez Paul")]))
            self.assertEqual(self._free_texts(user), ["Garage Zoé"])
            with self.assertRaises(AccessError):
                self.inputs.with_user(user).write({"deadline": False})

    def test_own_lycee_reads_its_answers(self):
        for user in (self.user_officer, self.user_manager):
            UserInput = self.env["survey.user_input"].with_user(user)
            self.assertEqual(
                UserInput.search([("survey_id", "=", self.survey.id)]), self.inputs
            )
            self.assertEqual(self._free_texts(user), ["Chez Paul"])
        campaign = self.campaign.with_user(self.user_officer)
        self.assertEqual(campaign.user_input_ids, self.inputs)
        self.assertEqual(campaign.sent_count, 2)

    def test_other_lycee_reads_no_campaign_mailing(self):
        mailing = self.campaign.mailing_ids
        self.assertEqual(mailing.company_id, self.lycee)
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(len(traces), 2)
        Trace = self.env["mailing.trace"].with_user(self.user_other_lycee)
        self.assertFalse(Trace.search([("id", "in", traces.ids)]))
        self.assertEqual(
            self.env["mailing.trace"]
            .with_user(self.user_officer)
            .search([("mass_mailing_id", "=", mailing.id)]),
            traces,
        )

    def test_alumni_lists_hold_their_lycee_alumni(self):
        MailingList = self.env["mailing.list"]
        MailingList._bde_sync_mailing_lists()
        lists = {
            lycee: MailingList._bde_get_lycee_lists(lycee, ["alumni"])
            for lycee in (self.lycee, self.other_lycee)
        }
        members = {
            lycee: mailing_list.subscription_ids.contact_id.bde_partner_id
            for lycee, mailing_list in lists.items()
        }
        self.assertEqual(members[self.lycee], self.alumni | self.hugo | self.tom)
        self.assertEqual(members[self.other_lycee], self.zoe)
        Subscription = self.env["mailing.subscription"].with_user(self.user_other_lycee)
        self.assertFalse(Subscription.search([("list_id", "=", lists[self.lycee].id)]))
