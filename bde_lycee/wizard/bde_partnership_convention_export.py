import base64
import io
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..school_year import is_school_year, school_year_bounds
from ..xlsx import text_workbook

# States a convention goes through once both parties signed it.
SIGNED_STATES = ["signed", "active", "expired", "renewed", "terminated"]
# Characters: wide enough for a company name or a list of formations.
COLUMN_WIDTH = 22
STATE_FILTER_DOMAINS = {
    "in_force": [("state", "in", ["signed", "active"])],
    "signed": [("state", "in", SIGNED_STATES)],
    "all": [],
}


class BdePartnershipConventionExport(models.TransientModel):
    """Spreadsheet of the lycée's conventioned partnerships, which fiche 6 of
    the Lycée des métiers guide advises to send to the académie's services
    (DAFPIC, DAREIC, school-business officers)."""

    _name = "bde.partnership.convention.export"
    _description = "Export partnership conventions"

    state_filter = fields.Selection(
        selection=[
            ("in_force", "In force (signed or active)"),
            ("signed", "Signed, in force or ended"),
            ("all", "All conventions"),
        ],
        string="Conventions",
        required=True,
        default="in_force",
    )
    school_year = fields.Char(
        help="Only the conventions in force at some point of this school year, "
        "written 2025-2026. Leave empty for every year.",
    )
    # In the wizard's own row, not an attachment: the file goes with the
    # wizard, readable by its creator only, and is vacuumed with it.
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.constrains("school_year")
    def _check_school_year(self):
        for wizard in self:
            if wizard.school_year and not is_school_year(wizard.school_year):
                raise ValidationError(
                    self.env._(
                        "The school year %(year)s must read like 2025-2026.",
                        year=wizard.school_year,
                    )
                )

    def action_export(self):
        self.ensure_one()
        conventions = self.env["bde.partnership.convention"].search(
            self._get_convention_domain(), order="company_id, date_start, id"
        )
        if not conventions:
            raise UserError(self.env._("No convention matches these filters."))
        self.write(
            {
                "file": base64.b64encode(self._build_xlsx(conventions)),
                "filename": self.env._(
                    "partnership_conventions_%(date)s.xlsx",
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

    def _get_convention_domain(self):
        domain = [("company_id", "in", self.env.companies.ids)]
        domain += STATE_FILTER_DOMAINS[self.state_filter]
        if self.school_year:
            first_day, last_day = school_year_bounds(self.school_year)
            domain += [("date_start", "<=", last_day), ("date_end", ">=", first_day)]
        return domain

    def _get_headers(self):
        _ = self.env._
        return [
            _("Lycée"),
            _("UAI"),
            _("Company"),
            _("SIRET"),
            _("NAF code"),
            _("Town"),
            _("Sectors"),
            _("Formations"),
            _("Reference"),
            _("Start date"),
            _("End date"),
            _("State"),
            _("Signed by the lycée on"),
            _("Signed by the partner on"),
        ]

    def _get_row(self, convention, states):
        partner = convention.partner_id
        return [
            convention.company_id.name,
            convention.company_id.bde_uai or "",
            partner.name,
            partner.siret or "",
            partner.bde_naf_code or "",
            partner.city or "",
            ", ".join(partner.bde_sector_ids.mapped("name")),
            ", ".join(convention.formation_ids.mapped("name")),
            convention.name,
            convention.date_start,
            convention.date_end,
            states[convention.state],
            convention.date_signed_lycee,
            convention.date_signed_partner,
        ]

    def _build_xlsx(self, conventions):
        output = io.BytesIO()
        workbook = text_workbook(output)
        sheet = workbook.add_worksheet(self.env._("Conventions"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        states = dict(conventions._fields["state"]._description_selection(self.env))
        sheet.write_row(0, 0, self._get_headers(), bold)
        for row, convention in enumerate(conventions, start=1):
            for col, value in enumerate(self._get_row(convention, states)):
                if isinstance(value, date):
                    sheet.write_datetime(row, col, value, date_format)
                elif value:
                    sheet.write(row, col, value)
        sheet.autofilter(0, 0, len(conventions), len(self._get_headers()) - 1)
        sheet.freeze_panes(1, 0)
        # Worksheet.autofit() needs XlsxWriter 3.0.6, newer than the one Odoo 18
        # pins: a fixed width keeps names and dates readable.
        sheet.set_column(0, len(self._get_headers()) - 1, COLUMN_WIDTH)
        workbook.close()
        return output.getvalue()
