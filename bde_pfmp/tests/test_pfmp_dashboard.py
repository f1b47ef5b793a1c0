from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
@freeze_time("2025-11-20")
class TestPfmpDashboard(BdePfmpCase):
    """A known dataset in the school year 2025-2026, seen on 20 November 2025:
    the November period (3 to 28, middle on the 15th) is under way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Period = cls.env["bde.pfmp.period"]
        cls.period_sept = Period.create(
            {
                "name": "PFMP 0",
                "class_id": cls.school_class.id,
                "date_start": "2025-09-15",
                "date_end": "2025-10-10",
            }
        )
        cls.period_dec = Period.create(
            {
                "name": "PFMP 2",
                "class_id": cls.school_class.id,
                "date_start": "2025-12-01",
                "date_end": "2025-12-19",
            }
        )
        cls.period_jan = Period.create(
            {
                "name": "PFMP 3",
                "class_id": cls.school_class.id,
                "date_start": "2026-01-12",
                "date_end": "2026-02-06",
            }
        )
        cls.student3 = cls._make_student("Inès Robert", "1234567892C")
        cls.student4 = cls._make_student("Tom Petit", "1234567893D")
        # Late: in progress past its middle with a visit only planned.
        cls.p_late = cls._make_placement(state="in_progress", days_done=10)
        cls.env["bde.pfmp.visit"].create(
            {"placement_id": cls.p_late.id, "date": "2025-11-25"}
        )
        cls.p_visited = cls._make_placement(
            student=cls.student_adult, state="in_progress", days_done=12
        )
        cls.env["bde.pfmp.visit"].create(
            {
                "placement_id": cls.p_visited.id,
                "date": "2025-11-10",
                "date_done": "2025-11-10",
            }
        )
        cls.p_done = cls._make_placement(
            student=cls.student3,
            period_id=cls.period_sept.id,
            state="done",
            days_done=15,
        )
        # Starts in 11 days, still searching: a student without host.
        cls.p_no_host = cls._make_placement(
            student=cls.student4,
            period_id=cls.period_dec.id,
            state="searching",
            partner_id=False,
            tutor_id=False,
        )
        # Starts in 53 days: not yet a worry.
        cls.p_later = cls._make_placement(
            period_id=cls.period_jan.id,
            state="searching",
            partner_id=False,
            tutor_id=False,
        )
        cls.p_cancelled = cls._make_placement(
            student=cls.student3, period_id=cls.period_dec.id, state="cancelled"
        )
        Rating = cls.env["bde.host.rating"]
        Rating.create(
            {"placement_id": cls.p_done.id, "rater_type": "teacher", "score": 4}
        )
        Rating.create(
            {"placement_id": cls.p_done.id, "rater_type": "tutor", "score": 3}
        )
        cls._make_other_lycee_placements()

    @classmethod
    def _make_student(cls, name, ine, school_class=None, company=None):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "bde_is_student": True,
                "bde_ine": ine,
                "bde_birthdate": "2008-05-02",
                "bde_class_id": (school_class or cls.school_class).id,
                "company_id": (company or cls.lycee).id,
            }
        )

    @classmethod
    def _make_other_lycee_placements(cls):
        other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "company_id": cls.other_lycee.id,
            }
        )
        other_period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 1",
                "class_id": other_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )
        other_student = cls._make_student(
            "Jade Morel", "1234567894E", other_class, cls.other_lycee
        )
        cls.p_other = cls._make_placement(
            student=other_student,
            period_id=other_period.id,
            state="in_progress",
            days_done=20,
        )

    def _dashboard(self, user=None, company=None):
        Dashboard = self.env["bde.pfmp.dashboard"]
        if user:
            Dashboard = Dashboard.with_user(user)
        return Dashboard.with_company(company or self.lycee).create({})

    def test_figures_of_the_lycee(self):
        dashboard = self._dashboard()
        live = (
            self.p_late | self.p_visited | self.p_done | self.p_no_host | self.p_later
        )
        self.assertEqual(dashboard.school_year, "2025-2026")
        self.assertEqual(dashboard.placement_count, 5)
        self.assertEqual(dashboard.no_host_count, 1)
        self.assertEqual(dashboard.visit_late_count, 1)
        self.assertEqual(dashboard.rating_count, 2)
        self.assertAlmostEqual(dashboard.rating_avg, 3.5)
        self.assertEqual(dashboard.allowance_days, 37)
        # Tle pro (MEF_STAT4 2383) in 2025-2026: 20 € a day, far from the cap.
        self.assertEqual(dashboard.allowance_amount, 740.0)
        self.assertEqual(
            dashboard.allowance_amount, sum(live.mapped("allowance_amount"))
        )
        self.assertEqual(
            dashboard.aplypro_blocked_count,
            len(live.student_id.filtered("bde_aplypro_blocked")),
        )

    def test_state_matrix_by_class_and_period(self):
        dashboard = self._dashboard()
        groups = self.env["bde.pfmp.placement"]._read_group(
            dashboard._get_placement_domain(),
            ["class_id", "period_id", "state"],
            ["__count"],
        )
        matrix = dashboard._get_state_matrix(groups)
        self.assertEqual(matrix["states"], ["searching", "in_progress", "done"])
        self.assertEqual(
            [(row["period"], row["counts"], row["total"]) for row in matrix["rows"]],
            [
                (self.period_sept, {"done": 1}, 1),
                (self.period, {"in_progress": 2}, 2),
                (self.period_dec, {"searching": 1}, 1),
                (self.period_jan, {"searching": 1}, 1),
            ],
        )
        html = str(dashboard.placement_state_html)
        self.assertIn("PFMP 2", html)
        self.assertNotIn("Cancelled", html)

    def test_drill_down_opens_the_counted_placements(self):
        dashboard = self._dashboard(user=self.user_teacher)
        Placement = self.env["bde.pfmp.placement"].with_user(self.user_teacher)
        for action, expected in (
            (dashboard.action_open_visit_late(), self.p_late),
            (dashboard.action_open_no_host(), self.p_no_host),
        ):
            self.assertEqual(Placement.search(action["domain"]), expected)
        action = dashboard.action_open_placements()
        self.assertEqual(
            action["context"]["pivot_row_groupby"], ["class_id", "period_id"]
        )
        self.assertEqual(len(Placement.search(action["domain"])), 5)

    def test_other_lycee_sees_its_own_figures(self):
        dashboard = self._dashboard(
            user=self.user_other_lycee, company=self.other_lycee
        )
        self.assertEqual(dashboard.placement_count, 1)
        self.assertEqual(dashboard.visit_late_count, 1)
        self.assertEqual(dashboard.no_host_count, 0)
        self.assertEqual(dashboard.rating_count, 0)
        self.assertEqual(dashboard.allowance_days, 20)

    def test_network_reader_sees_figures_not_placements(self):
        dashboard = self._dashboard(user=self.user_reader)
        self.assertEqual(dashboard.placement_count, 5)
        self.assertAlmostEqual(dashboard.rating_avg, 3.5)
        with self.assertRaises(AccessError):
            self.env["bde.pfmp.placement"].with_user(self.user_reader).search([])
