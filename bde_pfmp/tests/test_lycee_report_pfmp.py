import base64
import io
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)

from .common import BdePfmpCase

SIGNATURES = (
    "date_signed_school",
    "date_signed_host",
    "date_signed_tutor",
    "date_signed_teacher",
    "date_signed_student",
)


def _shift(school_year, years):
    start = int(school_year[:4]) + years
    return f"{start}-{start + 1}"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestLyceeReportPfmp(BdePfmpCase):
    """The PFMP figures of bde.lycee.report against a case counted by hand:
    two lycées, the current school year and the one before. The view counts
    from the lycées' today (LYCEE_TODAY), so the data are laid out around
    today: periods "under way" are today, last year's are long over.

    Lycée 1, this year (one period today): five placements (in progress,
    signed, done, host found, searching), three fully signed; a cancelled
    one; a student without any placement. Last year: a placement in progress
    with no visit done (late), a done one visited and rated 1/5.
    Lycée 2 (no-host days 0): this year a signed placement, a done one
    rated 5/5 and a student without one; next year a period not started,
    its student not counted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = lycee_today()
        cls.year = school_year_of(cls.today)
        cls.last_year = _shift(cls.year, -1)
        cls.next_year = _shift(cls.year, 1)
        cls.other_lycee.bde_pfmp_no_host_days = 0
        cls.both = cls.lycee | cls.other_lycee
        cls._make_this_year()
        cls._make_last_year()
        cls._make_other_lycee()

    # ------------------------------------------------------------
    # The case
    # ------------------------------------------------------------

    @classmethod
    def _class_period(cls, school_year, lycee, start, end=None):
        school_class = cls.env["bde.class"].create(
            {
                "name": f"T MCV {school_year} {lycee.name}",
                "formation_id": cls.formation.id,
                "school_year": school_year,
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "company_id": lycee.id,
            }
        )
        period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP",
                "class_id": school_class.id,
                "date_start": start,
                "date_end": end or start,
            }
        )
        return school_class, period

    @classmethod
    def _students(cls, school_class, count, start=0):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève {school_class.school_year} {index}",
                    "bde_is_student": True,
                    "bde_ine": f"{school_class.id:07d}{index:03d}X",
                    "bde_birthdate": "2004-01-10",
                    "bde_aplypro_own_bank_account": True,
                    "street": "1 rue de la Gare",
                    "zip": "69001",
                    "city": "Lyon",
                    "bde_class_id": school_class.id,
                    "company_id": school_class.company_id.id,
                }
                for index in range(start, start + count)
            ]
        )

    @classmethod
    def _place(cls, student, period, state, signed=False, **vals):
        values = {
            "student_id": student.id,
            "period_id": period.id,
            "state": state,
        }
        if state != "searching":
            values.update(partner_id=cls.company_partner.id, tutor_id=cls.tutor.id)
        if signed:
            values.update(dict.fromkeys(SIGNATURES, period.date_start))
        values.update(vals)
        return cls.env["bde.pfmp.placement"].create(values)

    @classmethod
    def _make_this_year(cls):
        cls.class_now, period = cls._class_period(cls.year, cls.lycee, cls.today)
        students = cls._students(cls.class_now, 7)
        cls.p_progress = cls._place(
            students[0], period, "in_progress", signed=True, days_done=1
        )
        cls.p_signed = cls._place(students[1], period, "signed", signed=True)
        cls.p_done = cls._place(students[2], period, "done", signed=True, days_done=1)
        cls.p_host_found = cls._place(students[3], period, "host_found")
        cls.p_searching = cls._place(students[4], period, "searching")
        cls.p_cancelled = cls._place(students[5], period, "cancelled")
        # Not late: in progress, its middle is today.
        cls.env["bde.pfmp.visit"].create(
            {
                "placement_id": cls.p_progress.id,
                "date": cls.today,
                "date_done": cls.today,
            }
        )
        Rating = cls.env["bde.host.rating"]
        for rater, score in (("teacher", 4), ("tutor", 3)):
            Rating.create(
                {"placement_id": cls.p_done.id, "rater_type": rater, "score": score}
            )
        # Searching, cancelled, and no placement at all.
        cls.no_host_students = students[4:7]
        cls.live_now = (
            cls.p_progress | cls.p_signed | cls.p_done | cls.p_host_found
        ) | cls.p_searching

    @classmethod
    def _make_last_year(cls):
        first_day = school_year_bounds(cls.last_year)[0]
        cls.class_last, period = cls._class_period(
            cls.last_year,
            cls.lycee,
            first_day + timedelta(days=30),
            first_day + timedelta(days=55),
        )
        # The third student had no placement: the period is over, not counted.
        students = cls._students(cls.class_last, 3)
        cls.p_late = cls._place(students[0], period, "in_progress", signed=True)
        cls.env["bde.pfmp.visit"].create(
            {"placement_id": cls.p_late.id, "date": period.date_start}
        )
        cls.p_last_done = cls._place(
            students[1], period, "done", signed=True, days_done=18
        )
        cls.env["bde.pfmp.visit"].create(
            {
                "placement_id": cls.p_last_done.id,
                "date": period.date_start,
                "date_done": period.date_start,
            }
        )
        cls.env["bde.host.rating"].create(
            {"placement_id": cls.p_last_done.id, "rater_type": "teacher", "score": 1}
        )

    @classmethod
    def _make_other_lycee(cls):
        school_class, period = cls._class_period(cls.year, cls.other_lycee, cls.today)
        students = cls._students(school_class, 2)
        students |= cls._students(school_class, 1, start=2)
        cls.p_other = cls._place(students[0], period, "signed", signed=True)
        cls.other_no_host = students[1]
        p_other_done = cls._place(students[2], period, "done", signed=True)
        cls.env["bde.host.rating"].create(
            {"placement_id": p_other_done.id, "rater_type": "teacher", "score": 5}
        )
        next_class, next_period = cls._class_period(
            cls.next_year,
            cls.other_lycee,
            school_year_bounds(cls.next_year)[0],
        )
        cls._students(next_class, 1)

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _rows(self, user=None):
        Report = self.env["bde.lycee.report"]
        if user:
            Report = Report.with_user(user)
        rows = Report.search([("company_id", "in", self.both.ids)])
        return {(row.company_id, row.school_year): row for row in rows}

    def _row(self, lycee, school_year):
        return self._rows()[lycee, school_year]

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    def test_placements_and_signatures_of_this_year(self):
        row = self._row(self.lycee, self.year)
        self.assertTrue(row.is_current_school_year)
        self.assertEqual(row.pfmp_placement_count, 5, "cancelled excluded")
        self.assertEqual(row.pfmp_signed_count, 3)
        self.assertAlmostEqual(row.pfmp_signature_rate, 60.0)
        other = self._row(self.other_lycee, self.year)
        self.assertEqual(
            (other.pfmp_placement_count, other.pfmp_signature_rate), (2, 100.0)
        )

    def test_placements_of_last_year(self):
        row = self._row(self.lycee, self.last_year)
        self.assertFalse(row.is_current_school_year)
        self.assertEqual((row.pfmp_placement_count, row.pfmp_signed_count), (2, 2))
        self.assertAlmostEqual(row.pfmp_signature_rate, 100.0)
        self.assertEqual(row.pfmp_days_done, 18)

    def test_year_without_placement_has_no_rate(self):
        row = self._row(self.other_lycee, self.next_year)
        self.assertEqual(row.pfmp_placement_count, 0)
        self.assertFalse(row.pfmp_signature_rate)
        self.assertFalse(row.pfmp_rating_avg)

    def test_students_without_host(self):
        # Searching, cancelled, no placement: three in lycée 1 this year.
        self.assertEqual(self._row(self.lycee, self.year).pfmp_no_host_count, 3)
        # Last year's period is over.
        self.assertEqual(self._row(self.lycee, self.last_year).pfmp_no_host_count, 0)
        # Lycée 2 counts 0 days ahead: today's period, not next year's.
        self.assertEqual(self._row(self.other_lycee, self.year).pfmp_no_host_count, 1)
        self.assertEqual(
            self._row(self.other_lycee, self.next_year).pfmp_no_host_count, 0
        )

    def test_students_without_host_by_lycee_days(self):
        # Next year's period starts after lycée 2's 0 days ahead; within a
        # year ahead (next 1 September is at most 365 days away), it counts.
        next_row = self._row(self.other_lycee, self.next_year)
        self.assertEqual(next_row.pfmp_no_host_count, 0)
        self.other_lycee.bde_pfmp_no_host_days = 366
        self.env.flush_all()
        next_row.invalidate_recordset()
        self.assertEqual(next_row.pfmp_no_host_count, 1)

    def test_visits_done_and_late(self):
        this_year = self._row(self.lycee, self.year)
        last_year = self._row(self.lycee, self.last_year)
        self.assertEqual(
            (this_year.pfmp_visit_done_count, this_year.pfmp_visit_late_count),
            (1, 0),
        )
        # In progress past its middle, its visit only planned.
        self.assertEqual(
            (last_year.pfmp_visit_done_count, last_year.pfmp_visit_late_count),
            (1, 1),
        )

    def test_ratings_of_the_school_year_only(self):
        this_year = self._row(self.lycee, self.year)
        self.assertEqual(this_year.pfmp_rating_count, 2)
        self.assertAlmostEqual(this_year.pfmp_rating_avg, 3.5, "not (4+3+1)/3")
        last_year = self._row(self.lycee, self.last_year)
        self.assertEqual(last_year.pfmp_rating_count, 1)
        self.assertAlmostEqual(last_year.pfmp_rating_avg, 1.0)

    def test_days_allowances_and_aplypro(self):
        row = self._row(self.lycee, self.year)
        self.assertEqual(row.pfmp_days_done, 2)
        self.assertAlmostEqual(
            row.pfmp_allowance_amount, sum(self.live_now.mapped("allowance_amount"))
        )
        self.assertEqual(row.pfmp_aplypro_blocked_count, 0)
        # Without its INE, the student of the signed placement is blocked;
        # the cancelled placement's student is not counted.
        (self.p_signed.student_id | self.p_cancelled.student_id).bde_ine = False
        self.env.flush_all()
        row.invalidate_recordset()
        self.assertEqual(row.pfmp_aplypro_blocked_count, 1)

    def test_totals_are_the_sum_of_the_rows(self):
        Report = self.env["bde.lycee.report"]
        domain = [("company_id", "in", self.both.ids)]
        fields = ["pfmp_placement_count", "pfmp_no_host_count", "pfmp_days_done"]
        [total] = Report.read_group(domain, fields, [])
        rows = Report.search(domain)
        for name in fields:
            self.assertEqual(total[name], sum(rows.mapped(name)), name)
        self.assertEqual(total["pfmp_placement_count"], 9)
        self.assertEqual(total["pfmp_no_host_count"], 4)

    def test_network_sums_its_lycees(self):
        network = self.env["bde.network"].create(
            {
                "name": "Bassin test",
                "network_type": "bassin",
                "company_ids": [(6, 0, self.both.ids)],
            }
        )
        self.env.flush_all()
        row = self.env["bde.network.report"].search(
            [("network_id", "=", network.id), ("school_year", "=", self.year)]
        )
        self.assertEqual(row.lycee_count, 2)
        self.assertEqual((row.pfmp_placement_count, row.pfmp_signed_count), (7, 5))
        self.assertEqual(row.pfmp_no_host_count, 4)
        # From the summed counts, not an average of the lycées' rates.
        self.assertAlmostEqual(row.pfmp_signature_rate, 71.4)
        # Every rating of the network: (4 + 3 + 5) / 3, not (3.5 + 5) / 2.
        self.assertEqual(row.pfmp_rating_count, 3)
        self.assertAlmostEqual(row.pfmp_rating_avg, 4.0)

    def _export(self, school_year):
        self.user_reader.company_ids = self.both
        export = (
            self.env["bde.network.export"]
            .with_user(self.user_reader)
            .create({"school_year": school_year})
        )
        export.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        sheets = {}
        for sheet in book.worksheets:
            headers, *lines = sheet.values
            sheets[sheet.title] = [
                dict(zip(headers, line, strict=True)) for line in lines
            ]
        return sheets

    def test_xlsx_of_the_network(self):
        sheets = self._export(self.year)
        lycees = {line["UAI"]: line for line in sheets["Lycées"]}
        mine = lycees[self.lycee.bde_uai]
        self.assertEqual(mine["Placements"], 5)
        self.assertEqual(mine["Signature rate (%)"], 60)
        self.assertEqual(mine["Students without host"], 3)
        self.assertEqual(mine["Average host rating"], 3.5)
        [formation] = [
            line for line in sheets["Formations"] if line["UAI"] == self.lycee.bde_uai
        ]
        self.assertEqual(
            (formation["Placements"], formation["Placements fully signed"]), (5, 3)
        )
        text = " ".join(
            str(value)
            for lines in sheets.values()
            for line in lines
            for value in line.values()
        )
        self.assertNotIn("Élève", text)

    def test_xlsx_leaves_rates_without_placements_empty(self):
        [line] = [
            line
            for line in self._export(self.next_year)["Lycées"]
            if line["UAI"] == self.other_lycee.bde_uai
        ]
        self.assertEqual(line["Placements"], 0)
        # Not a rate of 0: no placement, no rating.
        self.assertIsNone(line["Signature rate (%)"])
        self.assertIsNone(line["Average host rating"])

    # ------------------------------------------------------------
    # Who reads what
    # ------------------------------------------------------------

    def test_teacher_reads_their_lycee_only(self):
        rows = self._rows(self.user_teacher)
        self.assertEqual({lycee for lycee, _year in rows}, set(self.lycee))
        self.assertEqual(rows[self.lycee, self.year].pfmp_placement_count, 5)

    def test_network_reader_reads_figures_not_placements(self):
        self.user_reader.company_ids = self.both
        rows = self._rows(self.user_reader)
        self.assertEqual({lycee for lycee, _year in rows}, set(self.both))
        self.assertEqual(rows[self.other_lycee, self.year].pfmp_placement_count, 2)
        self.assertAlmostEqual(rows[self.lycee, self.year].pfmp_rating_avg, 3.5)
        with self.assertRaises(AccessError):
            self.env["bde.pfmp.placement"].with_user(self.user_reader).search([])

    # ------------------------------------------------------------
    # Drill-down: each figure opens the records it counts
    # ------------------------------------------------------------

    def _open(self, row, figure, user):
        action = row.with_user(user).with_context(bde_figure=figure)
        action = action.action_open_figure()
        records = self.env[action["res_model"]].with_user(user)
        return records.search(action["domain"])

    def test_drill_down_opens_the_counted_records(self):
        # The BDE manager reads every placement of the lycée.
        officer = self.user_officer
        ratings = self.env["bde.host.rating"].search(
            [("placement_id", "=", self.p_done.id)]
        )
        for row, figure, expected in (
            (self.year, "pfmp_placement_count", self.live_now),
            (
                self.year,
                "pfmp_signed_count",
                self.p_progress | self.p_signed | self.p_done,
            ),
            (self.year, "pfmp_no_host_count", self.no_host_students),
            (self.last_year, "pfmp_visit_late_count", self.p_late),
            (self.last_year, "pfmp_visit_done_count", self.p_last_done.visit_ids),
            (self.year, "pfmp_rating_count", ratings),
        ):
            row = self._row(self.lycee, row)
            with self.subTest(figure=figure, year=row.school_year):
                records = self._open(row, figure, officer)
                self.assertEqual(records, expected)
                self.assertEqual(len(records), row[figure])

    def test_drill_down_to_students_blocked_in_aplypro(self):
        self.p_signed.student_id.bde_ine = False
        self.env.flush_all()
        row = self._row(self.lycee, self.year)
        blocked = self._open(row, "pfmp_aplypro_blocked_count", self.user_officer)
        self.assertEqual(blocked, self.p_signed.student_id)
        self.assertEqual(row.pfmp_aplypro_blocked_count, 1)

    def test_drill_down_keeps_each_lycee_to_its_staff(self):
        other = self._row(self.other_lycee, self.year)
        self.assertEqual(other.pfmp_no_host_count, 1)
        # The other lycée's students stay out of reach of lycée 1's staff.
        self.assertFalse(self._open(other, "pfmp_no_host_count", self.user_officer))
        self.assertEqual(
            self._open(other, "pfmp_no_host_count", self.user_other_lycee),
            self.other_no_host,
        )
        self.user_reader.company_ids = self.both
        with self.assertRaises(AccessError):
            self._open(other, "pfmp_placement_count", self.user_reader)
