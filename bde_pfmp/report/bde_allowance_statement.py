from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class ReportBdeAllowanceStatement(models.AbstractModel):
    """Statement of a student's PFMP allowances: per school year and MEF, the
    placements with their days, rate and amount, and the amounts cumulated
    against the yearly cap, as APLyPro counts them."""

    _name = "report.bde_pfmp.report_bde_allowance_statement"
    _description = "PFMP allowance statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        students = self.env["res.partner"].browse(docids)
        others = students.filtered(lambda partner: not partner.bde_is_student)
        if others:
            raise UserError(
                self.env._(
                    "The allowance statement is for students only, not for %(names)s.",
                    names=", ".join(others.mapped("display_name")),
                )
            )
        return {
            "doc_ids": students.ids,
            "doc_model": "res.partner",
            "docs": students,
            "sections": {
                student.id: self._prepare_sections(student) for student in students
            },
        }

    def _prepare_sections(self, student):
        """One section per school year and MEF (latest year first), each with
        its rate, lines ``(placement, cumulated, cap left)`` and total."""
        placements = self.env["bde.pfmp.placement"].search(
            [("student_id", "=", student.id), ("state", "!=", "cancelled")]
        )
        cumulated = placements._allowance_cumulated()
        groups = defaultdict(list)
        for placement in placements.sorted(lambda p: (p.date_start, p.id)):
            groups[placement._allowance_key()].append(placement)
        sections = []
        for (_student, school_year, mef), group in sorted(
            groups.items(), key=lambda item: item[0][1], reverse=True
        ):
            sections.append(
                {
                    "school_year": school_year,
                    "mef": mef,
                    "class": group[-1].class_id,
                    "yearly_cap": group[-1].allowance_rate_id.yearly_cap,
                    "lines": [
                        (placement, *cumulated[placement.id]) for placement in group
                    ],
                    "total": sum(placement.allowance_amount for placement in group),
                }
            )
        return sections
