from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..inserjeunes import POINTS

# The dataset's diploma types as the suite's formation levels.
DIPLOMA_TYPE_LEVELS = {
    "CAP": "cap",
    "BAC PRO": "bac_pro",
    "BP": "bp",
    "BMA": "bma",
    "MC3": "mc",
    "MC4": "mc",
    "MC5": "mc",
    "CS": "cs",
    "BTS": "bts",
}
OFFICIAL_HELP = (
    "InserJeunes (DEPP/DARES), Licence Ouverte. Two cumulated exit years. "
    "Employment: salaried employment in France (public employment included "
    "since 2022-2023; self-employment, household employers and work abroad "
    "not counted) over the leavers. Not published under 20 people."
)


class BdeAlumniOfficialIndicator(models.Model):
    """InserJeunes' official figures of a lycée: one row per formation,
    millésime and point (6, 12, 18, 24 months after exit), as imported from
    the open dataset (see bde_alumni/inserjeunes.py)."""

    _name = "bde.alumni.official.indicator"
    _description = "Official insertion indicator (InserJeunes)"
    _order = "millesime desc, formation_label, months_after_exit, company_id"
    _rec_name = "formation_label"

    company_id = fields.Many2one(
        "res.company", string="Lycée", required=True, index=True, readonly=True
    )
    formation_id = fields.Many2one(
        "bde.formation",
        string="Formation",
        index="btree_not_null",
        ondelete="set null",
        help="The lycée's formation of this diploma; empty when none matches.",
    )
    formation_code = fields.Char(
        string="MEF_STAT_11",
        required=True,
        readonly=True,
        help="The formation's code in the dataset (code formation MEFSTAT11).",
    )
    formation_label = fields.Char(string="Official label", readonly=True)
    diploma_type = fields.Char(readonly=True)
    millesime = fields.Char(
        string="Millésime",
        required=True,
        index=True,
        readonly=True,
        help="The two cumulated exit years, e.g. 2022-2023.",
    )
    exit_year_first = fields.Integer(readonly=True, aggregator=None)
    exit_year_last = fields.Integer(readonly=True, aggregator=None)
    months_after_exit = fields.Integer(
        string="Months after exit", required=True, readonly=True, aggregator=None
    )
    rate_employed = fields.Float(
        string="Salaried employment rate",
        readonly=True,
        aggregator=None,
        help="Leavers in salaried employment in France at the point, over the "
        "leavers. " + OFFICIAL_HELP,
    )
    rate_studies = fields.Float(
        string="Further studies rate",
        readonly=True,
        aggregator=None,
        help="Final-year students still in education (or apprentices) the "
        "next school year, over the final-year students. The same at every "
        "point. " + OFFICIAL_HELP,
    )
    share_studies = fields.Float(
        string="Outcome: further studies",
        readonly=True,
        aggregator=None,
        help="Six months after exit: the share of the final-year students in "
        "further studies.",
    )
    share_employed = fields.Float(
        string="Outcome: employment",
        readonly=True,
        aggregator=None,
        help="Six months after exit: the share of the final-year students in "
        "salaried employment.",
    )
    share_other = fields.Float(
        string="Outcome: other",
        readonly=True,
        aggregator=None,
        help="Six months after exit: the share in another situation (job "
        "seeking, inactive, self-employed, abroad...).",
    )
    rate_favourable = fields.Float(
        string="Favourable outcome rate",
        readonly=True,
        aggregator=None,
        help="Further studies plus employment six months after exit, over the "
        "final-year students (taux de devenir favorable).",
    )
    # Odoo stores an empty rate as 0: these tell a rate of 0 % from one the
    # dataset does not publish (fewer than 20 people).
    is_employed_published = fields.Boolean(
        string="Employment rate published", readonly=True
    )
    is_studies_published = fields.Boolean(
        string="Further studies rate published", readonly=True
    )
    is_outcome_published = fields.Boolean(string="Outcome published", readonly=True)
    source = fields.Selection(
        [("service", "InserJeunes open data"), ("file", "Downloaded file")],
        required=True,
        readonly=True,
    )
    source_name = fields.Char(
        string="Source detail", readonly=True, help="The URL or the file's name."
    )
    import_date = fields.Datetime(string="Imported on", readonly=True)

    _sql_constraints = [
        (
            "figure_uniq",
            "unique (company_id, millesime, formation_code, months_after_exit)",
            "The lycée already has this official figure.",
        ),
    ]

    @api.model
    def _import_inserjeunes(self, company, rows, source, source_name):
        """Replace the lycée's official figures of the millésimes in ``rows``
        (normalized records) by theirs, checking everything first: a row of
        another UAI refuses the whole import. Returns a summary."""
        company.ensure_one()
        uai = company.bde_uai
        if not uai:
            raise UserError(
                _("Set the UAI of %(lycee)s first.", lycee=company.display_name)
            )
        others = sorted({row["uai"] for row in rows} - {uai})
        if others:
            raise UserError(
                _(
                    "These InserJeunes figures are for the UAI %(others)s, not for "
                    "%(lycee)s (%(uai)s). Nothing was imported.",
                    others=", ".join(others),
                    lycee=company.display_name,
                    uai=uai,
                )
            )
        if not rows:
            raise UserError(
                _("InserJeunes publishes no figure for the UAI %(uai)s.", uai=uai)
            )
        # a record given twice (two pages of a moving dataset) counts once
        rows = list({(r["millesime"], r["formation_code"]): r for r in rows}.values())
        formations = self._match_formations(company, rows)
        now = fields.Datetime.now()
        values = []
        for row in rows:
            formation = formations.get(row["formation_code"])
            values += [
                dict(
                    self._point_values(row, months),
                    company_id=company.id,
                    formation_id=formation.id if formation else False,
                    source=source,
                    source_name=source_name,
                    import_date=now,
                )
                for months in POINTS
                # 6 months always (even unpublished), later points once published
                if months == 6 or row["rates_employed"][months] is not None
            ]
        millesimes = {row["millesime"] for row in rows}
        self.search(
            [("company_id", "=", company.id), ("millesime", "in", list(millesimes))]
        ).unlink()
        self.create(values)
        labels = {row["formation_code"]: row["formation_label"] for row in rows}
        return {
            "rows": len(values),
            "millesimes": sorted(millesimes),
            "matched": sorted(
                f"{labels[code]} ({code}): {formation.display_name}"
                for code, formation in formations.items()
                if formation
            ),
            "unmatched": sorted(
                f"{labels[code]} ({code})"
                for code, formation in formations.items()
                if not formation
            ),
        }

    @api.model
    def _point_values(self, row, months):
        shares = (row["share_studies"], row["share_employed"])
        return {
            "formation_code": row["formation_code"],
            "formation_label": row["formation_label"],
            "diploma_type": row["diploma_type"],
            "millesime": row["millesime"],
            "exit_year_first": row["exit_year_first"],
            "exit_year_last": row["exit_year_last"],
            "months_after_exit": months,
            "rate_employed": row["rates_employed"][months],
            "rate_studies": row["rate_studies"],
            "share_studies": row["share_studies"],
            "share_employed": row["share_employed"],
            "share_other": row["share_other"],
            "rate_favourable": None if None in shares else sum(shares),
            "is_employed_published": row["rates_employed"][months] is not None,
            "is_studies_published": row["rate_studies"] is not None,
            "is_outcome_published": None not in shares,
        }

    @api.model
    def _match_formations(self, company, rows):
        """The lycée's formation of each row's MEF_STAT_11 code: the one of
        its diploma code in the national MEF nomenclature (bde.mef), else,
        for a code the nomenclature lacks (BTS), the one of the same level
        whose diploma code ends with the code's last five characters, as the
        national table writes them (MEF_STAT_4, two characters, then the
        diploma's five: 23830031213 for 40031213). The lycée's own formation
        first, then a shared one it has classes of, then any shared one."""
        codes = [row["formation_code"] for row in rows]
        diplomas = {
            mef.mef_stat_11: mef.diploma_code
            for mef in self.env["bde.mef"].search([("mef_stat_11", "in", codes)])
        }
        candidates = self.env["bde.formation"].search(
            [
                ("company_id", "in", [company.id, False]),
                ("diploma_code", "!=", False),
            ]
        )
        classes = self.env["bde.class"].with_context(active_test=False)
        taught = classes.search(
            [("company_id", "=", company.id), ("formation_id", "in", candidates.ids)]
        ).formation_id
        by_diploma, by_suffix = {}, {}
        for formation in candidates.sorted(
            lambda f: (not f.company_id, f not in taught, f.id)
        ):
            code = formation.diploma_code.strip()
            by_diploma.setdefault(code, formation)
            by_suffix.setdefault((formation.level, code[-5:]), formation)
        return {
            row["formation_code"]: by_diploma.get(diplomas.get(row["formation_code"]))
            or by_suffix.get(
                (
                    DIPLOMA_TYPE_LEVELS.get(row["diploma_type"].upper()),
                    row["formation_code"][-5:],
                )
            )
            for row in rows
        }
