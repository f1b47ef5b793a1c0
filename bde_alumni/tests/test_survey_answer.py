from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .test_survey_campaign import BdeAlumniSurveyCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniSurveyAnswer(BdeAlumniSurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._make_campaign()
        cls.campaign.action_send()
        cls.questions = {
            question.bde_alumni_field: question for question in cls.survey.question_ids
        }

    def _answer_of(self, partner):
        return self.campaign.user_input_ids.filtered(
            lambda user_input: user_input.partner_id == partner
        )

    def _choice(self, field, value):
        return self.questions[field].suggested_answer_ids.filtered(
            lambda answer: answer.bde_alumni_value == value
        )

    def _answer(self, user_input, status, contract=None, consents=(), **texts):
        """Answer as the survey front end does, then submit."""
        user_input._save_lines(
            self.questions["status"], self._choice("status", status).id
        )
        if contract:
            user_input._save_lines(
                self.questions["contract_type"],
                self._choice("contract_type", contract).id,
            )
        for field, text in texts.items():
            user_input._save_lines(self.questions[field], text)
        user_input._save_lines(
            self.questions["consent"],
            [self._choice("consent", consent).id for consent in consents],
        )
        user_input._mark_done()

    def test_shipped_survey(self):
        self.assertEqual(self.survey.access_mode, "token")
        self.assertFalse(self.survey.users_login_required)
        self.assertEqual(
            set(self.questions),
            {
                "status",
                "contract_type",
                "employer_name",
                "job_title",
                "study_formation",
                "consent",
            },
        )
        employed = self._choice("status", "employed")
        for field in ("contract_type", "employer_name", "job_title"):
            self.assertEqual(self.questions[field].triggering_answer_ids, employed)
        self.assertEqual(
            self.questions["study_formation"].triggering_answer_ids,
            self._choice("status", "studies"),
        )
        self.assertEqual(len(self.questions["contract_type"].suggested_answer_ids), 5)

    @freeze_time("2027-01-12 10:00:00")
    def test_answer_updates_situation(self):
        user_input = self._answer_of(self.hugo)
        self._answer(
            user_input,
            "employed",
            contract="fixed_term",
            consents=("network",),
            employer_name="  boulangerie TEST ",
            job_title="Vendeur",
        )
        situation = user_input.bde_alumni_situation_id
        self.assertRecordValues(
            situation,
            [
                {
                    "partner_id": self.hugo.id,
                    "status": "employed",
                    "contract_type": "fixed_term",
                    "employer_id": self.company_partner.id,
                    "employer_name": "boulangerie TEST",
                    "job_title": "Vendeur",
                    "study_formation": False,
                    "source": "survey",
                    "months_after_exit": 6,
                }
            ],
        )
        self.assertEqual(str(situation.date), "2027-01-12")
        self.assertEqual(self.hugo.bde_alumni_situation_id, situation)
        self.assertEqual(self.hugo.bde_alumni_status, "employed")
        self.assertTrue(self.hugo.bde_alumni_network_consent)
        self.assertEqual(self.hugo.bde_alumni_network_consent_source, "survey")
        self.assertEqual(self.campaign.answered_count, 1)

        # Done twice: still one situation.
        user_input._mark_done()
        self.assertEqual(len(self.hugo.bde_alumni_situation_ids), 1)

    @freeze_time("2027-07-20 10:00:00")
    def test_answer_studies_at_12_months(self):
        campaign = self._make_campaign(months_after_exit=12)
        campaign.action_send()
        user_input = campaign.user_input_ids.filtered(
            lambda user_input: user_input.partner_id == self.alumni
        )
        # A stale answer to a question hidden by the final choice is ignored.
        user_input._save_lines(self.questions["employer_name"], "Boulangerie Test")
        self._answer(user_input, "studies", study_formation="BTS MCO, lycée Diderot")
        self.assertRecordValues(
            user_input.bde_alumni_situation_id,
            [
                {
                    "status": "studies",
                    "contract_type": False,
                    "employer_id": False,
                    "employer_name": False,
                    "study_formation": "BTS MCO, lycée Diderot",
                    "months_after_exit": 12,
                }
            ],
        )

    def test_unknown_employer_kept_by_name(self):
        user_input = self._answer_of(self.hugo)
        self._answer(
            user_input,
            "employed",
            contract="permanent",
            employer_name="Garage 100%_Auto",
        )
        situation = user_input.bde_alumni_situation_id
        self.assertFalse(situation.employer_id)
        self.assertEqual(situation.employer_name, "Garage 100%_Auto")
        self.assertFalse(self.hugo.bde_alumni_network_consent)

    def test_answer_outside_a_campaign_is_ignored(self):
        user_input = self.survey._create_answer(partner=self.ines, check_attempts=False)
        self._answer(user_input, "seeking", consents=("contact",))
        self.assertFalse(user_input.bde_alumni_situation_id)
        self.assertFalse(self.ines.bde_alumni_situation_ids)
        self.assertFalse(self.ines.bde_alumni_contact_consent)


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniSurveyLink(HttpCase, BdeAlumniSurveyCase):
    def test_personal_link_opens_without_login(self):
        campaign = self._make_campaign(deadline=False)
        campaign.action_send()
        user_input = campaign.user_input_ids.filtered(
            lambda user_input: user_input.partner_id == self.hugo
        )
        response = self.url_open(user_input.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Votre situation après le lycée", response.text)
        self.assertNotIn("/web/login", response.url)
        # Without a personal token the invited-only survey does not open.
        response = self.url_open(self.survey.get_start_url())
        self.assertNotIn("Quelle est votre situation actuelle", response.text)
