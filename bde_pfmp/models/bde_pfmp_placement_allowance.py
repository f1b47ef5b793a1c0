from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from odoo.addons.bde_lycee.school_year import school_year_bounds

from .bde_pfmp_placement_minor import ADULT_AGE


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Allowance (APLyPro's rule)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The allowance and APLyPro's checks are the lycée's business, not the
    # tutor's: the portal reads placements but not these fields.
    allowance_rate_id = fields.Many2one(
        "bde.allowance.rate",
        string="Allowance rate",
        readonly=True,
        copy=False,
        groups="bde_lycee.group_bde_user",
    )
    allowance_daily_rate = fields.Float(
        related="allowance_rate_id.daily_rate",
        string="Daily rate",
        groups="bde_lycee.group_bde_user",
    )
    allowance_amount = fields.Monetary(
        string="Allowance",
        readonly=True,
        copy=False,
        tracking=True,
        groups="bde_lycee.group_bde_user",
        help="Days done × daily rate, within what is left of the yearly cap "
        "after the student's earlier placements of the school year and MEF.",
    )
    allowance_missing_rate = fields.Boolean(
        string="No allowance rate",
        readonly=True,
        copy=False,
        groups="bde_lycee.group_bde_user",
        help="No allowance rate is known for the MEF or the level of the class "
        "in this school year: the allowance is 0.",
    )

    def _allowance_key(self):
        self.ensure_one()
        return (
            self.student_id.id,
            self.school_year,
            self.mef_code or self.mef_stat4 or "",
        )

    def _allowance_siblings(self):
        """Placements sharing a student and a school year with these ones: the
        cap is counted over them. As superuser: the amount of a placement
        depends on every placement of the student, whoever may read them."""
        if not self:
            return self.browse()
        return self.sudo().search(
            [
                ("student_id", "in", self.student_id.ids),
                ("school_year", "in", list(set(self.mapped("school_year")))),
            ]
        )

    @api.model
    def _lock_allowance_students(self, students):
        """Serialise the allowance computations of these students: two
        transactions computing one student's amounts each from the other's
        old amounts would both grant the whole yearly cap.

        Odoo's transactions run in REPEATABLE READ, so a row lock alone is
        not enough: the second transaction would get it once the first
        commits, and still read its older snapshot. Touching the students'
        rows makes PostgreSQL refuse the second one (serialization failure),
        which Odoo retries from a fresh snapshot. Rows are taken in id order,
        so that two transactions never wait for each other."""
        if not students:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET id = id WHERE id IN ("
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id "
                "FOR NO KEY UPDATE)",
                sorted(students.ids),
            )
        )

    def _recompute_allowance(self):
        """Amount of a placement = min(days done × daily rate, yearly cap −
        amounts already set on the student's earlier placements of the same
        school year and MEF); earlier placements first (by start date, then
        id). Every placement of the affected students and years is recomputed,
        so a change on one moves all the later ones."""
        self._lock_allowance_students(self.student_id)
        placements = self._allowance_siblings()
        if not placements:
            return
        rates = self.env["bde.allowance.rate"]
        rate_map = rates._get_rate_map(set(placements.mapped("school_year")))
        groups = defaultdict(list)
        for placement in placements.sorted(lambda p: (p.date_start, p.id)):
            groups[placement._allowance_key()].append(placement)
        for group in groups.values():
            used = 0.0
            for placement in group:
                rate = rates._find(
                    rate_map,
                    placement.school_year,
                    placement.mef_code,
                    placement.mef_stat4,
                )
                amount = 0.0
                if rate and placement.state != "cancelled":
                    amount = min(
                        placement.days_done * rate.daily_rate,
                        max(rate.yearly_cap - used, 0.0),
                    )
                    used += amount
                placement._write_allowance(rate, amount)

    # APLyPro checks and the figures of the allowance exports and statements
    student_aplypro_blocked = fields.Boolean(
        related="student_id.bde_aplypro_blocked",
        string="Blocking APLyPro",
        groups="bde_lycee.group_bde_user",
    )
    student_aplypro_issues = fields.Html(
        related="student_id.bde_aplypro_issues",
        string="APLyPro issues",
        groups="bde_lycee.group_bde_user",
    )

    def _bde_aplypro_issue_list(self):
        """The checks of APLyPro that this placement fails, as sentences."""
        self.ensure_one()
        issues = []
        if self.school_year and self.date_start and self.date_end:
            first_day, last_day = school_year_bounds(self.school_year)
            if self.date_start < first_day or self.date_end > last_day:
                issues.append(
                    self.env._(
                        "The placement from %(start)s to %(end)s is not within "
                        "the school year %(year)s.",
                        start=format_date(self.env, self.date_start),
                        end=format_date(self.env, self.date_end),
                        year=self.school_year,
                    )
                )
        student = self.student_id
        paid_to = student.bde_aplypro_own_bank_account or student.bde_aplypro_mandate
        if student.bde_birthdate and self.age_at_start >= ADULT_AGE and not paid_to:
            issues.append(
                self.env._(
                    "Adult at the start of the placement of %(start)s: the "
                    "allowance is paid on a bank account in their own name or "
                    "through a mandate, and neither is declared.",
                    start=format_date(self.env, self.date_start),
                )
            )
        return issues

    def _allowance_cumulated(self):
        """``{placement id: (amount cumulated so far, cap left)}`` over the
        student's placements of the same school year and MEF, earlier first
        (as ``_recompute_allowance`` counts them), this one included."""
        figures = {}
        used = defaultdict(float)
        for placement in self._allowance_siblings().sorted(
            lambda p: (p.date_start, p.id)
        ):
            key = placement._allowance_key()
            used[key] += placement.allowance_amount
            cap = placement.allowance_rate_id.yearly_cap
            figures[placement.id] = (used[key], max(cap - used[key], 0.0))
        return figures
