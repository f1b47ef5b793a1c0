import base64
import io

import openpyxl

from odoo.tests import tagged

from .lycee_report_common import LyceeReportCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestNetworkReport(LyceeReportCase):
    """The networks' sums and the académie's spreadsheet, on the two
    lycées' hand-counted figures (LyceeReportCase)."""

    def test_network_totals_are_the_sums_of_their_lycees(self):
        Network = self.env["bde.network.report"].with_user(self.user_network)
        figures = Network._sum_fields()
        self.assertIn("convention_active_count", figures)
        lycee_rows = self.env["bde.lycee.report"].search(
            [("company_id", "in", [self.l1.id, self.l2.id])]
        )
        for network, lycees in (
            (self.network, self.l1 | self.l2),
            (self.network_l1, self.l1),
        ):
            for year in (self.prev_year, self.year):
                row = Network.search(
                    [("network_id", "=", network.id), ("school_year", "=", year)]
                )
                self.assertEqual(row.lycee_count, len(lycees))
                mine = lycee_rows.filtered(
                    lambda r, lycees=lycees, year=year: (
                        r.company_id in lycees and r.school_year == year
                    )
                )
                for name in figures:
                    self.assertEqual(
                        row[name], sum(mine.mapped(name)), (network.name, name)
                    )
        # A hand-written total, so that a sum of zeros cannot pass.
        row = Network.search(
            [("network_id", "=", self.network.id), ("school_year", "=", self.year)]
        )
        self.assertEqual(row.convention_active_count, 2)
        self.assertEqual(row.tax_amount_received, 400.0)

    def test_network_of_a_lycee_not_followed_is_not_read(self):
        # A network that spans a lycée the reader does not follow would
        # disclose that lycée's figures in its sums.
        stranger = self.env["res.company"].create(
            {"name": "LP Ailleurs", "bde_uai": "0690001B"}
        )
        self.network.company_ids |= stranger
        Network = self.env["bde.network.report"].with_user(self.user_network)
        self.assertFalse(Network.search([("network_id", "=", self.network.id)]))
        self.assertTrue(Network.search([("network_id", "=", self.network_l1.id)]))

    def test_xlsx_of_the_network(self):
        export = (
            self.env["bde.network.export"]
            .with_user(self.user_network)
            .create({"school_year": self.year})
        )
        export.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        self.assertEqual(book.sheetnames, ["Lycées", "Networks", "Formations"])
        lycees = list(book["Lycées"].values)
        headers = lycees[0]
        self.assertEqual(headers[:3], ("UAI", "Lycée", "School year"))
        self.assertIn("Conventions in force", headers)
        by_uai = {row[0]: dict(zip(headers, row, strict=True)) for row in lycees[1:]}
        self.assertEqual(by_uai["0750655E"]["Lycée"], "LP Test Jaurès")
        self.assertEqual(by_uai["0750655E"]["Conventions in force"], 1)
        self.assertEqual(by_uai["0690026D"]["Tax received"], 100)
        networks = {row[0]: row for row in list(book["Networks"].values)[1:]}
        self.assertEqual(networks["Bassin test"][4], 2)
        formations = list(book["Formations"].values)
        self.assertEqual(
            formations[0][:5],
            ("UAI", "Formation", "Diploma code", "MEF codes", "Students"),
        )
        row = next(r for r in formations[1:] if r[0] == "0750655E")
        self.assertEqual(
            row[:5],
            ("0750655E", "Bac pro MCV test", "40031213", "2473121332, 2473121333", 3),
        )
        # Never a named person: no student's, partner's or user's name.
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for line in sheet.values
            for cell in line
        )
        for name in (
            "Élève",
            "Léa Martin",
            "Entreprise A",
            "Visitor",
            self.user_officer.name,
        ):
            self.assertNotIn(name, text)
