import base64
import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.bde_lycee.xlsx import text_workbook

from ..models.bde_alumni_indicator import PUBLICATION_THRESHOLD

COLUMN_WIDTH = 22
# The counts follow the cohort's identity (UAI to cohort size), then the rates.
COUNT_COLUMN = 8
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
            self.env._("UAI"),
            self.env._("Lycée"),
            self.env._("Diploma code"),
            self.env._("MEF codes"),
            self.env._("Formation"),
            self.env._("Exit year"),
            self.env._("Months after exit"),
            self.env._("Cohort size"),
            *(label for _field, label in self._get_count_columns()),
            self.env._("Further studies rate"),
            self.env._("Employment rate"),
            self.env._("Other rate"),
            self.env._("Job seeking rate"),
            self.env._("Unknown rate"),
            self.env._("Note"),
        ]

    def _get_count_columns(self):
        return [
            ("n_studies", self.env._("Further studies")),
            ("n_employed", self.env._("Salaried employment")),
            ("n_other", self.env._("Other")),
            ("n_seeking", self.env._("Job seeking")),
            ("n_unknown", self.env._("Unknown")),
            ("leavers", self.env._("Leavers")),
        ]

    def _get_mef_codes(self, indicators):
        """MEF codes of each lycée's final-year classes of each formation, by
        (lycée, formation, school year): the cohort that left in year Y is
        coded by its classes of the school year Y-1 to Y. Read as superuser:
        the network reader may read no class, and a MEF code names nobody."""
        groups = (
            self.env["bde.class"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("company_id", "in", indicators.company_id.ids),
                    ("formation_id", "in", indicators.exit_formation_id.ids),
                    ("is_final_year", "=", True),
                    ("mef_code", "!=", False),
                ],
                ["company_id", "formation_id", "school_year", "mef_code"],
            )
        )
        codes = defaultdict(set)
        for company, formation, school_year, mef_code in groups:
            codes[company.id, formation.id, school_year].add(mef_code)
            # the formation's codes of any year, for a cohort whose last
            # year's classes are not in the suite
            codes[company.id, formation.id, None].add(mef_code)
        return codes

    def _get_row_mef_codes(self, codes, indicator):
        key = (indicator.company_id.id, indicator.exit_formation_id.id)
        school_year = f"{indicator.exit_year - 1}-{indicator.exit_year}"
        found = codes.get((*key, school_year)) or codes.get((*key, None), ())
        return ", ".join(sorted(found))

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
        codes = self._get_mef_codes(indicators)
        count_fields = [field for field, _label in self._get_count_columns()]
        # The counts of a published cohort follow from its published rates:
        # read as superuser for the network reader, never for a small cohort.
        counts = {
            values["id"]: values
            for values in indicators.filtered(lambda i: not i.is_small_cohort)
            .sudo()
            .read(count_fields)
        }
        first_rate = COUNT_COLUMN + len(count_fields)
        for row, indicator in enumerate(indicators, start=1):
            formation = indicator.exit_formation_id
            sheet.write_row(
                row,
                0,
                [
                    indicator.company_id.bde_uai or "",
                    indicator.company_id.name,
                    formation.diploma_code or "",
                    self._get_row_mef_codes(codes, indicator),
                    formation.display_name,
                    indicator.exit_year,
                    indicator.months_after_exit,
                    indicator.cohort_size,
                ],
            )
            if indicator.is_small_cohort:
                sheet.write(row, len(headers) - 1, small_note)
                continue
            values = counts[indicator.id]
            sheet.write_row(row, COUNT_COLUMN, [values[f] for f in count_fields])
            sheet.write_number(
                row, first_rate, indicator.published_rate_studies, percent
            )
            # Everyone in further studies: no leavers, no rate over them.
            if indicator.published_rate_studies < 1:
                for column, field in enumerate(RATE_FIELDS[1:], start=first_rate + 1):
                    sheet.write_number(row, column, indicator[field], percent)
        workbook.close()
        return output.getvalue()
