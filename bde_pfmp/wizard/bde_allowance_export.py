import base64
import io
import re
from datetime import date

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.bde_lycee.xlsx import text_workbook

from ..models.res_partner import APLYPRO_CHECK_FIELDS

# Excel refuses these characters in a sheet name and cuts names at 31.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
# Column widths in characters, wide enough for the usual content.
COLUMN_WIDTHS = (13, 18, 16, 11, 12, 11, 11, 11, 11, 28, 10, 10, 10, 10, 50)
DATE_COLUMNS = {3, 5, 6, 7, 8}
MONEY_COLUMNS = {11, 12, 13}
DAYS_COLUMN = 10
AMOUNT_COLUMN = 12
# What the rows, the cumulated figures and APLyPro's checks read, fetched in a
# few queries whatever the number of rows (see _prefetch_rows).
ROW_PLACEMENT_FIELDS = [
    "student_id",
    "class_id",
    "period_id",
    "partner_id",
    "state",
    "school_year",
    "mef_code",
    "mef_stat4",
    "date_start",
    "date_end",
    "days_done",
    "age_at_start",
    "allowance_rate_id",
    "allowance_amount",
]
# The student's name, and what APLyPro's checks read of the student itself
# (their placements are read with ROW_PLACEMENT_FIELDS).
ROW_STUDENT_FIELDS = ["name"] + [
    name for name in APLYPRO_CHECK_FIELDS if "." not in name
]


