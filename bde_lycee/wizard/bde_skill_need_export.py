import base64
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..xlsx import text_workbook

# Wide enough for a company or formation name to stay readable; the
# XlsxWriter pinned by Odoo 18 cannot autofit.
COLUMN_WIDTH = 24


class BdeSkillNeedExport(models.TransientModel):
    """Spreadsheet of skill needs for the lycée's arguments on its training
    offer (region, rectorat, CMQ): one row per need."""

    _name = "bde.skill.need.export"
    _description = "Export skill needs"

    skill_need_ids = fields.Many2many("bde.skill.need", string="Skill needs")
    skill_need_count = fields.Integer(compute="_compute_skill_need_count")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("skill_need_ids")
    def _compute_skill_need_count(self):
        for wizard in self:
            wizard.skill_need_count = len(wizard.skill_need_ids)

    def action_export(self):
        self.ensure_one()
        if not self.skill_need_ids:
            raise UserError(self.env._("Select the skill needs to export."))
        self.write(
            {
                "file": base64.b64encode(self._build_xlsx()),
                "filename": self.env._(
                    "skill_needs_%(date)s.xlsx", date=fields.Date.context_today(self)
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
            self.env._("UAI"),
            self.env._("Company"),
            self.env._("SIRET"),
            self.env._("Sector"),
            self.env._("Formation"),
            self.env._("Job"),
            self.env._("Skills"),
            self.env._("Headcount"),
            self.env._("Horizon"),
            self.env._("Recorded on"),
        ]

    def _get_row(self, need):
        horizons = dict(need._fields["horizon"]._description_selection(self.env))
        return [
            need.company_id.name,
            need.company_id.bde_uai or "",
            need.partner_id.name,
            need.partner_id.siret or "",
            need.sector_id.name or "",
            need.formation_id.name or "",
            need.job_title,
            ", ".join(sorted(need.skill_ids.mapped("name"))),
            need.headcount,
            horizons.get(need.horizon, ""),
            need.date,
        ]

    def _build_xlsx(self):
        output = io.BytesIO()
        workbook = text_workbook(output)
        sheet = workbook.add_worksheet(self.env._("Skill needs"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        headers = self._get_headers()
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(0, len(headers) - 1, COLUMN_WIDTH)
        for row, need in enumerate(self.skill_need_ids, start=1):
            values = self._get_row(need)
            sheet.write_row(row, 0, values[:-1])
            sheet.write_datetime(row, len(values) - 1, values[-1], date_format)
        workbook.close()
        return output.getvalue()
