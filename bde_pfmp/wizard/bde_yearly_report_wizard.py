from odoo import models


class BdeYearlyReportWizard(models.TransientModel):
    """Expectation 5 of the circular's annex: a commitment to quality
    placements, from the PFMP figures of the lycée's row of bde.lycee.report
    and its placements by state."""

    _inherit = "bde.yearly.report.wizard"

    def _get_yearly_figures(self):
        figures = super()._get_yearly_figures()
        figures["pfmp"] = self._get_pfmp_section()
        return figures

    def _get_pfmp_section(self):
        row = self._get_lycee_report_row()
        return self._section(
            5,
            self.env._(
                "5. A commitment to quality internships, work placements and "
                "apprenticeships"
            ),
            figures=[
                (self.env._("Placements"), row.pfmp_placement_count),
                (self.env._("Placements fully signed"), row.pfmp_signed_count),
                (self.env._("Signature rate (%)"), row.pfmp_signature_rate),
                (self.env._("Visits done"), row.pfmp_visit_done_count),
                (self.env._("Visits late"), row.pfmp_visit_late_count),
                (self.env._("Host ratings"), row.pfmp_rating_count),
                (self.env._("Average host rating (1 to 5)"), row.pfmp_rating_avg),
                (self.env._("PFMP days done"), row.pfmp_days_done),
                (self.env._("Allowances (€)"), row.pfmp_allowance_amount),
            ],
            tables=[self._get_pfmp_state_table()],
        )

    def _get_pfmp_state_table(self):
        """Placements of the year by state, cancelled ones excepted as in the
        figures, in the flow's order."""
        Placement = self._sudo("bde.pfmp.placement")
        counts = dict(
            Placement._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("school_year", "=", self.school_year),
                    ("state", "!=", "cancelled"),
                ],
                ["state"],
                ["__count"],
            )
        )
        states = Placement._fields["state"]._description_selection(self.env)
        return self._figure_table(
            self.env._("Placements by state"),
            [self.env._("State"), self.env._("Placements")],
            [[label, counts[state]] for state, label in states if state in counts],
        )