class BdeAllowanceExport(models.TransientModel):
    """Spreadsheet of the PFMP allowances to enter in APLyPro: one sheet per
    class and period, one row per placement with the days done, the amount and
    what the student would have blocked in APLyPro."""

    _name = "bde.allowance.export"
    _description = "Export the PFMP allowances"

    class_ids = fields.Many2many("bde.class", string="Classes")
    period_ids = fields.Many2many(
        "bde.pfmp.period",
        string="Periods",
        domain="[('class_id', 'in', class_ids)] if class_ids else []",
    )
    placement_ids = fields.Many2many(
        "bde.pfmp.placement",
        string="Placements",
        help="Placements chosen in the list; when empty, those of the classes "
        "and periods above.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def action_export(self):
        """Build the spreadsheet and download it."""
        self.ensure_one()
        placements = self._get_placements()
        if not placements:
            raise UserError(
                self.env._("No placement to export: choose a class or a period.")
            )
        content = self._write_workbook(self._prepare_sheets(placements))
        self.write(
            {
                "file": base64.b64encode(content),
                "file_name": self._get_file_name(placements),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            "&filename_field=file_name&download=true",
            "target": "self",
        }

    def _get_placements(self):
        """The placements chosen, or those of the classes and periods; never
        the cancelled ones, which APLyPro does not pay."""
        placements = self.placement_ids
        if placements:
            placements.fetch(ROW_PLACEMENT_FIELDS)
        elif self.class_ids or self.period_ids:
            domain = []
            if self.class_ids:
                domain.append(("class_id", "in", self.class_ids.ids))
            if self.period_ids:
                domain.append(("period_id", "in", self.period_ids.ids))
            placements = self.env["bde.pfmp.placement"].search_fetch(
                domain, ROW_PLACEMENT_FIELDS
            )
        return placements.filtered(lambda placement: placement.state != "cancelled")

    def _get_file_name(self, placements):
        years = "_".join(sorted(set(placements.mapped("school_year"))))
        return f"{self.env._('PFMP allowances')} {years}.xlsx"

    # Content

    def _get_headers(self):
        return [
            self.env._("INE"),
            self.env._("Last name"),
            self.env._("First name"),
            self.env._("Birth date"),
            self.env._("MEF"),
            self.env._("Period start"),
            self.env._("Period end"),
            self.env._("Placement start"),
            self.env._("Placement end"),
            self.env._("Host"),
            self.env._("Days done"),
            self.env._("Daily rate"),
            self.env._("Amount"),
            self.env._("Cap left"),
            self.env._("Blocking issue"),
        ]

    def _prepare_sheets(self, placements):
        """``[(sheet name, rows)]``, one sheet per class and period (by class
        name, then period start), rows as lists of cell values."""
        self._prefetch_rows(placements)
        groups = placements.grouped(lambda p: (p.class_id, p.period_id))
        cumulated = placements._allowance_cumulated()
        issues = {}
        sheets, names = [], set()
        for (school_class, period), group in sorted(
            groups.items(), key=self._sheet_key
        ):
            rows = [
                self._prepare_row(placement, cumulated, issues)
                for placement in group.sorted(lambda p: (p.student_id.name, p.id))
            ]
            sheets.append((self._sheet_name(school_class, period, names), rows))
        return sheets

    def _prefetch_rows(self, placements):
        """Read at once what the rows read of ``placements``, of every
        placement of their students (the cumulated figures and APLyPro's
        checks count them all, as superuser) and of the records they name:
        left to itself, the ORM would read them 1,000 records at a time."""
        students = placements.student_id
        students.fetch(ROW_STUDENT_FIELDS)
        students.sudo().fetch(["bde_student_placement_ids"])
        siblings = (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search_fetch([("student_id", "in", students.ids)], ROW_PLACEMENT_FIELDS)
        )
        siblings.allowance_rate_id.fetch(["daily_rate", "yearly_cap"])
        placements.class_id.fetch(["name"])
        placements.period_id.fetch(["name", "date_start", "date_end"])
        placements.partner_id.fetch(["name"])

    def _sheet_key(self, item):
        (school_class, period), _placements = item
        return (
            school_class.name,
            school_class.id,
            period.date_start or date.min,
            period.id or 0,
        )

    def _prepare_row(self, placement, cumulated, issues):
        student = placement.student_id
        if student not in issues:
            issues[student] = " ".join(student._bde_aplypro_issue_list())
        last_name, first_name = self._split_name(student.name)
        period = placement.period_id
        return [
            student.bde_ine or "",
            last_name,
            first_name,
            student.bde_birthdate,
            placement.mef_code or placement.mef_stat4 or "",
            period.date_start,
            period.date_end,
            placement.date_start,
            placement.date_end,
            placement.partner_id.name or "",
            placement.days_done,
            placement.allowance_daily_rate,
            placement.allowance_amount,
            cumulated[placement.id][1],
            issues[student],
        ]

    def _split_name(self, name):
        """Last and first names of a student named "First Last", as the SIECLE
        import writes them: the first word is the first name (compound first
        names are hyphenated in France), the rest is the last name."""
        first, _sep, last = (name or "").strip().partition(" ")
        return (last or first, first if last else "")

    def _sheet_name(self, school_class, period, names):
        """A unique Excel sheet name for the class and the period."""
        base = f"{school_class.name} {period.name or self.env._('No period')}"
        base = SHEET_NAME_FORBIDDEN.sub("-", base)[:SHEET_NAME_MAX]
        name, count = base, 1
        while name.lower() in names:
            count += 1
            suffix = f" ({count})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        names.add(name.lower())
        return name

    # Writing

    def _write_workbook(self, sheets):
        """The xlsx file of ``sheets``: a header row, one row per placement
        and a total row per sheet."""
        output = io.BytesIO()
        workbook = text_workbook(output)
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#D9D9D9"}),
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "total": workbook.add_format({"bold": True}),
            "total_money": workbook.add_format(
                {"bold": True, "num_format": "#,##0.00"}
            ),
        }
        headers = self._get_headers()
        for name, rows in sheets:
            sheet = workbook.add_worksheet(name)
            self._write_sheet(sheet, headers, rows, formats)
        workbook.close()
        return output.getvalue()

    def _write_sheet(self, sheet, headers, rows, formats):
        for column, width in enumerate(COLUMN_WIDTHS):
            sheet.set_column(column, column, width)
        sheet.write_row(0, 0, headers, formats["header"])
        sheet.freeze_panes(1, 0)
        for index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if column in DATE_COLUMNS:
                    if value:
                        sheet.write_datetime(index, column, value, formats["date"])
                elif column in MONEY_COLUMNS:
                    sheet.write_number(index, column, value, formats["money"])
                else:
                    sheet.write(index, column, value)
        total_row = len(rows) + 1
        sheet.write(total_row, 0, self.env._("Total"), formats["total"])
        days = sum(row[DAYS_COLUMN] for row in rows)
        amount = sum(row[AMOUNT_COLUMN] for row in rows)
        sheet.write_number(total_row, DAYS_COLUMN, days, formats["total"])
        sheet.write_number(total_row, AMOUNT_COLUMN, amount, formats["total_money"])
