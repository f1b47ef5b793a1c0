from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdePfmpCase

# Six weeks, Monday to Friday, without public holiday: 30 working days each.
AUTUMN = {"date_start": "2025-09-08", "date_end": "2025-10-17"}
WINTER = {"date_start": "2026-01-05", "date_end": "2026-02-13"}
# Eighteen working days.
SHORT_WINTER = {"date_start": "2026-01-05", "date_end": "2026-01-28"}


@tagged("post_install", "-at_install", "bde_pfmp")
class TestGratificationRate(BdePfmpCase):
    def test_minimum_is_fifteen_percent_of_the_ceiling(self):
        rates = {
            str(rate.date_from): rate.hourly_amount
            for rate in self.env["bde.gratification.rate"].search([])
        }
        self.assertEqual(rates["2023-01-01"], 4.05)
        self.assertEqual(rates["2024-01-01"], 4.35)
        self.assertEqual(rates["2025-01-01"], 4.35)
        self.assertEqual(rates["2026-01-01"], 4.5)
        rate = self.env["bde.gratification.rate"].create(
            {"date_from": "2031-01-01", "hourly_ceiling": 31.7}
        )
        # 4.755 rounds up to the cent.
        self.assertEqual(rate.hourly_amount, 4.76)

    def test_rate_in_force_on_a_day(self):
        Rate = self.env["bde.gratification.rate"]
        self.assertEqual(Rate._rate_on("2025-12-31").hourly_amount, 4.35)
        self.assertEqual(Rate._rate_on("2026-01-01").hourly_amount, 4.5)
        self.assertFalse(Rate._rate_on("2022-12-31"))

    def test_staff_read_the_rates_and_only_the_administrator_writes_them(self):
        rate = self.env.ref("bde_pfmp.bde_gratification_rate_2026")
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            self.assertEqual(rate.with_user(user).hourly_amount, 4.5)
            with self.assertRaises(AccessError):
                rate.with_user(user).hourly_ceiling = 40


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPlacementGratification(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_host = cls.env["res.partner"].create(
            {"name": "Fromagerie Test", "is_company": True}
        )
        cls.other_tutor = cls.env["res.partner"].create(
            {"name": "Anne Tutrice", "parent_id": cls.other_host.id}
        )
        cls.last_year_class = cls.env["bde.class"].create(
            {
                "name": "1re MCV test",
                "formation_id": cls.formation.id,
                "school_year": "2024-2025",
                "company_id": cls.lycee.id,
            }
        )

    def _placement(self, dates, hours_per_week=35, **vals):
        return self._make_placement(
            period_id=False, hours_per_week=hours_per_week, **dates, **vals
        )

    def test_one_placement_of_six_weeks_owes_nothing(self):
        placement = self._placement(AUTUMN)
        self.assertEqual(placement.gratification_hours, 210)
        self.assertFalse(placement.gratification_due)
        self.assertEqual(placement.gratification_amount, 0)
        # The rate is known even when nothing is due.
        self.assertEqual(placement.gratification_hourly_rate, 4.35)

    def test_two_placements_with_one_host_in_a_school_year_exceed_two_months(self):
        autumn = self._placement(AUTUMN)
        winter = self._placement(WINTER)
        (autumn | winter).invalidate_recordset()
        self.assertTrue(autumn.gratification_due)
        self.assertTrue(winter.gratification_due)
        # Every hour of each placement, at the rate of the year it starts in.
        self.assertEqual(autumn.gratification_amount, 913.5)
        self.assertEqual(winter.gratification_amount, 945)
        self.assertEqual(winter.gratification_hourly_rate, 4.5)

    def test_another_host_does_not_count(self):
        autumn = self._placement(AUTUMN)
        winter = self._placement(
            WINTER, partner_id=self.other_host.id, tutor_id=self.other_tutor.id
        )
        (autumn | winter).invalidate_recordset()
        self.assertFalse(autumn.gratification_due)
        self.assertFalse(winter.gratification_due)

    def test_another_school_year_does_not_count(self):
        last_year = self._placement(
            {"date_start": "2025-03-03", "date_end": "2025-04-11"},
            class_id=self.last_year_class.id,
        )
        autumn = self._placement(AUTUMN)
        (autumn | last_year).invalidate_recordset()
        self.assertEqual(last_year.school_year, "2024-2025")
        self.assertFalse(autumn.gratification_due)
        self.assertFalse(last_year.gratification_due)

    def test_a_cancelled_placement_does_not_count(self):
        autumn = self._placement(AUTUMN)
        winter = self._placement(WINTER, state="cancelled")
        autumn.invalidate_recordset()
        self.assertFalse(autumn.gratification_due)
        self.assertFalse(winter.gratification_due)

    def test_other_students_do_not_count(self):
        autumn = self._placement(AUTUMN)
        self._placement(WINTER, student=self.student_adult)
        autumn.invalidate_recordset()
        self.assertFalse(autumn.gratification_due)

    def test_shorter_days_count_by_their_hours(self):
        # 48 days of 6 hours are 288 hours: 41 days of 7 hours, not two months.
        autumn = self._placement(AUTUMN, hours_per_week=30)
        winter = self._placement(SHORT_WINTER, hours_per_week=30)
        (autumn | winter).invalidate_recordset()
        self.assertEqual(autumn.gratification_hours + winter.gratification_hours, 288)
        self.assertFalse(winter.gratification_due)
        # The same 48 days of 7 hours exceed 44 days.
        (autumn | winter).write({"hours_per_week": 35})
        (autumn | winter).invalidate_recordset()
        self.assertTrue(winter.gratification_due)

    def test_long_days_count_as_one_day(self):
        # 40 days of 8 hours: 320 hours, but 40 days of presence.
        adult = self.student_adult
        autumn = self._placement(AUTUMN, student=adult, hours_per_week=40)
        winter = self._placement(
            {"date_start": "2026-01-05", "date_end": "2026-01-16"},
            student=adult,
            hours_per_week=40,
        )
        (autumn | winter).invalidate_recordset()
        self.assertEqual(autumn.gratification_hours + winter.gratification_hours, 320)
        self.assertFalse(autumn.gratification_due)

    def test_amount_is_rounded_to_the_cent(self):
        # 6.65 hours a day: 199.5 hours × 4.35 = 867.825, 867.83 to the cent.
        autumn = self._placement(AUTUMN, hours_per_week=33.25)
        winter = self._placement(WINTER, hours_per_week=33.25)
        (autumn | winter).invalidate_recordset()
        self.assertEqual(autumn.gratification_hours, 199.5)
        self.assertTrue(autumn.gratification_due)
        self.assertEqual(autumn.gratification_amount, 867.83)
        self.assertEqual(winter.gratification_amount, 897.75)

    def test_a_placement_the_teacher_cannot_read_still_counts(self):
        """The placements with the same host count whoever may read them."""
        other_teacher = new_test_user(
            self.env,
            login="bde_other_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        other_class = self.env["bde.class"].create(
            {
                "name": "T MCV bis",
                "formation_id": self.formation.id,
                "school_year": "2025-2026",
                "teacher_id": other_teacher.id,
                "company_id": self.lycee.id,
            }
        )
        autumn = self._placement(
            AUTUMN, class_id=other_class.id, teacher_id=other_teacher.id
        )
        winter = self._placement(WINTER, teacher_id=self.user_teacher.id)
        self.env.invalidate_all()
        teacher_placements = self.env["bde.pfmp.placement"].with_user(self.user_teacher)
        self.assertFalse(teacher_placements.search([("id", "=", autumn.id)]))
        self.assertTrue(winter.with_user(self.user_teacher).gratification_due)

    def test_hours_as_the_documents_print_them(self):
        Placement = self.env["bde.pfmp.placement"]
        self.assertEqual(Placement._bde_format_hours(35), "35 heures")
        self.assertEqual(Placement._bde_format_hours(31.5), "31 heures 30")
        self.assertEqual(Placement._bde_format_hours(7.75), "7 heures 45")
        self.assertEqual(Placement._bde_format_hours(1), "1 heure")
        self.assertEqual(Placement._bde_format_hours(0.5), "30 minutes")

    def test_counting_the_year_reads_as_many_rows_for_five_students_as_for_one(self):
        """The siblings, holidays and rates are read once for a batch."""
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève {index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-02-02",
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(5)
            ]
        )
        placements = self.env["bde.pfmp.placement"]
        for student in students:
            placements |= self._placement(AUTUMN, student=student)
            placements |= self._placement(WINTER, student=student)
        counts = []
        for batch in (placements[:2], placements):
            batch.invalidate_recordset()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch.mapped("gratification_due")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertTrue(all(placements.mapped("gratification_due")))
