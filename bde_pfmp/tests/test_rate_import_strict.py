import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase

YEAR = "2031-2032"
HEADER = (
    "MEF,MEF_STAT_11,MEF_STAT_4,DISPOSITIF_FORMATION,LIBELLE_LONG,BOP,"
    "FORFAIT JOURNALIER,PLAFOND MAX\n"
)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestRateImportStrict(BdePfmpCase):
    """The national table's import reads amounts strictly and answers a bad
    file with a message, never a server error; nothing is written then."""

    def _wizard(self, content):
        if isinstance(content, str):
            content = content.encode()
        return self.env["bde.allowance.rate.import"].create(
            {"file": base64.b64encode(content), "school_year": YEAR}
        )

    def _row(self, rate="20", cap="1000", label="TLEPRO TEST"):
        return f'2473121333,23830031213,2383,247,"{label}",MENJ,{rate},{cap}\n'

    def _rates(self):
        return self.env["bde.allowance.rate"].search([("school_year", "=", YEAR)])

    def _bad_line_reasons(self, wizard):
        wizard.action_apply()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(wizard.error_count, 1)
        self.assertFalse(self._rates(), "nothing written")
        return wizard.result

    def test_amounts_written_in_french_or_english(self):
        for rate, cap, expected in (
            ("20", "1000", (20, 1000)),
            ("20.5", "1350.00", (20.5, 1350)),
            ('"20,50"', '"1 350,00"', (20.5, 1350)),
            ("15", "1\u00a0800", (15, 1800)),
        ):
            with self.subTest(rate=rate, cap=cap):
                wizard = self._wizard(HEADER + self._row(rate, cap))
                wizard.action_apply()
                self.assertEqual(wizard.state, "done", wizard.result)
                self.assertEqual(
                    (self._rates().daily_rate, self._rates().yearly_cap), expected
                )
                self._rates().unlink()

    def test_loose_numbers_are_bad_lines(self):
        for rate, cap in (
            ("inf", "1000"),
            ("nan", "1000"),
            ("20", "1e15"),
            ("20", "1_000"),
            ("-5", "1000"),
            ("20.555", "1000"),
            ("0x14", "1000"),
            ("20", '"1,000.00"'),
            ("\u0662\u0660", "1000"),  # Arabic-Indic digits, which float() reads
            ("20", ""),
        ):
            with self.subTest(rate=rate, cap=cap):
                result = self._bad_line_reasons(
                    self._wizard(HEADER + self._row(rate, cap))
                )
                self.assertIn("is not an amount in euros", result)

    def test_amounts_out_of_range(self):
        result = self._bad_line_reasons(self._wizard(HEADER + self._row("20", "99999")))
        self.assertIn("PLAFOND MAX 99999 is more than 10000 €", result)
        result = self._bad_line_reasons(self._wizard(HEADER + self._row("150", "1000")))
        self.assertIn("FORFAIT JOURNALIER 150 is more than 100 €", result)
        # The table refuses such amounts however they are written.
        with self.assertRaises(ValidationError):
            self.env["bde.allowance.rate"].create(
                {
                    "school_year": YEAR,
                    "mef_stat4": "2383",
                    "daily_rate": 20,
                    "yearly_cap": 1e15,
                }
            )

    def test_nul_byte_in_a_cell(self):
        wizard = self._wizard(HEADER + self._row(label="TLE\x00PRO"))
        with self.assertRaisesRegex(UserError, "NUL"):
            wizard.action_preview()
        self.assertEqual(wizard.state, "draft")

    def test_huge_cell(self):
        wizard = self._wizard(HEADER + self._row(label="A" * 1_000_000))
        with self.assertRaisesRegex(UserError, "Line 2 is 1000"):
            wizard.action_preview()
        wizard = self._wizard(HEADER + self._row(label="A" * 600))
        with self.assertRaisesRegex(UserError, "Line 2 holds a cell of 600"):
            wizard.action_preview()
        self.assertFalse(self._rates())

    def test_utf16_file_is_read(self):
        content = (HEADER + self._row(label="TLE PRO ÉLÈVE")).encode("utf-16")
        wizard = self._wizard(content)
        wizard.action_apply()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(self._rates().label, "TLE PRO ÉLÈVE")

    def test_utf16_without_bom_is_named(self):
        content = (HEADER + self._row()).encode("utf-16-le")
        wizard = self._wizard(content)
        with self.assertRaisesRegex(UserError, "UTF-16"):
            wizard.action_preview()

    def test_broken_quotes(self):
        # An unclosed quote swallows the rest of the file into one cell.
        wizard = self._wizard(HEADER + '2473121333,"' + "x" * 600 + "\n" + self._row())
        with self.assertRaises(UserError):
            wizard.action_preview()
        self.assertFalse(self._rates())
