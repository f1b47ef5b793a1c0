import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..inserjeunes import InserJeunesClient, normalize_record, parse_csv


class BdeAlumniOfficialImport(models.TransientModel):
    """Import InserJeunes' official figures of a lycée, from the open data
    service (by the lycée's UAI) or from the dataset's CSV export."""

    _name = "bde.alumni.official.import"
    _description = "Import InserJeunes figures"

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    uai = fields.Char(related="company_id.bde_uai", string="UAI")
    source = fields.Selection(
        [("service", "InserJeunes open data"), ("file", "Downloaded CSV file")],
        required=True,
        default="service",
    )
    file = fields.Binary(string="CSV file")
    file_name = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    rows_imported = fields.Integer(readonly=True)
    millesimes = fields.Char(string="Millésimes", readonly=True)
    matched_formations = fields.Text(readonly=True)
    unmatched_formations = fields.Text(
        readonly=True,
        help="Official formations without a formation of the lycée of the same "
        "diploma: their figures are kept with their code and label.",
    )

    @api.model
    def _records(self, company, source, file, file_name):
        if source == "file":
            if not file:
                raise UserError(_("Choose the CSV file exported from InserJeunes."))
            return parse_csv(base64.b64decode(file)), file_name
        if not company.bde_uai:
            raise UserError(
                _("Set the UAI of %(lycee)s first.", lycee=company.display_name)
            )
        client = InserJeunesClient(self.env)
        return client.records(company.bde_uai), client.base_url

    def action_import(self):
        self.ensure_one()
        records, source_name = self._records(
            self.company_id, self.source, self.file, self.file_name
        )
        summary = self.env["bde.alumni.official.indicator"]._import_inserjeunes(
            self.company_id,
            [normalize_record(record) for record in records],
            self.source,
            source_name,
        )
        self.write(
            {
                "state": "done",
                "rows_imported": summary["rows"],
                "millesimes": ", ".join(summary["millesimes"]),
                "matched_formations": "\n".join(summary["matched"]),
                "unmatched_formations": "\n".join(summary["unmatched"]),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_comparison(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_alumni.bde_alumni_official_comparison_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
