from collections import defaultdict, namedtuple

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from odoo.addons.bde_lycee.school_year import school_year_bounds

from .bde_pfmp_placement_minor import ADULT_AGE
from .bde_pfmp_placement_rules import ALLOWANCE_RESULT_FIELDS

# What the computation reads, flushed before its query.
ALLOWANCE_INPUT_FIELDS = {
    "student_id",
    "school_year",
    "mef_code",
    "mef_stat4",
    "date_start",
    "days_done",
    "state",
}
RATE_INPUT_FIELDS = {"school_year", "mef_code", "mef_stat4", "daily_rate", "yearly_cap"}
# APLyPro's rule over every placement of the students and school years of the
# placements %(ids)s, in one statement. The rate of a placement is its MEF's
# row of the school year, else its level's default. Within a student, a
# school year and a MEF, the placements share the rate and the cap, and each
# adds days done × daily rate (nothing when cancelled) to a running sum,
# earlier first; capping each placement at what the earlier ones left of the
# cap is capping the running sum: amount = min(sum, cap) − min(sum before, cap).
# Only the placements whose figures change are written.
ALLOWANCE_SQL = """
WITH scope AS (
    SELECT DISTINCT student_id, school_year
      FROM bde_pfmp_placement
     WHERE id = ANY(%(ids)s)
), placement AS (
    SELECT p.id, p.student_id, p.school_year, p.date_start,
           p.allowance_amount AS old_amount,
           COALESCE(NULLIF(p.mef_code, ''), NULLIF(p.mef_stat4, ''), '') AS mef,
           COALESCE(own.id, level.id) AS rate_id,
           COALESCE(own.yearly_cap, level.yearly_cap) AS cap,
           CASE WHEN p.state = 'cancelled' THEN 0
                ELSE COALESCE(p.days_done, 0)
                     * COALESCE(own.daily_rate, level.daily_rate, 0)
           END AS gross
      FROM bde_pfmp_placement p
      JOIN scope
        ON scope.student_id = p.student_id AND scope.school_year = p.school_year
 LEFT JOIN bde_allowance_rate own
        ON own.school_year = p.school_year AND own.mef_code = NULLIF(p.mef_code, '')
 LEFT JOIN bde_allowance_rate level
        ON level.school_year = p.school_year AND COALESCE(level.mef_code, '') = ''
       AND level.mef_stat4 = p.mef_stat4
), running AS (
    SELECT id, rate_id, cap, gross, old_amount,
           SUM(gross) OVER (
               PARTITION BY student_id, school_year, mef ORDER BY date_start, id
           ) AS total
      FROM placement
), computed AS (
    SELECT id, rate_id, old_amount,
           COALESCE(LEAST(total, cap) - LEAST(total - gross, cap), 0) AS amount
      FROM running
), written AS (
    UPDATE bde_pfmp_placement p
       SET allowance_rate_id = c.rate_id,
           allowance_amount = c.amount,
           allowance_missing_rate = c.rate_id IS NULL,
           write_uid = %(uid)s,
           write_date = NOW() AT TIME ZONE 'UTC'
      FROM computed c
     WHERE p.id = c.id
       AND (p.allowance_rate_id IS DISTINCT FROM c.rate_id
            OR p.allowance_amount IS DISTINCT FROM c.amount
            OR p.allowance_missing_rate IS DISTINCT FROM (c.rate_id IS NULL))
 RETURNING p.id, COALESCE(c.old_amount, 0) != c.amount AS amount_changed
)
SELECT ARRAY(SELECT id FROM written),
       ARRAY(SELECT id FROM written WHERE amount_changed),
       COUNT(*),
       COALESCE(SUM(amount), 0)
  FROM computed
"""
# What a recompute did: the placements computed and the total of their
# amounts, the placements written and those whose amount changed.
AllowanceSummary = namedtuple(
    "AllowanceSummary", ["count", "total", "written_ids", "changed_ids"]
)


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
        if students:
            self._lock_allowance_rows(SQL("id = ANY(%s)", students.ids))

    @api.model
    def _lock_allowance_rows(self, condition):
        """Lock the students' rows matching ``condition``, in one statement."""
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET id = id WHERE id IN ("
                "SELECT id FROM res_partner WHERE %s ORDER BY id "
                "FOR NO KEY UPDATE)",
                condition,
            )
        )

    def _recompute_allowance(self, track=False):
        """Amount of a placement = min(days done × daily rate, yearly cap −
        amounts already set on the student's earlier placements of the same
        school year and MEF); earlier placements first (by start date, then
        id). Every placement of the affected students and years is recomputed,
        so a change on one moves all the later ones.

        Set-wise, in as many queries for one placement as for a network's
        school year: the students' lock, then one statement that computes
        the running sums (``ALLOWANCE_SQL``) and writes what changed.
        ``track`` logs the amounts that change in the placements' chatter, as
        when a placement is saved from its form; a bulk recompute (the
        national table, a class's MEF) is summed up by its caller instead,
        from the ``AllowanceSummary`` returned."""
        if not self:
            return AllowanceSummary(0, 0.0, [], [])
        Placement = self.env["bde.pfmp.placement"]
        Placement.flush_model(ALLOWANCE_INPUT_FIELDS | ALLOWANCE_RESULT_FIELDS)
        self.env["bde.allowance.rate"].flush_model(RATE_INPUT_FIELDS)
        self._lock_allowance_rows(
            SQL(
                "id IN (SELECT student_id FROM bde_pfmp_placement WHERE id = ANY(%s))",
                self.ids,
            )
        )
        if track and not (
            self.env.context.get("tracking_disable")
            or self.env.context.get("mail_notrack")
        ):
            self._allowance_siblings()._track_prepare(["allowance_amount"])
        self.env.cr.execute(SQL(ALLOWANCE_SQL, ids=self.ids, uid=self.env.uid))
        written_ids, changed_ids, count, total = self.env.cr.fetchone()
        # The statement wrote behind the ORM: its cache and what depends on
        # these fields (the related daily rate) follow.
        written_fields = [*ALLOWANCE_RESULT_FIELDS, "write_uid", "write_date"]
        Placement.invalidate_model(written_fields)
        Placement.browse(written_ids).modified(written_fields)
        return AllowanceSummary(count, float(total), written_ids, changed_ids)

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
