import base64
import random
from collections import defaultdict
from datetime import date, timedelta

from odoo.tests import tagged

from .common import BdePfmpCase

YEAR = "2031-2032"
MEF = "2473121333"
# A made-up MEF of level 2382 (1re pro) whose rate is its level's default.
OTHER_MEF = "2473121332"
# The chatter is on: the forms' context.
TRACKED = {"tracking_disable": False, "mail_notrack": False}
TABLE_HEADER = (
    b"MEF,MEF_STAT_11,MEF_STAT_4,DISPOSITIF_FORMATION,LIBELLE_LONG,BOP,"
    b"FORFAIT JOURNALIER,PLAFOND MAX\n"
)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceRecompute(BdePfmpCase):
    """The allowance of a school year is recomputed set-wise (APLyPro's rule,
    the running sum per student, school year and MEF in one window query):
    the amounts are the rule's, the queries do not grow with the placements,
    a bulk recompute is summed up instead of tracked amount by amount."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_class.school_year = YEAR
        cls.period.write({"date_start": "2031-11-03", "date_end": "2031-11-28"})
        rates = cls.env["bde.allowance.rate"]
        cls.mef_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_code": MEF,
                "mef_stat4": "2383",
                "daily_rate": 20,
                "yearly_cap": 800,
            }
        )
        cls.level_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_stat4": "2382",
                "daily_rate": 15,
                "yearly_cap": 600,
            }
        )
        cls.first_class = cls.school_class.copy(
            {"name": "1 MCV test", "mef_code": OTHER_MEF, "mef_stat4": "2382"}
        )
        cls.abroad_host = cls.env["res.partner"].create(
            {
                "name": "Bakery Dublin",
                "is_company": True,
                "country_id": cls.env.ref("base.ie").id,
            }
        )

    def _placement(self, start, end, days, student=None, **vals):
        vals.setdefault("class_id", self.school_class.id)
        return self._make_placement(
            student=student,
            period_id=False,
            date_start=start,
            date_end=end,
            days_done=days,
            **vals,
        )

    def _amounts(self, placements):
        return [placement.allowance_amount for placement in placements]

    # The rule's amounts

    def test_hand_computed_year(self):
        """Léa's year in Tle pro (its MEF's own rate: 20 € a day, 800 € a
        year), the cap reached in April; two months of 1re pro in between
        (its level's default: 15 € a day, 600 € a year) on their own cap; a
        cancelled placement takes nothing; one abroad counts like any other."""
        first = self.first_class.id
        # Entered in another order than their dates: the dates decide.
        created = [
            self._placement("2032-05-10", "2032-06-05", 5),
            self._placement("2031-11-03", "2031-11-28", 15),
            self._placement("2032-04-05", "2032-04-30", 12),
            self._placement("2031-12-01", "2031-12-19", 10),
            self._placement(
                "2032-01-05", "2032-01-30", 20, partner_id=self.abroad_host.id
            ),
            self._placement("2032-02-01", "2032-03-05", 30, class_id=first),
            self._placement("2032-03-08", "2032-04-02", 20, class_id=first),
        ]
        created[3]._action_stop("cancel", "The host closed.")
        self.assertTrue(created[4].is_abroad)
        # Tle: 300 (300 used), cancelled 0, abroad 400 (700 used), 240 but
        # 100 left, then 0. 1re: 450, then 300 but 150 left.
        self.assertEqual(self._amounts(created), [0, 300, 100, 0, 400, 450, 150])
        self.assertEqual(
            [placement.allowance_rate_id for placement in created],
            [self.mef_rate] * 5 + [self.level_rate] * 2,
        )
        other = self._other_lycee_placement(45)
        self.assertEqual(other.allowance_amount, 800)
        # The first Tle placement shortened: the cap is reached later.
        created[1].days_done = 5
        self.assertEqual(self._amounts(created), [60, 100, 240, 0, 400, 450, 150])
        self.assertEqual(other.allowance_amount, 800)

    def _other_lycee_placement(self, days):
        """A placement of a student of the second lycée, in the same MEF."""
        other_class = self.school_class.copy(
            {"name": "T MCV Lumière", "company_id": self.other_lycee.id}
        )
        other_student = self.env["res.partner"].create(
            {
                "name": "Inès Roux",
                "bde_is_student": True,
                "bde_class_id": other_class.id,
                "company_id": self.other_lycee.id,
            }
        )
        return self._placement(
            "2031-11-03",
            "2031-12-31",
            days,
            student=other_student,
            class_id=other_class.id,
        )

    def test_same_amounts_as_the_rule_placement_by_placement(self):
        """Random years of two students, in three MEFs (the MEF's rate, the
        level's default, no rate), against the rule applied one placement
        after the other."""
        randomizer = random.Random(14)
        no_rate_class = self.school_class.copy(
            {"name": "MC test", "mef_code": False, "mef_stat4": "2391"}
        )
        classes = [self.school_class, self.first_class, no_rate_class]
        placements = self.env["bde.pfmp.placement"]
        for student in (self.student, self.student_adult):
            for week in randomizer.sample(range(40), 8):
                start = date(2031, 9, 1) + timedelta(weeks=week)
                placements |= self._placement(
                    start,
                    start + timedelta(days=6),
                    randomizer.randint(0, 7),
                    student=student,
                    class_id=randomizer.choice(classes).id,
                )
        placements[::5]._action_stop("cancel", "Cancelled.")
        # Low caps, so that they are reached.
        self.mef_rate.yearly_cap = 250
        self.level_rate.yearly_cap = 100
        self.assertEqual(self._amounts(placements), self._rule(placements))
        self.assertEqual(
            placements.mapped("allowance_missing_rate"),
            [placement.class_id == no_rate_class for placement in placements],
        )

    def _rule(self, placements):
        """APLyPro's rule, one placement after the other, the earlier first."""
        rates = {self.school_class: self.mef_rate, self.first_class: self.level_rate}
        used = defaultdict(float)
        amounts = {}
        for placement in placements.sorted(lambda p: (p.date_start, p.id)):
            rate = rates.get(placement.class_id)
            amounts[placement] = 0
            if rate and placement.state != "cancelled":
                key = (placement.student_id, placement.class_id)
                left = max(rate.yearly_cap - used[key], 0)
                amounts[placement] = min(placement.days_done * rate.daily_rate, left)
                used[key] += amounts[placement]
        return [amounts[placement] for placement in placements]

    def test_cache_follows_the_new_amounts(self):
        placement = self._placement("2031-11-03", "2031-11-28", 20)
        self.assertEqual(placement.allowance_daily_rate, 20)
        self.assertEqual(placement.allowance_amount, 400)
        self.mef_rate.write({"daily_rate": 25, "yearly_cap": 450})
        # Read in the same transaction, through the same cache.
        self.assertEqual(placement.allowance_daily_rate, 25)
        self.assertEqual(placement.allowance_amount, 450)
        self.mef_rate.unlink()
        self.assertFalse(placement.allowance_rate_id)
        self.assertTrue(placement.allowance_missing_rate)
        self.assertEqual(placement.allowance_amount, 0)

    # What is tracked, what is summed up

    def _tracked_amounts(self, placements):
        """The allowance amounts that the placements' chatter shows changed."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        values = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "allowance_amount"),
                ("mail_message_id.model", "=", "bde.pfmp.placement"),
                ("mail_message_id.res_id", "in", placements.ids),
            ]
        )
        return {
            (value.mail_message_id.res_id, value.old_value_float, value.new_value_float)
            for value in values
        }

    def _two_placements(self):
        """Two of Léa's Tle placements of 20 days: 400 € each under the cap."""
        placements = self._placement("2031-11-03", "2031-11-28", 20) | self._placement(
            "2032-02-01", "2032-02-26", 20
        )
        self.assertEqual(self._amounts(placements), [400, 400])
        self.env.flush_all()
        self.env.cr.precommit.run()
        return placements

    def test_placement_saved_in_its_form_tracks_the_amounts_it_moves(self):
        first, second = self._two_placements()
        first.with_user(self.user_officer).with_context(**TRACKED).days_done = 25
        self.assertEqual(self._amounts(first | second), [500, 300])
        self.assertEqual(
            self._tracked_amounts(first | second),
            {(first.id, 400, 500), (second.id, 400, 300)},
        )

    def test_bulk_recompute_is_summed_up_not_tracked(self):
        placements = self._two_placements()
        self.mef_rate.with_context(**TRACKED).yearly_cap = 700
        self.assertEqual(self._amounts(placements), [400, 300])
        wizard = self._import_table(b"2473121333,,2383,,TLE PRO TEST,MENJ,10,500\n")
        self.assertEqual(self._amounts(placements), [200, 200])
        self.assertEqual(wizard.recomputed_count, 2)
        self.assertIn("2 allowance amount(s) changed", str(wizard.result))
        # The school year's allowances in the database: these two.
        self.assertIn("400.00", str(wizard.result))
        self.school_class.with_context(**TRACKED).write(
            {"mef_code": False, "mef_stat4": "2382"}
        )
        # The level's default: 15 € a day, 600 € a year.
        self.assertEqual(self._amounts(placements), [300, 300])
        self.assertFalse(self._tracked_amounts(placements))
        notes = self.school_class.message_ids.filtered(
            lambda message: "allowance" in str(message.body)
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("2 allowance amount(s) changed", str(notes.body))

    def _import_table(self, rows):
        """Apply a national table of the school year, as the administrator."""
        wizard = (
            self.env["bde.allowance.rate.import"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(**TRACKED)
            .create(
                {
                    "school_year": YEAR,
                    "file": base64.b64encode(TABLE_HEADER + rows),
                    "file_name": "wages.csv",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(wizard.state, "done", wizard.result)
        return wizard

    # Queries: as many for five times the placements

    def _year_of_students(self, year, count):
        """``count`` students of a class of ``year`` with three placements
        each; return the placements."""
        school_class = self.school_class.copy(
            {"name": f"T {year} {count}", "school_year": year}
        )
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève {year} {index}",
                    "bde_is_student": True,
                    "bde_class_id": school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(count)
            ]
        )
        start_year = int(year[:4])
        return self.env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "class_id": school_class.id,
                    "partner_id": self.company_partner.id,
                    "tutor_id": self.tutor.id,
                    "state": "host_found",
                    "date_start": date(start_year + month // 12, month % 12 + 1, 1),
                    "date_end": date(start_year + month // 12, month % 12 + 1, 28),
                    "days_done": 15 + index % 5,
                }
                for index, student in enumerate(students)
                for month in (10, 13, 16)
            ]
        )

    def _queries(self, function):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.env.cr.sql_log_count - before

    def _reset(self, placements):
        """Every amount changes at the next recompute."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE bde_pfmp_placement SET allowance_amount = 0 WHERE id = ANY(%s)",
            [placements.ids],
        )
        self.env.invalidate_all()

    def test_queries_do_not_grow_with_the_placements(self):
        years = {"2033-2034": 4, "2034-2035": 20}
        for year in years:
            self.env["bde.allowance.rate"].create(
                {
                    "school_year": year,
                    "mef_code": MEF,
                    "mef_stat4": "2383",
                    "daily_rate": 20,
                    "yearly_cap": 700,
                }
            )
        placements = {
            year: self._year_of_students(year, n) for year, n in years.items()
        }
        operations = {
            "recompute, quiet": lambda year: (
                placements[year]
                .with_context(tracking_disable=True)
                ._recompute_allowance()
            ),
            "recompute, default context": lambda year: (
                placements[year].with_context(**TRACKED)._recompute_allowance()
            ),
            "the rate changed": lambda year: (
                self.env["bde.allowance.rate"]
                .with_context(**TRACKED)
                .search([("school_year", "=", year)])
                .write({"yearly_cap": 650})
            ),
            "one placement saved": lambda year: (
                placements[year][1].with_context(**TRACKED).write({"days_done": 3})
            ),
        }
        for name, operation in operations.items():
            counts = []
            for year in years:
                # The first run fills the caches; the second is counted.
                self._reset(placements[year])
                operation(year)
                self._reset(placements[year])
                counts.append(self._queries(lambda y=year, o=operation: o(y)))
                # Recomputed: the first student's amounts are back.
                self.assertTrue(all(placements[year][:3].mapped("allowance_amount")))
            with self.subTest(operation=name):
                self.assertEqual(counts[0], counts[1], f"{name}: 1× then 5×")
