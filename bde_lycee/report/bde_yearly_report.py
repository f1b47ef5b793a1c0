from odoo import api, models


class ReportBdeYearly(models.AbstractModel):
    """The yearly BDE report's values: its wizards, read as the user, so
    that a wizard of another user or another lycée is refused before any
    figure is computed."""

    _name = "report.bde_lycee.report_bde_yearly"
    _description = "Yearly BDE report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["bde.yearly.report.wizard"].browse(docids)
        docs.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "bde.yearly.report.wizard",
            "docs": docs,
        }
