import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import file_open

from .common import BdePfmpCase

YEAR = "2030-2031"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceImport(BdePfmpCase):
    """Import of a national allowance table: the preview reports what changes
    and writes nothing; applying writes and recomputes the allowances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A made-up school year, so that shipped rates never interfere.
        cls.school_class.school_year = YEAR
        cls.period.write({"date_start": "2030-11-04", "date_end": "2030-11-29"})
        rates = cls.env["bde.allowance.rate"]
        cls.level_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_stat4": "2383",
                "daily_rate": 20,
                "yearly_cap": 1000,
            }
        )
        cls.tle_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "label": "Tle pro commerce",
                "daily_rate": 20,
                "yearly_cap": 1000,
            }
        )
        cls.first_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_code": "2473121332",
                "mef_stat4": "2382",
                "daily_rate": 15,
                "yearly_cap": 600,
            }
        )
        cls.dropped_rate = rates.create(
            {
                "school_year": YEAR,
                "mef_code": "2473121399",
                "mef_stat4": "2383",
                "label": "Tle pro fermée",
                "daily_rate": 20,
                "yearly_cap": 1000,
            }
        )

    def _wizard(self, content, **vals):
        if not isinstance(content, bytes):
            with file_open(f"bde_pfmp/tests/data/{content}", "rb") as file:
                content = file.read()
        return self.env["bde.allowance.rate.import"].create(
            dict(
                {"file": base64.b64encode(content), "school_year": YEAR},
                **vals,
            )
        )

    def _rates(self):
        return self.env["bde.allowance.rate"].search([("school_year", "=", YEAR)])

    def test_preview_reports_changes_and_writes_nothing(self):
        wizard = self._wizard("wages_sample.csv")
        wizard.action_preview()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(
            (
                wizard.new_count,
                wizard.changed_count,
                wizard.unchanged_count,
                wizard.missing_count,
                wizard.error_count,
            ),
            (1, 1, 1, 1, 0),
        )
        changes = wizard._compute_changes()
        self.assertEqual(
            [values["mef_code"] for values in changes["new"]], ["2403121311"]
        )
        self.assertEqual(changes["new"][0]["yearly_cap"], 525)
        self.assertEqual(
            [rate for rate, _values in changes["changed"]], [self.tle_rate]
        )
        self.assertEqual(changes["missing"], self.dropped_rate)
        result = str(wizard.result)
        self.assertIn("1000 → 800", result)
        self.assertIn("2473121399", result)
        self.assertIn("1CAP1 TEST VENTE", result)
        # Nothing written by the preview.
        self.assertEqual(len(self._rates()), 4)
        self.assertEqual(self.tle_rate.yearly_cap, 1000)
        self.assertEqual(self.tle_rate.ministry, "menj")

    def test_apply_writes_and_recomputes_later_placements(self):
        first = self._make_placement(
            period_id=False,
            date_start="2030-11-04",
            date_end="2030-12-20",
            days_done=45,
        )
        second = self._make_placement(
            period_id=False,
            date_start="2031-03-03",
            date_end="2031-03-28",
            days_done=20,
        )
        self.assertEqual((first.allowance_amount, second.allowance_amount), (900, 100))
        wizard = self._wizard("wages_sample.csv")
        wizard.action_preview()
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        # The cap fell below the first amount: capped, and nothing left after.
        self.assertEqual((first.allowance_amount, second.allowance_amount), (800, 0))
        self.assertEqual(wizard.recomputed_count, 2)
        self.assertIn("2 allowance amount(s) changed", str(wizard.result))
        self.assertEqual(
            (self.tle_rate.yearly_cap, self.tle_rate.ministry), (800, "masa")
        )
        new_rate = self._rates().filtered(lambda rate: rate.mef_code == "2403121311")
        self.assertRecordValues(
            new_rate,
            [
                {
                    "mef_stat4": "2311",
                    "label": "1CAP1 TEST VENTE",
                    "daily_rate": 15,
                    "yearly_cap": 525,
                    "ministry": "menj",
                }
            ],
        )
        # A row the file does not list is kept.
        self.assertTrue(self.dropped_rate.exists())
        # Importing the same file again changes nothing.
        again = self._wizard("wages_sample.csv")
        again.action_apply()
        self.assertEqual(
            (again.new_count, again.changed_count, again.unchanged_count),
            (0, 0, 3),
        )
        self.assertEqual(again.recomputed_count, 0)

    def test_bad_lines_are_reported_and_block_the_import(self):
        wizard = self._wizard("wages_bad_lines.csv")
        wizard.action_preview()
        errors = wizard._compute_changes()["errors"]
        self.assertEqual(sorted(errors), [3, 4, 5, 6, 7])
        self.assertEqual(errors[3], ["The MEF 24731213 must have 10 digits."])
        self.assertEqual(errors[4], ["The BOP XYZ is not MENJ, MASA or MER."])
        self.assertEqual(errors[5], ["The MEF 2403121311 also appears on line 7."])
        self.assertEqual(
            errors[6],
            [
                "FORFAIT JOURNALIER abc is not an amount in euros, written like "
                "15, 15.50 or 1 350,00."
            ],
        )
        self.assertEqual(errors[7], ["The MEF 2403121311 also appears on line 5."])
        self.assertEqual((wizard.error_count, wizard.changed_count), (5, 1))
        # The unchanged first-year row is reported missing; a MEF on a bad
        # line is not.
        self.assertEqual(wizard.missing_count, 2)
        self.assertIn("Nothing is written", str(wizard.result))
        wizard.action_apply()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(self.tle_rate.yearly_cap, 1000)
        self.assertEqual(len(self._rates()), 4)

    def test_skip_bad_lines_applies_the_valid_ones(self):
        wizard = self._wizard("wages_bad_lines.csv", skip_bad_lines=True)
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.tle_rate.yearly_cap, 800)
        self.assertEqual(len(self._rates()), 4)
        self.assertIn("Bad lines", str(wizard.result))

    def test_french_spreadsheet_format(self):
        content = (
            "MEF;MEF_STAT_4;LIBELLE_LONG;BOP;FORFAIT JOURNALIER;PLAFOND MAX\r\n"
            "2473121336;2383;Tle pro élève;MENJ;20,50;1 000\r\n"
        ).encode("cp1252")
        wizard = self._wizard(content)
        wizard.action_apply()
        rate = self._rates().filtered(lambda rate: rate.mef_code == "2473121336")
        self.assertEqual(
            (rate.label, rate.daily_rate, rate.yearly_cap),
            ("Tle pro élève", 20.5, 1000),
        )

    def test_unreadable_file_or_year(self):
        no_cap = self._wizard(
            b"MEF,MEF_STAT_4,FORFAIT JOURNALIER\n2473121333,2383,20\n"
        )
        with self.assertRaisesRegex(UserError, "PLAFOND MAX"):
            no_cap.action_preview()
        header_only = self._wizard(b"MEF,MEF_STAT_4,FORFAIT JOURNALIER,PLAFOND MAX\n")
        with self.assertRaisesRegex(UserError, "no rate row"):
            header_only.action_preview()
        wrong_year = self._wizard("wages_sample.csv", school_year="2030-2032")
        with self.assertRaisesRegex(UserError, "2030-2032"):
            wrong_year.action_preview()

    def test_administrator_only(self):
        # The national table is shared by every lycée: a head of school of one
        # lycée does not change it (see test_allowance_rate_admin).
        for user in (self.user_officer, self.user_teacher, self.user_manager):
            with self.assertRaises(AccessError):
                self.env["bde.allowance.rate.import"].with_user(user).create(
                    {"file": base64.b64encode(b"MEF"), "school_year": YEAR}
                )
        wizard = (
            self.env["bde.allowance.rate.import"]
            .with_user(self.env.ref("base.user_admin"))
            .create(
                {"file": self._wizard("wages_sample.csv").file, "school_year": YEAR}
            )
        )
        wizard.action_apply()
        self.assertEqual(self.tle_rate.yearly_cap, 800)
