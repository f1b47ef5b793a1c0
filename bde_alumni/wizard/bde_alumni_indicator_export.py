import base64
import io

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.bde_lycee.xlsx import text_workbook

from ..models.bde_alumni_indicator import PUBLICATION_THRESHOLD

COLUMN_WIDTH = 22
RATE_FIELDS = (
    "published_rate_studies",
    "published_rate_employed",
    "published_rate_other",
    "published_rate_seeking",
    "published_rate_unknown",
)


class BdeAlumniIndicatorExport(models.TransientModel):
    """Spreadsheet of the insertion indicators as they may leave the lycée:
    published rates only (hidden under 20 alumni), cohort size always."""

    _name = "bde.alumni.indicator.export"
    _description = "Export insertion indicators"

    company_ids = fields.Many2many(
        "res.company",
        string="Lycées",
        default=lambda self: self.env.user._bde_default_lycees(),
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
        help="Leave empty for every lycée you may read.",
    )
    formation_ids = fields.Many2many(
        "bde.formation", string="Formations", help="Leave empty for every formation."
    )
    exit_year_from = fields.Integer(string="From exit year")
    exit_year_to = fields.Integer(string="To exit year")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.constrains("exit_year_from", "exit_year_to")
    def _check_exit_years(self):
        for wizard in self:
            if (
                wizard.exit_year_from
                and wizard.exit_year_to
                and wizard.exit_year_from > wizard.exit_year_to
            ):
                raise ValidationError(
                    self.env._("The first exit year comes after the last one.")
                )

    @api.constrains("company_ids")
    def _check_company_ids(self):
        # The record rule refuses another lycée at creation; a write is
        # checked against the rule before it changes the lycées.
        for wizard in self:
            foreign = wizard.company_ids - self.env.user.company_ids
            if foreign and not self.env.su:
                raise AccessError(
                    self.env._(
                        "You do not belong to %(lycees)s: its indicators are "
                        "not yours to export.",
                        lycees=", ".join(foreign.mapped("name")),
                    )
                )

    def _get_domain(self):
        domain = []
        if self.company_ids:
            domain.append(("company_id", "in", self.company_ids.ids))
        if self.formation_ids:
            domain.append(("exit_formation_id", "in", self.formation_ids.ids))
        if self.exit_year_from:
            domain.append(("exit_year", ">=", self.exit_year_from))
        if self.exit_year_to:
            domain.append(("exit_year", "<=", self.exit_year_to))
        return domain

    def action_export(self):
        self.ensure_one()
        indicators = self.env["bde.alumni.indicator"].search(self._get_domain())
        if not indicators:
            raise UserError(self.env._("No indicator matches these criteria."))
        self.write(
            {
                "file": base64.b64encode(self._build_xlsx(indicators)),
                "filename": self.env._(
                    "insertion_indicators_%(date)s.xlsx",
                    date=fields.Date.context_today(self),
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field=file"
            "&filename_field=filename&download=true",
            "target": "self",
        }

    def _get_headers(self):
        return [
            self.env._("Lycée"),
            self.env._("Formation"),
            self.env._("Exit year"),
            self.env._("Months after exit"),
            self.env._("Cohort size"),
            self.env._("Further studies"),
            self.env._("Employment"),
            self.env._("Other"),
            self.env._("Job seeking"),
            self.env._("Unknown"),
            self.env._("Note"),
        ]

    def _build_xlsx(self, indicators):
        output = io.BytesIO()
        workbook = text_workbook(output)
        sheet = workbook.add_worksheet(self.env._("Insertion"))
        bold = workbook.add_format({"bold": True})
        percent = workbook.add_format({"num_format": "0.0%"})
        headers = self._get_headers()
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(0, len(headers) - 1, COLUMN_WIDTH)
        small_note = self.env._(
            "< %(threshold)s: rates not published", threshold=PUBLICATION_THRESHOLD
        )
        for row, indicator in enumerate(indicators, start=1):
            sheet.write_row(
                row,
                0,
                [
                    indicator.company_id.name,
                    indicator.exit_formation_id.display_name,
                    indicator.exit_year,
                    indicator.months_after_exit,
                    indicator.cohort_size,
                ],
            )
            if indicator.is_small_cohort:
                sheet.write(row, len(headers) - 1, small_note)
                continue
            sheet.write_number(row, 5, indicator.published_rate_studies, percent)
            # Everyone in further studies: no leavers, no rate over them.
            if indicator.published_rate_studies < 1:
                for column, field in enumerate(RATE_FIELDS[1:], start=6):
                    sheet.write_number(row, column, indicator[field], percent)
        workbook.close()
        return output.getvalue()
