import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)

from .board_reader import (
    ALLOWANCE_CHART,
    AT_RISK_CHART,
    LATE_CHART,
    LYCEE_FIGURES,
    PFMP_CHARTS,
    RATING_CHART,
    SIGNATURE_CHART,
    STATE_CHART,
    VISIT_CHART,
    BoardChartReader,
)
from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
@freeze_time("2026-12-01")
class TestPfmpBoard(BoardChartReader, BdePfmpCase):
    """Two lycées and two school years, seen on 1 December 2026 (school year
    2026-2027). Each chart of the PFMP board is read as the web client reads
    it: the board's domain and context, the filters its context selects in
    the action's search view, the graph's group-bys and measure; its figures
    are compared with the hand-counted case below.

    Lycée 1, 2026-2027, class A (teacher A): a1 signed (every signature),
    a2 signed on paper, a3 in progress fully signed and visited (12 days),
    a4 searching, a5 cancelled. Class B (teacher B): b1 in progress, 2 of 5
    signatures, a visit planned, past its middle: late; b2 to sign, no
    signature; b3 done in October, 10 days, rated 4 and 5 (host 1, sector
    S1); b4 evaluated in October, 5 days, rated 2 (host 2, sector S2).
    Lycée 1, 2025-2026: y1 done, rated 1 (host 1). Lycée 2, 2026-2027: z1
    in progress and late, z2 done, rated 3 (host 1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sector2 = cls.env["bde.sector"].create({"name": "Hotel test"})
        cls.company_partner.bde_sector_ids = cls.sector
        cls.host2 = cls.env["res.partner"].create(
            {
                "name": "Hôtel Test",
                "is_company": True,
                "bde_sector_ids": [(6, 0, cls.sector2.ids)],
            }
        )
        cls.tutor2 = cls.env["res.partner"].create(
            {"name": "Anne Tutrice", "parent_id": cls.host2.id, "bde_is_tutor": True}
        )
        cls.teacher_b = new_test_user(
            cls.env,
            login="bde_teacher_b",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.reader_both = new_test_user(
            cls.env,
            login="bde_reader_both",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id, cls.other_lycee.id],
        )
        # A made-up MEF level and its rate: 15 € a day, whatever is shipped.
        cls.env["bde.allowance.rate"].create(
            {
                "school_year": "2026-2027",
                "mef_stat4": "2999",
                "daily_rate": 15,
                "yearly_cap": 1000,
            }
        )
        cls.class_a = cls._make_class("A", cls.lycee, cls.user_teacher)
        cls.class_b = cls._make_class("B", cls.lycee, cls.teacher_b)
        cls.class_last = cls._make_class("A 2025", cls.lycee, cls.user_teacher, 2025)
        cls.class_z = cls._make_class("Z", cls.other_lycee, False)
        cls._make_lycee_placements()
        cls._make_ratings()

    @classmethod
    def _make_class(cls, name, lycee, teacher, year=2026):
        return cls.env["bde.class"].create(
            {
                "name": f"Class {name}",
                "formation_id": cls.formation.id,
                "school_year": f"{year}-{year + 1}",
                "mef_stat4": "2999",
                "company_id": lycee.id,
                "teacher_id": teacher and teacher.id,
            }
        )

    @classmethod
    def _place(cls, school_class, state, dates, host=None, **vals):
        """A placement of a new adult student of ``school_class``."""
        cls._student_count = getattr(cls, "_student_count", 0) + 1
        student = cls.env["res.partner"].create(
            {
                "name": f"Student {cls._student_count}",
                "bde_is_student": True,
                "bde_birthdate": "2006-01-10",
                "bde_class_id": school_class.id,
                "company_id": school_class.company_id.id,
            }
        )
        host = host if host is not None else cls.company_partner
        tutor = {cls.company_partner: cls.tutor, cls.host2: cls.tutor2}.get(host)
        return cls.env["bde.pfmp.placement"].create(
            {
                "student_id": student.id,
                "class_id": school_class.id,
                "date_start": dates[0],
                "date_end": dates[1],
                "partner_id": host and host.id,
                "tutor_id": tutor and tutor.id,
                "state": state,
                **vals,
            }
        )

    @classmethod
    def _make_lycee_placements(cls):
        later = ("2027-01-11", "2027-02-12")
        now = ("2026-11-09", "2026-12-11")
        october = ("2026-10-05", "2026-10-30")
        A, B = cls.class_a, cls.class_b
        cls.a1 = cls._place(A, "signed", later)
        cls._sign_by_all(cls.a1, "2026-11-20")
        scan = "UERGIHNjYW4="
        cls.a2 = cls._place(A, "signed", later, signed_on_paper=True, signed_scan=scan)
        cls.a3 = cls._place(A, "in_progress", now, days_done=12)
        cls._sign_by_all(cls.a3, "2026-10-20")
        cls._visit(cls.a3, done="2026-11-20")
        cls.a4 = cls._place(A, "searching", later, host=False)
        cls.a5 = cls._place(A, "cancelled", later)
        cls.b1 = cls._place(B, "in_progress", now)
        cls.b1.write(
            {"date_signed_host": "2026-10-20", "date_signed_tutor": "2026-10-20"}
        )
        cls._visit(cls.b1)
        cls.b2 = cls._place(B, "to_sign", later)
        cls.b3 = cls._place(B, "done", october, days_done=10)
        cls._sign_by_all(cls.b3, "2026-09-20")
        cls.b4 = cls._place(B, "evaluated", october, host=cls.host2, days_done=5)
        cls._sign_by_all(cls.b4, "2026-09-20")
        cls.y1 = cls._place(cls.class_last, "done", ("2026-03-02", "2026-03-27"))
        cls.z1 = cls._place(cls.class_z, "in_progress", now)
        cls.z2 = cls._place(cls.class_z, "done", october, days_done=8)

    @classmethod
    def _visit(cls, placement, done=False):
        cls.env["bde.pfmp.visit"].create(
            {"placement_id": placement.id, "date": "2026-11-20", "date_done": done}
        )

    @classmethod
    def _make_ratings(cls):
        Rating = cls.env["bde.host.rating"]
        for placement, rater, score in [
            (cls.b3, "teacher", 4),
            (cls.b3, "tutor", 5),
            (cls.b4, "teacher", 2),
            (cls.y1, "teacher", 1),
            (cls.z2, "teacher", 3),
        ]:
            Rating.create(
                {"placement_id": placement.id, "rater_type": rater, "score": score}
            )

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    def test_placements_by_class_and_state(self):
        A, B = self.class_a.id, self.class_b.id
        figures, total = self._chart(self.user_officer, STATE_CHART)
        self.assertEqual(
            figures,
            {
                (A, "signed"): 2,
                (A, "in_progress"): 1,
                (A, "searching"): 1,
                (B, "in_progress"): 1,
                (B, "to_sign"): 1,
                (B, "done"): 1,
                (B, "evaluated"): 1,
            },
            "cancelled, last year's and the other lycée's placements are left out",
        )
        self.assertEqual(total, sum(figures.values()))
        self.assertEqual(total, 8)

    def test_teacher_counts_their_students_only(self):
        A, Z = self.class_a.id, self.class_z.id
        figures, total = self._chart(self.user_teacher, STATE_CHART)
        self.assertEqual(
            figures,
            {
                (A, "signed"): 2,
                (A, "in_progress"): 1,
                (A, "searching"): 1,
            },
        )
        self.assertEqual(total, 4)
        figures, total = self._chart(self.user_other_lycee, STATE_CHART)
        self.assertEqual(figures, {(Z, "in_progress"): 1, (Z, "done"): 1})
        self.assertEqual(total, 2)

    def test_signature_progress(self):
        A, B = self.class_a.id, self.class_b.id
        figures, total = self._chart(self.user_officer, SIGNATURE_CHART)
        self.assertEqual(
            figures,
            {
                (A, "signed"): 2,
                (A, "paper"): 1,
                (B, "partly"): 1,
                (B, "none"): 1,
                (B, "signed"): 2,
            },
            "a placement still searching has no convention to sign",
        )
        self.assertEqual(total, sum(figures.values()))

    def test_visits_of_placements_in_progress(self):
        A, B = self.class_a.id, self.class_b.id
        figures, total = self._chart(self.user_officer, VISIT_CHART)
        self.assertEqual(figures, {(A, "done"): 1, (B, "planned"): 1})
        self.assertEqual(total, 2)
        figures, total = self._chart(self.user_officer, LATE_CHART)
        self.assertEqual(figures, {(self.teacher_b.id,): 1})
        self.assertEqual(total, 1)

    def test_late_visit_boundary(self):
        """Late once past the middle (25 November), not on it."""
        with freeze_time("2026-11-25"):
            figures, _total = self._chart(self.user_officer, LATE_CHART)
        self.assertEqual(figures, {})
        with freeze_time("2026-11-26"):
            figures, _total = self._chart(self.user_officer, LATE_CHART)
        self.assertEqual(figures, {(self.teacher_b.id,): 1})

    def test_ratings_of_the_school_year_by_sector(self):
        figures, average = self._chart(self.user_officer, RATING_CHART)
        self.assertEqual(
            figures,
            {(self.sector.id,): 4.5, (self.sector2.id,): 2.0},
            "last year's rating of 1 is not in this year's average",
        )
        self.assertAlmostEqual(average, 11 / 3)
        Rating = self.env["bde.host.rating"].with_user(self.user_officer)
        counts = Rating.read_group(
            [("is_current_school_year", "=", True)],
            ["__count"],
            ["host_sector_id"],
            lazy=False,
        )
        self.assertEqual([group["__count"] for group in counts], [2, 1])
        self.assertEqual(
            Rating.search_count([("is_current_school_year", "=", True)]), 3
        )

    def test_network_reader_reads_the_ratings_of_their_lycees(self):
        """Every lycée they follow, with only the first one ticked in the
        company switcher, as the web client opens; staff of both lycées read
        the lycées ticked."""
        figures, average = self._chart(self.reader_both, RATING_CHART, self.lycee)
        self.assertEqual(figures, {(self.sector.id,): 4.0, (self.sector2.id,): 2.0})
        self.assertAlmostEqual(average, 14 / 4)
        self.user_manager.company_ids = self.lycee | self.other_lycee
        figures, average = self._chart(self.user_manager, RATING_CHART, self.lycee)
        self.assertEqual(figures, {(self.sector.id,): 4.5, (self.sector2.id,): 2.0})
        self.assertAlmostEqual(average, 11 / 3)

    def test_allowances_by_class_and_month(self):
        A, B = self.class_a.id, self.class_b.id
        figures, total = self._chart(self.user_officer, ALLOWANCE_CHART)
        self.assertEqual(
            figures,
            {("October 2026", B): 225.0, ("November 2026", A): 180.0},
            "15 € a day: b3 10 days and b4 5 days in October, a3 12 in November",
        )
        self.assertEqual(total, sum(figures.values()))
        Placement = self.env["bde.pfmp.placement"].with_user(self.user_officer)
        [days] = Placement.read_group(
            [("is_current_school_year", "=", True), ("state", "!=", "cancelled")],
            ["days_done:sum"],
            [],
        )
        self.assertEqual(days["days_done"], 27)

    def test_chart_queries_do_not_grow_with_the_placements(self):
        """Each chart is two grouped queries (rows and total), whether the
        lycée has 10 placements this school year or 5 times more."""
        titles = [STATE_CHART, SIGNATURE_CHART, VISIT_CHART, ALLOWANCE_CHART]
        counts = []
        for more in (0, 40):
            for _index in range(more):
                self._place(self.class_b, "in_progress", ("2026-11-09", "2026-12-11"))
            self.env.flush_all()
            for title in titles:
                self._chart(self.user_officer, title)  # the views' caches
            before = self.cr.sql_log_count
            figures = [self._chart(self.user_officer, title) for title in titles]
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(figures[0][1], 8 + 40)
        self.assertGreater(counts[0], 0)
        self.assertEqual(counts[0], counts[1])

    # ------------------------------------------------------------
    # Current school year, signature state and visit status
    # ------------------------------------------------------------

    def test_current_school_year_turns_on_1_september(self):
        Placement = self.env["bde.pfmp.placement"]
        domain = [
            ("is_current_school_year", "=", True),
            ("id", "in", [self.a1.id, self.y1.id]),
        ]
        with freeze_time("2026-08-31"):
            self.assertEqual(Placement.search(domain), self.y1)
        with freeze_time("2026-09-01"):
            self.assertEqual(Placement.search(domain), self.a1)
            self.assertEqual(
                Placement.search(
                    [
                        ("is_current_school_year", "=", False),
                        ("id", "in", [self.a1.id, self.y1.id]),
                    ]
                ),
                self.y1,
            )

    def test_signature_state_at_each_boundary(self):
        placement = self._place(self.class_b, "to_sign", ("2027-03-01", "2027-03-26"))
        self.assertEqual(placement.signature_state, "none")
        placement.date_signed_host = "2026-11-30"
        self.assertEqual(placement.signature_state, "partly")
        placement.write(
            {
                "date_signed_school": "2026-11-30",
                "date_signed_tutor": "2026-11-30",
                "date_signed_teacher": "2026-11-30",
            }
        )
        self.assertEqual(
            (placement.signature_count, placement.signature_needed), (4, 5)
        )
        self.assertEqual(placement.signature_state, "partly")
        placement.date_signed_student = "2026-11-30"
        self.assertEqual(placement.signature_state, "signed")
        # A minor needs the legal guardian's signature too.
        placement.student_id.bde_birthdate = "2010-05-05"
        self.assertEqual(placement.signature_state, "partly")
        placement.date_signed_guardian = "2026-11-30"
        self.assertEqual(placement.signature_state, "signed")

    def test_signature_state_on_paper(self):
        placement = self._place(self.class_b, "to_sign", ("2027-03-01", "2027-03-26"))
        placement.date_signed_host = "2026-11-30"
        placement.write({"signed_on_paper": True, "signed_scan": "UERGIHNjYW4="})
        self.assertEqual(placement.signature_state, "paper")
        self.assertEqual(placement.signature_progress, 100.0)

    def test_visit_status_follows_the_visits(self):
        self.assertEqual(self.b2.visit_status, "none")
        visit = self.env["bde.pfmp.visit"].create(
            {"placement_id": self.b2.id, "date": "2027-01-20"}
        )
        self.assertEqual(self.b2.visit_status, "planned")
        visit.date_done = "2027-01-20"
        self.assertEqual(self.b2.visit_status, "done")
        visit.unlink()
        self.assertEqual(self.b2.visit_status, "none")

    # ------------------------------------------------------------
    # The board itself
    # ------------------------------------------------------------

    def test_board_as_each_role(self):
        staff_charts = set(PFMP_CHARTS)
        for user in (self.user_officer, self.user_teacher, self.user_manager):
            with self.subTest(user=user.login):
                titles = list(self._board_actions(user))
                # The students at risk first, where the BDE looks first.
                self.assertEqual(titles[:2], [AT_RISK_CHART, LYCEE_FIGURES])
                self.assertTrue(staff_charts <= set(titles))
                for title in staff_charts:
                    self._chart(user, title)
        # The network reader reads no placement: the ratings only.
        titles = list(self._board_actions(self.user_reader))
        self.assertEqual(titles[0], LYCEE_FIGURES)
        self.assertEqual(set(titles) & staff_charts, {RATING_CHART})

    def test_board_action_and_menu(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_dashboard_board_action"
        )
        self.assertEqual(action["res_model"], "board.board")
        self.assertEqual(action["path"], "bde-pfmp-dashboard")
        menu = self.env.ref("bde_pfmp.bde_pfmp_dashboard_menu")
        self.assertEqual(
            menu.action, self.env.ref("bde_pfmp.bde_pfmp_dashboard_board_action")
        )
        # Each embedded action opens on the current school year by itself too.
        for node in self._board_actions(self.user_officer).values():
            embedded = self.env["ir.actions.act_window"].browse(int(node.get("name")))
            context = self._eval(embedded.context)
            if embedded.xml_id.startswith("bde_pfmp."):
                self.assertEqual(context.get("search_default_current_school_year"), 1)
                self.assertEqual(embedded.view_mode.split(",")[0], "graph")


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpBoardTour(HttpCase, BdePfmpCase):
    """The board in Chromium, on the school year of the day the test runs."""

    def test_board_tour(self):
        year = school_year_of(lycee_today())
        start, _end = school_year_bounds(year)
        school_class = self.school_class.copy({"name": "T Board", "school_year": year})
        for name, state in [
            ("Board Student 1", "signed"),
            ("Board Student 2", "in_progress"),
        ]:
            student = self.student_adult.copy({"name": name, "bde_ine": False})
            student.bde_class_id = school_class
            self.env["bde.pfmp.placement"].create(
                {
                    "student_id": student.id,
                    "class_id": school_class.id,
                    "date_start": start + datetime.timedelta(days=30),
                    "date_end": start + datetime.timedelta(days=50),
                    "partner_id": self.company_partner.id,
                    "tutor_id": self.tutor.id,
                    "state": state,
                }
            )
        self.start_tour(
            "/odoo/bde-pfmp-dashboard", "bde_pfmp_board_tour", login="bde_officer"
        )
