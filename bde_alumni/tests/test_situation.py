from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestSituation(BdeAlumniCase):
    """A situation counts for one follow-up point, after the exit, and only an
    employed alumni has a contract and an employer."""

    def test_follow_up_point_proposed_from_the_date(self):
        # exit 2026-07-04: 6, 12, 18 and 24 months after it
        dates = ["2027-01-10", "2027-08-20", "2028-01-02", "2028-09-30"]
        situations = [self._make_situation(date=day) for day in dates]
        self.assertEqual([s.months_after_exit for s in situations], [6, 12, 18, 24])
        # a call two months after exit counts for the first point
        self.assertEqual(self._make_situation(date="2026-09-05").months_after_exit, 6)
        # the BDE may decide otherwise (a late answer to the 6-month survey)
        situations[1].months_after_exit = 6
        self.assertEqual(situations[1].months_after_exit, 6)

    def test_follow_up_point_is_6_12_18_or_24(self):
        with self.assertRaisesRegex(ValidationError, "6, 12, 18 or 24 months"):
            self._make_situation(months_after_exit=9)
        situation = self._make_situation()
        with self.assertRaisesRegex(ValidationError, "not 36"):
            situation.months_after_exit = 36

    def test_follow_up_point_without_exit_date(self):
        alumni = self._make_alumni("Sans Date", bde_exit_date=False)
        with self.assertRaisesRegex(ValidationError, "6, 12, 18 or 24 months"):
            self._make_situation(partner=alumni)
        self.assertEqual(
            self._make_situation(
                partner=alumni, months_after_exit=12
            ).months_after_exit,
            12,
        )

    def test_contract_and_employer_only_when_employed(self):
        for vals in (
            {"status": "seeking", "contract_type": "fixed_term"},
            {"status": "studies", "employer_id": self.company_partner.id},
            {"status": "other", "employer_name": "Garage Dupont"},
        ):
            with self.assertRaises(ValidationError) as error:
                self._make_situation(**{"contract_type": False, **vals})
            self.assertIn("Only an employed alumni", str(error.exception))
        self.assertFalse(
            self.env["bde.alumni.situation"].search(
                [("partner_id", "=", self.alumni.id)]
            )
        )

    def test_changing_the_status_clears_the_employment(self):
        situation = self._make_situation(
            employer_id=self.company_partner.id, job_title="Vendeuse"
        )
        situation.status = "studies"
        self.assertFalse(situation.contract_type)
        self.assertFalse(situation.employer_id)
        # an apprentice is employed: the contract says it is further training
        situation.write({"status": "employed", "contract_type": "apprenticeship"})
        self.assertEqual(situation.contract_type, "apprenticeship")

        with Form(situation.with_user(self.user_officer)) as situation_form:
            situation_form.employer_name = "Boulangerie Dupont"
            situation_form.status = "seeking"
            self.assertFalse(situation_form.employer_name)
            self.assertFalse(situation_form.contract_type)
        self.assertEqual(situation.status, "seeking")
        self.assertFalse(situation.employer_name)

    def test_no_situation_before_the_exit(self):
        self._make_situation(date="2026-07-04")
        with self.assertRaisesRegex(ValidationError, "before they left the lycée"):
            self._make_situation(date="2026-06-30")

    def test_a_batch_with_one_bad_situation_writes_nothing(self):
        with self.assertRaises(ValidationError):
            self.env["bde.alumni.situation"].create(
                [
                    {"partner_id": self.alumni.id, "date": "2027-01-10"},
                    {"partner_id": self.alumni.id, "date": "2025-01-10"},
                ]
            )
        self.assertFalse(
            self.env["bde.alumni.situation"].search(
                [("partner_id", "=", self.alumni.id)]
            )
        )

    def test_analysis_views(self):
        self._make_situation(date="2027-01-10", status="seeking", contract_type=False)
        self._make_situation(date="2027-07-10")
        views = self.env["bde.alumni.situation"].get_views(
            [(False, "pivot"), (False, "graph")]
        )
        self.assertIn("months_after_exit", views["views"]["pivot"]["arch"])
        counts = dict(
            self.env["bde.alumni.situation"]._read_group(
                [("partner_id", "=", self.alumni.id)],
                ["months_after_exit"],
                ["__count"],
            )
        )
        self.assertEqual(counts, {6: 1, 12: 1})

    def test_display_name_says_what_the_alumni_does(self):
        employed = self._make_situation(
            job_title="Vendeuse", employer_id=self.company_partner.id
        )
        self.assertEqual(employed.display_name, "Vendeuse – Boulangerie Test")
        studies = self._make_situation(
            status="studies", contract_type=False, study_formation="BTS MCO"
        )
        self.assertEqual(studies.display_name, "BTS MCO")
        seeking = self._make_situation(status="seeking", contract_type=False)
        self.assertEqual(seeking.display_name, "Job seeking")
