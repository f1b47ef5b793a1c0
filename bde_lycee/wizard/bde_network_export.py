import base64
import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..school_year import is_school_year, school_year_of
from ..xlsx import text_workbook

# Fields of bde.lycee.report that are no figure: the row's key and labels.
REPORT_KEY_FIELDS = {
    "id",
    "company_id",
    "lycee_name",
    "uai",
    "school_year",
    "is_current_school_year",
    "currency_id",
    "network_id",
    "network_type",
    "academy",
    "lycee_count",
}
FIGURE_TYPES = ("integer", "float", "monetary")


class BdeNetworkExport(models.TransientModel):
    """The network's figures of one school year as a spreadsheet for the
    académie: its lycées (UAI, full name, every figure of bde.lycee.report),
    its networks (the sums of their lycées) and the lycées' formations
    (diploma code, MEF codes of their classes, students). Aggregates only:
    never a named person."""

    _name = "bde.network.export"
    _description = "Export the network's figures"

    school_year = fields.Char(
        required=True,
        default=lambda self: school_year_of(fields.Date.context_today(self)),
        help="School year to export, written 2026-2027.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("school_year")
    def _check_school_year(self):
        for export in self:
            if not is_school_year(export.school_year):
                raise UserError(
                    self.env._(
                        "The school year %(year)s must read like 2026-2027.",
                        year=export.school_year,
                    )
                )

    def action_export(self):
        """Build the spreadsheet and download it."""
        self.ensure_one()
        lycee_rows = self.env["bde.lycee.report"].search(
            [("school_year", "=", self.school_year)], order="uai"
        )
        if not lycee_rows:
            raise UserError(
                self.env._(
                    "No lycée of yours has figures for the school year %(year)s.",
                    year=self.school_year,
                )
            )
        output = io.BytesIO()
        workbook = text_workbook(output)
        self._write_sheet(
            workbook, self.env._("Lycées"), *self._lycee_sheet(lycee_rows)
        )
        self._write_sheet(workbook, self.env._("Networks"), *self._network_sheet())
        self._write_sheet(
            workbook,
            self.env._("Formations"),
            *self._formation_sheet(lycee_rows.company_id),
        )
        workbook.close()
        self.write(
            {
                "file": base64.b64encode(output.getvalue()),
                "file_name": self.env._(
                    "Network figures %(year)s.xlsx", year=self.school_year
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            "&filename_field=file_name&download=true",
            "target": "self",
        }

    # Sheets: (headers, rows)

    def _figure_fields(self, model):
        """The figures of ``model``, in the order of its fields: the columns
        a module adds to the report come with it."""
        return [
            field
            for name, field in self.env[model]._fields.items()
            if name not in REPORT_KEY_FIELDS and field.type in FIGURE_TYPES
        ]

    def _field_header(self, field):
        return field._description_string(self.env)

    def _lycee_sheet(self, rows):
        figures = self._figure_fields("bde.lycee.report")
        headers = [self.env._("UAI"), self.env._("Lycée"), self.env._("School year")]
        headers += [self._field_header(field) for field in figures]
        return headers, [
            [row.uai, row.lycee_name, row.school_year]
            + [row[field.name] for field in figures]
            for row in rows
        ]

    def _network_sheet(self):
        Report = self.env["bde.network.report"]
        figures = self._figure_fields("bde.network.report")
        rows = Report.search([("school_year", "=", self.school_year)])
        types = dict(Report._fields["network_type"]._description_selection(self.env))
        headers = [
            self.env._("Network"),
            self.env._("Type"),
            self.env._("Académie"),
            self.env._("School year"),
            self.env._("Lycées"),
        ] + [self._field_header(field) for field in figures]
        return headers, [
            [
                row.network_id.name,
                types.get(row.network_type, ""),
                row.academy or "",
                row.school_year,
                row.lycee_count,
            ]
            + [row[field.name] for field in figures]
            for row in rows
        ]

    def _formation_sheet(self, lycees):
        classes = self._get_classes(lycees)
        keys = sorted(
            {(k.company_id, k.formation_id) for k in classes},
            key=lambda key: (key[0].bde_uai, key[1].name or "", key[1].id),
        )
        mef_codes = defaultdict(set)
        for school_class in classes:
            if school_class.mef_code:
                mef_codes[school_class.company_id, school_class.formation_id].add(
                    school_class.mef_code
                )
        columns = self._formation_columns(classes)
        headers = [
            self.env._("UAI"),
            self.env._("Formation"),
            self.env._("Diploma code"),
            self.env._("MEF codes"),
        ] + [header for header, _values in columns]
        rows = [
            [
                lycee.bde_uai,
                formation.name or self.env._("No formation"),
                formation.diploma_code or "",
                ", ".join(sorted(mef_codes[lycee, formation])),
            ]
            + [values.get((lycee.id, formation.id), 0) for _header, values in columns]
            for lycee, formation in keys
        ]
        return headers, rows

    def _get_classes(self, lycees):
        """The school year's classes of ``lycees`` (the lycées whose figures
        the user reads), read as superuser: the academic correspondent reads
        no class, only what the sheet counts of them."""
        return (
            self.env["bde.class"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", lycees.ids),
                    ("school_year", "=", self.school_year),
                ]
            )
        )

    def _formation_columns(self, classes):
        """The figures per lycée and formation: ``[(header, {(company id,
        formation id): value})]``. Modules add theirs (placements,
        insertion) with super()."""
        students = defaultdict(int)
        for school_class, count in (
            self.env["res.partner"]
            .sudo()
            ._read_group(
                [("bde_is_student", "=", True), ("bde_class_id", "in", classes.ids)],
                ["bde_class_id"],
                ["__count"],
            )
        ):
            key = (school_class.company_id.id, school_class.formation_id.id)
            students[key] += count
        return [(self.env._("Students"), students)]

    def _write_sheet(self, workbook, name, headers, rows):
        sheet = workbook.add_worksheet(name)
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, headers, bold)
        for index, row in enumerate(rows, start=1):
            sheet.write_row(index, 0, row)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, len(headers), 14)
        sheet.freeze_panes(1, 0)
