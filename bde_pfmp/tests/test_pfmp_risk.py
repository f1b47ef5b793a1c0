from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)

from .board_reader import AT_RISK_CHART, BoardChartReader
from .common import BdePfmpCase

SIGNATURES = (
    "date_signed_school",
    "date_signed_host",
    "date_signed_tutor",
    "date_signed_teacher",
    "date_signed_student",
)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpRisk(BoardChartReader, BdePfmpCase):
    """The students at risk, laid out around the lycées' today (the view
    counts from LYCEE_TODAY).

    Lycée 1, class A (teacher A), a period under way for three weeks: Chloé,
    a minor, has no placement at all; Hugo is at his host, in progress, his
    convention 60 % signed (3 of 5); Sami searches for a host; Jade's
    convention is signed but her placement not started; Tom is in progress,
    fully signed: no risk. Class B (teacher B): a period starting in 15 days
    (the lycée's default), Inès without placement, at risk; class C: a period
    starting in 16 days, Noé without placement, not at risk yet but without
    host (21 days). Lycée 2: a period under way, Lina without placement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = lycee_today()
        cls.teacher_b = new_test_user(
            cls.env,
            login="bde_risk_teacher_b",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.class_a, cls.period_a = cls._class_period(
            cls.lycee, cls.today - timedelta(days=21), cls.user_teacher
        )
        cls.chloe = cls._student("Chloé Petit", cls.class_a, minor=True)
        cls.hugo = cls._student("Hugo Garnier", cls.class_a)
        cls.sami = cls._student("Sami Benali", cls.class_a)
        cls.jade = cls._student("Jade Morel", cls.class_a)
        cls.tom = cls._student("Tom Leroy", cls.class_a)
        cls.p_hugo = cls._placement(cls.hugo, cls.period_a, "in_progress", 3)
        cls.p_sami = cls._placement(cls.sami, cls.period_a, "searching", 0)
        cls.p_jade = cls._placement(cls.jade, cls.period_a, "signed", 5)
        cls.p_tom = cls._placement(cls.tom, cls.period_a, "in_progress", 5)
        cls.class_b, cls.period_b = cls._class_period(
            cls.lycee, cls.today + timedelta(days=15), cls.teacher_b
        )
        cls.ines = cls._student("Inès Blanc", cls.class_b)
        cls.class_c, cls.period_c = cls._class_period(
            cls.lycee, cls.today + timedelta(days=16), cls.teacher_b
        )
        cls.noe = cls._student("Noé Faure", cls.class_c)
        cls.class_z, cls.period_z = cls._class_period(
            cls.other_lycee, cls.today - timedelta(days=2)
        )
        cls.lina = cls._student("Lina Roux", cls.class_z)
        cls.Risk = cls.env["bde.pfmp.risk"]
        cls.alert_type = cls.env.ref("bde_pfmp.mail_activity_type_pfmp_at_risk")

    @classmethod
    def _class_period(cls, lycee, start, teacher=None):
        """A class of the school year of ``start`` and its period from
        ``start``, 4 weeks long or to the end of the school year."""
        year = school_year_of(start)
        first_day, last_day = school_year_bounds(year)
        start = max(start, first_day)
        school_class = cls.env["bde.class"].create(
            {
                "name": f"Risk {lycee.name} {start}",
                "formation_id": cls.formation.id,
                "school_year": year,
                "company_id": lycee.id,
                "teacher_id": teacher and teacher.id,
            }
        )
        period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP risk",
                "class_id": school_class.id,
                "date_start": start,
                "date_end": min(start + timedelta(days=34), last_day),
            }
        )
        return school_class, period

    @classmethod
    def _student(cls, name, school_class, minor=False):
        years = 16 if minor else 19
        return cls.env["res.partner"].create(
            {
                "name": name,
                "bde_is_student": True,
                "bde_birthdate": cls.today - timedelta(days=365 * years),
                "bde_class_id": school_class.id,
                "company_id": school_class.company_id.id,
            }
        )

    @classmethod
    def _placement(cls, student, period, state, signatures):
        hosted = state != "searching"
        placement = cls.env["bde.pfmp.placement"].create(
            {
                **period._prepare_placement_values(student),
                "partner_id": hosted and cls.company_partner.id,
                "tutor_id": hosted and cls.tutor.id,
                "state": "host_found" if hosted else "searching",
            }
        )
        placement.write({name: cls.today for name in SIGNATURES[:signatures]})
        if state not in ("searching", "host_found"):
            # The steps' own checks are not what is tested here.
            placement.sudo()._write_trusted({"state": state})
        return placement

    def _rows(self, user=None, domain=()):
        Risk = self.Risk.with_user(user) if user else self.Risk
        # A SQL view: its rows are read anew after each change.
        self.env.flush_all()
        self.env.invalidate_all()
        return Risk.search([*domain])

    def _reasons(self, rows):
        return {
            row.student_id: (row.risk_reason, row.is_at_risk)
            for row in rows
            if row.company_id in (self.lycee | self.other_lycee)
        }

    def _alerts(self, placement):
        return placement.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.alert_type
        )

    # ------------------------------------------------------------
    # Detection
    # ------------------------------------------------------------

    def test_each_reason(self):
        reasons = self._reasons(self._rows())
        self.assertEqual(reasons[self.chloe], ("no_placement", True))
        self.assertEqual(reasons[self.hugo], ("not_signed", True))
        self.assertEqual(reasons[self.sami], ("no_host", True))
        self.assertEqual(reasons[self.jade], ("not_started", True))
        self.assertEqual(reasons[self.tom], (False, False))
        self.assertEqual(reasons[self.lina], ("no_placement", True))
        self.assertAlmostEqual(self.p_hugo.signature_progress, 60.0)
        hugo = self._rows(domain=[("student_id", "=", self.hugo.id)])
        self.assertEqual(hugo.placement_id, self.p_hugo)
        self.assertEqual(hugo.placement_state, "in_progress")
        chloe = self._rows(domain=[("student_id", "=", self.chloe.id)])
        self.assertTrue(chloe.is_minor)
        self.assertFalse(chloe.placement_id)
        self.assertEqual(chloe.teacher_id, self.user_teacher)
        self.assertFalse(hugo.is_minor)

    def test_at_risk_list_shows_only_risks_first(self):
        action = self.env.ref("bde_pfmp.bde_pfmp_risk_action")
        self.assertIn("search_default_filter_at_risk", action.context)
        rows = self._rows(domain=[("is_at_risk", "=", True)])
        self.assertNotIn(self.tom, rows.student_id)
        self.assertIn(self.chloe, rows.student_id)
        everyone = self._rows(domain=[("class_id", "=", self.class_a.id)])
        self.assertEqual(everyone[-1].student_id, self.tom, "at-risk rows first")

    def test_period_within_days_or_not(self):
        reasons = self._reasons(self._rows())
        self.assertEqual(reasons[self.ines], ("no_placement", True))
        self.assertEqual(reasons[self.noe], ("no_placement", False))
        noe = self._rows(domain=[("student_id", "=", self.noe.id)])
        self.assertTrue(noe.is_without_host, "21 days for the students without host")
        self.lycee.bde_pfmp_risk_days = 16
        self.assertEqual(self._reasons(self._rows())[self.noe], ("no_placement", True))

    def test_ended_period_and_cancelled_placement(self):
        self.p_sami.sudo()._write_trusted({"state": "cancelled"})
        self.assertEqual(self._reasons(self._rows())[self.sami], ("no_placement", True))
        self.period_a.date_end = self.today - timedelta(days=1)
        self.assertNotIn(self.chloe, self._rows().student_id)

    # ------------------------------------------------------------
    # Counted on the figures, the board and the students without host
    # ------------------------------------------------------------

    def test_student_without_placement_counted_everywhere(self):
        self.env.flush_all()
        report = self.env["bde.lycee.report"].search(
            [
                ("company_id", "=", self.lycee.id),
                ("school_year", "=", self.class_a.school_year),
            ]
        )
        # Chloé, Hugo, Sami, Jade (and Inès when in the same school year).
        same_year = self.class_b.school_year == self.class_a.school_year
        self.assertEqual(report.pfmp_at_risk_count, 4 + same_year)
        model, domain = report._get_figure_domains()["pfmp_at_risk_count"]
        listed = self.env[model].search(domain).student_id
        self.assertIn(self.chloe, listed)
        self.assertEqual(len(listed), report.pfmp_at_risk_count)
        self.assertIn(
            self.chloe,
            self.env["res.partner"].search(
                report._get_figure_domains()["pfmp_no_host_count"][1]
            ),
        )
        # "Students without host" lists the students, not the placements.
        action = self.env.ref("bde_pfmp.bde_pfmp_placement_action_without_host")
        self.assertEqual(action.res_model, "bde.pfmp.risk")
        without_host = self._rows(
            self.user_officer, [("is_without_host", "=", True)]
        ).student_id
        self.assertEqual(without_host, self.chloe | self.sami | self.ines | self.noe)

    def test_board_lists_students_at_risk_first(self):
        actions = list(self._board_actions(self.user_officer))
        self.assertEqual(actions[0], AT_RISK_CHART)
        figures, total = self._chart(self.user_officer, AT_RISK_CHART, self.lycee)
        this_year = self.class_a.school_year == school_year_of(self.today)
        if this_year:
            self.assertEqual(figures[(self.class_a.id, "no_placement")], 1)
            self.assertEqual(figures[(self.class_a.id, "not_signed")], 1)
            self.assertGreaterEqual(total, 4)
        # The teacher B counts their classes only.
        figures, _total = self._chart(self.teacher_b, AT_RISK_CHART)
        self.assertFalse([key for key in figures if key[0] == self.class_a.id])
        # The network reader gets no nominative chart, only the figures.
        self.assertNotIn(AT_RISK_CHART, self._board_actions(self.user_reader))

    # ------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------

    def test_two_lycees(self):
        mine = self._rows(self.user_officer)
        self.assertIn(self.chloe, mine.student_id)
        self.assertNotIn(self.lina, mine.student_id)
        theirs = self._rows(self.user_other_lycee)
        self.assertEqual(theirs.student_id, self.lina)
        with self.assertRaises(AccessError):
            self.Risk.with_user(self.user_reader).search([])
        # The network reader reads the count, no name.
        [figures] = (
            self.env["bde.lycee.report"]
            .with_user(self.user_reader)
            .search_read(
                [
                    ("company_id", "=", self.lycee.id),
                    ("school_year", "=", self.class_a.school_year),
                ],
                ["pfmp_at_risk_count"],
            )
        )
        self.assertGreaterEqual(figures["pfmp_at_risk_count"], 4)
        self.assertIn("pfmp_at_risk_count", self.env["bde.network.report"]._fields)

    def test_teacher_sees_their_students(self):
        students_a = self._rows(self.user_teacher).student_id
        self.assertIn(self.chloe, students_a)
        self.assertNotIn(self.ines, students_a)
        students_b = self._rows(self.teacher_b).student_id
        self.assertEqual(students_b, self.ines | self.noe)

    def test_open_or_create_placement(self):
        chloe = self._rows(domain=[("student_id", "=", self.chloe.id)])
        action = chloe.with_user(self.user_teacher).action_open_placement()
        self.assertEqual(action["context"]["default_student_id"], self.chloe.id)
        self.assertEqual(action["context"]["default_period_id"], self.period_a.id)
        self.assertEqual(action["context"]["default_state"], "searching")
        hugo = self._rows(domain=[("student_id", "=", self.hugo.id)])
        self.assertEqual(hugo.action_open_placement()["res_id"], self.p_hugo.id)

    # ------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------

    def test_alerts_sent_once(self):
        # Rows read before, in the same transaction, as a user's list would.
        self.env.flush_all()
        self.Risk.search([]).mapped("placement_id")
        self.Risk._cron_alert_at_risk()
        self.Risk._cron_alert_at_risk()
        placement = self.env["bde.pfmp.placement"].search(
            [("student_id", "=", self.chloe.id)]
        )
        self.assertEqual(placement.state, "searching", "created to bear the alert")
        self.assertEqual(placement.period_id, self.period_a)
        alerts = self._alerts(placement)
        self.assertIn(self.user_teacher, alerts.user_id)
        self.assertIn(self.user_officer, alerts.user_id)
        self.assertNotIn(self.user_other_lycee, alerts.user_id)
        self.assertEqual(len(alerts), len(alerts.user_id), "one per person")
        for p in (self.p_hugo, self.p_jade, self.p_sami):
            self.assertEqual(len(self._alerts(p)), len(alerts), p.student_id.name)
        self.assertFalse(self._alerts(self.p_tom))
        lina = self.env["bde.pfmp.placement"].search(
            [("student_id", "=", self.lina.id)]
        )
        self.assertEqual(self._alerts(lina).user_id, self.user_other_lycee)
        # Done, the same risk never alerts again.
        alerts.action_feedback(feedback="Called the family")
        self.Risk._cron_alert_at_risk()
        self.assertFalse(self._alerts(placement))

    def test_one_refused_placement_holds_up_no_other_alert(self):
        Period = type(self.env["bde.pfmp.period"])
        prepare = Period._prepare_placement_values

        def refuse_chloe(period, student):
            if student == self.chloe:
                raise ValidationError("Refused")
            return prepare(period, student)

        with patch.object(Period, "_prepare_placement_values", refuse_chloe):
            self.Risk._cron_alert_at_risk()
        Placement = self.env["bde.pfmp.placement"]
        self.assertFalse(Placement.search([("student_id", "=", self.chloe.id)]))
        lina = Placement.search([("student_id", "=", self.lina.id)])
        self.assertTrue(self._alerts(lina))
        self.assertTrue(self._alerts(self.p_hugo))

    def test_new_risk_alerts_once_previous_done(self):
        self.Risk._cron_alert_at_risk()
        self.assertEqual(self.p_sami.risk_alert_reason, "no_host")
        self.p_sami.write({"partner_id": self.company_partner.id})
        self.p_sami.sudo()._write_trusted(
            {"state": "host_found", "tutor_id": self.tutor.id}
        )
        self.env.flush_all()
        self.assertEqual(self._reasons(self._rows())[self.sami][0], "not_signed")
        open_alerts = self._alerts(self.p_sami)
        self.Risk._cron_alert_at_risk()
        self.assertEqual(self._alerts(self.p_sami), open_alerts, "previous open")
        open_alerts.action_feedback(feedback="Host found")
        self.Risk._cron_alert_at_risk()
        self.assertEqual(len(self._alerts(self.p_sami)), len(open_alerts))
        self.assertEqual(self.p_sami.risk_alert_reason, "not_signed")

    def test_alert_done_once_the_risk_is_gone(self):
        self.Risk._cron_alert_at_risk()
        self.assertTrue(self._alerts(self.p_hugo))
        jade_alerts = self._alerts(self.p_jade)
        # Hugo's convention gets its last two signatures.
        self.p_hugo.write({name: self.today for name in SIGNATURES})
        self.Risk._cron_alert_at_risk()
        self.assertFalse(self._alerts(self.p_hugo))
        self.assertFalse(self.p_hugo.risk_alert_reason)
        self.assertIn(
            "No longer at risk",
            " ".join(str(body) for body in self.p_hugo.message_ids.mapped("body")),
        )
        self.assertEqual(self._alerts(self.p_jade), jade_alerts, "still at risk")

    def test_no_double_alert_with_no_host_reminder(self):
        Placement = self.env["bde.pfmp.placement"]
        self.p_sami.no_host_reminder_date = self.today
        self.Risk._cron_alert_at_risk()
        self.assertNotIn(self.user_teacher, self._alerts(self.p_sami).user_id)
        self.assertIn(self.user_officer, self._alerts(self.p_sami).user_id)
        # Alerted as at risk first, no no-host reminder after.
        ines = Placement.search([("student_id", "=", self.ines.id)])
        self.assertEqual(ines.risk_alert_reason, "no_host")
        Placement._cron_remind_no_host()
        self.assertFalse(ines.no_host_reminder_date)

    # ------------------------------------------------------------
    # Cost
    # ------------------------------------------------------------

    def test_list_read_does_not_grow_with_students(self):
        # The columns of the at-risk list.
        fields = [
            "student_id",
            "is_minor",
            "class_id",
            "period_id",
            "date_start",
            "date_end",
            "placement_id",
            "placement_state",
            "signature_progress",
            "teacher_id",
            "risk_reason",
            "is_at_risk",
            "company_id",
        ]
        Risk = self.Risk.with_user(self.user_officer)

        def count(domain):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Risk.search_read(domain, fields)
            return self.env.cr.sql_log_count - before

        once = count([("class_id", "=", self.class_a.id)])
        for index in range(20):
            self._placement(
                self._student(f"Élève {index}", self.class_a),
                self.period_a,
                "searching",
                0,
            )
        self.assertLessEqual(count([("class_id", "=", self.class_a.id)]), once)
