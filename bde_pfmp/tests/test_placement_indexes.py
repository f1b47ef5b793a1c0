import re

from freezegun import freeze_time

from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
@freeze_time("2025-11-20")
class TestPlacementIndexes(BdePfmpCase):
    """The lycées' figures and the teacher's placement list filter on the
    placement's lycée and school year (record rules, figures): those columns
    are indexed, and what the two screens ask the database does not grow
    with the number of placements."""

    def _indexed_columns(self, table):
        """The column lists of the table's indexes, as pg_indexes gives them."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table]
        )
        return {
            tuple(re.search(r"\((.*)\)", indexdef).group(1).split(", "))
            for [indexdef] in self.env.cr.fetchall()
        }

    def test_lycee_and_school_year_indexed(self):
        columns = self._indexed_columns("bde_pfmp_placement")
        # The lycée leads an index, with its school year: one lycée's school
        # year is found without reading the other lycées' or years' rows.
        self.assertIn(("company_id", "school_year"), columns)
        # One school year across the network (allowance rates, exports).
        self.assertIn(("school_year",), columns)
        # The tutors' portal rule.
        self.assertIn(("tutor_id",), columns)
        # The rules on what hangs from a placement filter on its lycée, and
        # the teachers' rules on the class's main teacher.
        for table in ("bde_pfmp_visit", "bde_host_rating", "bde_pfmp_incident"):
            self.assertIn(("company_id",), self._indexed_columns(table), table)
        self.assertIn(("teacher_id",), self._indexed_columns("bde_class"))

    def _grow(self, count):
        """``count`` more students with a placement each in both lycées, in
        several states, built by batch creates."""
        states = ["searching", "host_found", "in_progress", "done", "cancelled"]
        for school_class, period in (
            (self.school_class, self.period),
            (self.other_class, self.other_period),
        ):
            start = len(school_class.student_ids)
            students = self.env["res.partner"].create(
                [
                    {
                        "name": f"Student {school_class.id}-{start + index}",
                        "bde_is_student": True,
                        "bde_birthdate": "2007-03-03",
                        "bde_class_id": school_class.id,
                        "company_id": school_class.company_id.id,
                    }
                    for index in range(count)
                ]
            )
            self.env["bde.pfmp.placement"].create(
                [
                    {
                        "student_id": student.id,
                        "period_id": period.id,
                        "partner_id": self.company_partner.id,
                        "tutor_id": self.tutor.id,
                        "state": states[index % len(states)],
                    }
                    for index, student in enumerate(students)
                ]
            )

    def _queries(self, operation):
        """Queries of ``operation``, run twice beforehand so that caches that
        fill once (access rules, groups, views) do not count."""
        for _warm_up in range(2):
            operation()
            self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        operation()
        return self.env.cr.sql_log_count - before

    def _open_lycee_figures(self):
        """The lycées' figures as the BDE manager lists them: the list view's
        fields, the lycée's row of the school year."""
        Report = (
            self.env["bde.lycee.report"]
            .with_user(self.user_officer)
            .with_company(self.lycee)
        )
        arch = Report.get_views([(False, "list")])["views"]["list"]["arch"]
        specification = dict.fromkeys(re.findall(r'<field name="(\w+)"', arch), {})
        specification["currency_id"] = {"fields": {"display_name": {}}}
        result = Report.web_search_read(
            [("school_year", "=", self.school_class.school_year)],
            specification,
        )
        [row] = result["records"]
        return row["pfmp_placement_count"]

    def _open_teacher_list(self):
        """The teacher's placement list as the menu opens it: the list view's
        fields, filtered on "My students" and "Live"."""
        Placement = (
            self.env["bde.pfmp.placement"]
            .with_user(self.user_teacher)
            .with_company(self.lycee)
        )
        arch = Placement.get_views([(False, "list")])["views"]["list"]["arch"]
        specification = {}
        for name in set(re.findall(r'<field name="(\w+)"', arch)):
            field = Placement._fields[name]
            specification[name] = (
                {"fields": {"display_name": {}}} if field.type == "many2one" else {}
            )
        result = Placement.web_search_read(
            [
                "&",
                "|",
                ("teacher_id", "=", self.user_teacher.id),
                ("class_id.teacher_id", "=", self.user_teacher.id),
                ("state", "not in", ("cancelled", "interrupted")),
            ],
            specification,
            limit=80,
        )
        return result["length"]

    def test_query_counts_flat_from_1x_to_5x(self):
        self.other_class = self.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": self.formation.id,
                "school_year": self.school_class.school_year,
                "company_id": self.other_lycee.id,
            }
        )
        self.other_period = self.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 1",
                "class_id": self.other_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )
        self._grow(10)
        self.assertEqual(self._open_lycee_figures(), 8)
        self.assertEqual(self._open_teacher_list(), 8)
        counts_1x = (
            self._queries(self._open_lycee_figures),
            self._queries(self._open_teacher_list),
        )
        self._grow(40)
        # The figures see the lycée's 40 live placements, not the other's.
        self.assertEqual(self._open_lycee_figures(), 40)
        self.assertEqual(self._open_teacher_list(), 40)
        counts_5x = (
            self._queries(self._open_lycee_figures),
            self._queries(self._open_teacher_list),
        )
        self.assertEqual(counts_1x, counts_5x)
