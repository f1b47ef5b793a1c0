from odoo import models


class BdeNetworkExport(models.TransientModel):
    """The network's spreadsheet with each formation's insertion: the
    cohort that left the school year before and its employment rates at 6
    and 12 months, as the insertion indicators publish them (empty for a
    cohort under 20 or a point not reached)."""

    _inherit = "bde.network.export"

    def _formation_columns(self, classes):
        exit_year = int(self.school_year[:4])
        keys = {(cls.company_id.id, cls.formation_id.id) for cls in classes}
        cohort = dict.fromkeys(keys, 0)
        # As superuser: the correspondent reads no alumni, only what the
        # sheet counts of them and the published rates.
        for lycee, formation, count in (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("bde_is_alumni", "=", True),
                    ("company_id", "in", classes.company_id.ids),
                    ("bde_exit_year", "=", exit_year),
                    ("bde_exit_formation_id", "!=", False),
                ],
                ["company_id", "bde_exit_formation_id"],
                ["__count"],
            )
        ):
            if (lycee.id, formation.id) in keys:
                cohort[lycee.id, formation.id] = count
        rates = {6: dict.fromkeys(keys, ""), 12: dict.fromkeys(keys, "")}
        indicators = (
            self.env["bde.alumni.indicator"]
            .sudo()
            .search(
                [
                    ("company_id", "in", classes.company_id.ids),
                    ("exit_year", "=", exit_year),
                    ("months_after_exit", "in", (6, 12)),
                ]
            )
        )
        for indicator in indicators:
            key = (indicator.company_id.id, indicator.exit_formation_id.id)
            if key in keys and not indicator.is_small_cohort:
                rates[indicator.months_after_exit][key] = round(
                    100 * indicator.published_rate_employed, 1
                )
        return super()._formation_columns(classes) + [
            (self.env._("Alumni of last year"), cohort),
            (self.env._("Employment at 6 months (%)"), rates[6]),
            (self.env._("Employment at 12 months (%)"), rates[12]),
        ]
