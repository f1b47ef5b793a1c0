from odoo import models


class BdeYearlyReportWizard(models.TransientModel):
    """The yearly report's sections on the lycée's place among others:
    expectation 6 (the territory, networks and framework agreements), the
    Lycée des métiers label's checks of fiche 6, and the apprenticeship tax
    of the year's campaign."""

    _inherit = "bde.yearly.report.wizard"

    def _get_yearly_figures(self):
        figures = super()._get_yearly_figures()
        figures.update(
            territory=self._get_territory_section(),
            label=self._get_label_section(),
            tax=self._get_tax_section(),
        )
        return figures

    # Expectation 6: actions within the territory and the lycées' networks

    def _get_territory_section(self):
        lycee = self.company_id.sudo()
        types = dict(
            self.env["bde.network"]
            ._fields["network_type"]
            ._description_selection(self.env)
        )
        conventions = self._sudo("bde.partnership.convention").search(
            self._get_convention_in_force_domain()
        )
        agreements = conventions.framework_agreement_id
        return self._section(
            6,
            self.env._(
                "6. School-company actions within the territory and the "
                "lycées' networks"
            ),
            figures=[
                (self.env._("Networks of the lycée"), len(lycee.bde_network_ids)),
                (
                    self.env._("Framework agreements the conventions rest on"),
                    len(agreements),
                ),
            ],
            lists=[
                {
                    "title": self.env._("Networks"),
                    "items": [
                        f"{network.name} ({types[network.network_type]})"
                        for network in lycee.bde_network_ids
                    ],
                },
                {
                    "title": self.env._("Framework agreements"),
                    "items": agreements.mapped("name"),
                },
            ],
        )

    # Lycée des métiers label, criteria 4 and 8 (fiche 6)

    def _get_label_section(self):
        partners = self._get_active_relations().partner_id
        conventions = self._sudo("bde.partnership.convention").search(
            self._get_convention_in_force_domain()
        )
        # On the report's day, from the same partners and conventions as its
        # other figures (the partners' list filter reads today's statuses).
        without = (partners - conventions.partner_id).sorted("name")
        foreign = partners.filtered_domain(partners._bde_foreign_domain()).sorted(
            "name"
        )
        framework = conventions.filtered("framework_agreement_id")
        return self._section(
            9,
            self.env._("Lycée des métiers label — criteria 4 and 8"),
            figures=[
                (
                    self.env._("Conventions in force"),
                    self._get_lycee_report_row().convention_active_count,
                ),
                (self.env._("Active partners without a convention"), len(without)),
                (self.env._("Foreign partners"), len(foreign)),
                (
                    self.env._("Conventions under a framework agreement"),
                    len(framework),
                ),
            ],
            lists=[
                {
                    "title": self.env._("Active partners without a convention"),
                    "items": without.mapped("name"),
                },
                {
                    "title": self.env._(
                        "Foreign partners, to see with the académie's DAREIC"
                    ),
                    "items": [f"{p.name} ({p.country_id.name})" for p in foreign],
                },
            ],
        )

    # The apprenticeship tax of the year's campaign

    def _get_tax_campaign_year(self):
        # Companies allocate the balance on SOLTéA from late May: the
        # campaign of year Y is run in the school year ending in Y.
        return int(self.school_year[5:])

    def _get_tax_section(self):
        year = self._get_tax_campaign_year()
        pledges = self._sudo("bde.tax.pledge").search(
            [("company_id", "=", self.company_id.id), ("year", "=", year)]
        )
        report = self._get_lycee_report_row()
        return self._section(
            10,
            self.env._("Apprenticeship tax, campaign %(year)s", year=year),
            figures=[
                (self.env._("Companies asked"), len(pledges)),
                (
                    self.env._("Companies that allocated"),
                    len(pledges.filtered("amount_received")),
                ),
                (self.env._("Tax promised (€)"), report.tax_amount_promised),
                (self.env._("Tax received (€)"), report.tax_amount_received),
            ],
        )
