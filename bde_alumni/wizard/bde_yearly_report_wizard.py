from odoo import models

# The follow-up points the yearly report publishes, in months after exit.
REPORT_POINTS = (6, 12)


class BdeYearlyReportWizard(models.TransientModel):
    """Expectations 7 and 8 of the circular's annex: the sense of belonging
    and the alumni network, and the follow-up of the alumni's insertion.

    Insertion rates are those of the lycée's row of bde.lycee.report (the
    cohort that left the school year before, followed at 6 and 12 months
    within this one) and of the insertion indicators by formation, published
    only for 20 alumni or more: a smaller cohort's rate points at people."""

    _inherit = "bde.yearly.report.wizard"

    def _get_yearly_figures(self):
        figures = super()._get_yearly_figures()
        figures["belonging"] = self._get_belonging_section()
        figures["insertion"] = self._get_insertion_section()
        return figures

    def _get_alumni_domain(self):
        return [("bde_is_alumni", "=", True), ("company_id", "=", self.company_id.id)]

    def _get_ceremonies(self):
        ceremony = self.env.ref("bde_lycee.event_type_diploma_ceremony")
        return self._get_events_held().filtered(
            lambda event: event.event_type_id == ceremony
        )

    # Expectation 7: belonging to the lycée and the alumni network

    def _get_belonging_section(self):
        Partner = self.env["res.partner"].sudo()
        alumni = self._get_alumni_domain()
        ceremonies = self._get_ceremonies()
        return self._section(
            7,
            self.env._(
                "7. A sense of belonging to the lycée and a network of alumni: "
                "today's pupils are tomorrow's tutors"
            ),
            figures=[
                (self.env._("Alumni of the lycée"), Partner.search_count(alumni)),
                (
                    self.env._("Alumni in the alumni network"),
                    Partner.search_count(
                        alumni + [("bde_alumni_network_consent", "=", True)]
                    ),
                ),
                (
                    self.env._("Alumni who tutor PFMP students"),
                    Partner.search_count(
                        alumni + [("bde_alumni_is_pfmp_tutor", "=", True)]
                    ),
                ),
                (
                    self.env._("Alumni working in a partner company"),
                    Partner.search_count(
                        alumni + [("bde_alumni_in_partner_company", "=", True)]
                    ),
                ),
                (self.env._("Diploma ceremonies held"), len(ceremonies)),
                (
                    self.env._("Attendance at the ceremonies"),
                    self._sudo("event.registration").search_count(
                        [("event_id", "in", ceremonies.ids), ("state", "=", "done")]
                    ),
                ),
            ],
        )

    # Expectation 8: following every alumni's career and insertion

    def _get_exit_year(self):
        """The cohort followed in the school year: it left the year before
        (exit year E is the end of school year "E-1 - E")."""
        return int(self.school_year[:4])

    def _get_insertion_section(self):
        campaigns = self._sudo("bde.alumni.survey.campaign").search(
            [
                ("company_id", "=", self.company_id.id),
                ("exit_year", "=", self._get_exit_year()),
            ]
        )
        sent = sum(campaigns.mapped("sent_count"))
        answered = sum(campaigns.mapped("answered_count"))
        row = self._get_lycee_report_row()
        figures = [
            (self.env._("Alumni of last year"), row.alumni_cohort_size),
            (self.env._("Follow-up surveys sent"), sent),
            (self.env._("Answers"), answered),
            (
                self.env._("Response rate (%)"),
                round(100.0 * answered / sent, 1) if sent else 0.0,
            ),
        ]
        facts = []
        for months in REPORT_POINTS:
            if row[f"alumni_published_{months}"]:
                figures += [
                    (
                        self.env._(
                            "Further studies at %(months)s months (%%)", months=months
                        ),
                        row[f"alumni_rate_studies_{months}"],
                    ),
                    (
                        self.env._(
                            "Employment at %(months)s months (%%)", months=months
                        ),
                        row[f"alumni_rate_employed_{months}"],
                    ),
                ]
            else:
                facts.append(
                    (
                        self.env._("Rates at %(months)s months", months=months),
                        self.env._("Not published: fewer than 20 alumni counted."),
                    )
                )
        return self._section(
            8,
            self.env._(
                "8. Following the careers and the insertion of everyone trained "
                "in the lycée"
            ),
            facts=facts,
            figures=figures,
            tables=[self._get_insertion_table()],
        )

    def _get_insertion_table(self):
        """Published rates of the cohort by formation and point, in percent
        as the lycée's row gives them (the indicators keep fractions)."""
        indicators = self._sudo("bde.alumni.indicator").search(
            [
                ("company_id", "=", self.company_id.id),
                ("exit_year", "=", self._get_exit_year()),
                ("months_after_exit", "in", REPORT_POINTS),
                ("is_small_cohort", "=", False),
            ]
        )
        return self._figure_table(
            self.env._("Insertion by formation (cohorts of 20 or more)"),
            [
                self.env._("Formation"),
                self.env._("Months after exit"),
                self.env._("Cohort"),
                self.env._("Further studies (%)"),
                self.env._("Employment (%)"),
            ],
            [
                [
                    indicator.exit_formation_id.name,
                    indicator.months_after_exit,
                    indicator.cohort_size,
                    round(100 * indicator.published_rate_studies, 1),
                    round(100 * indicator.published_rate_employed, 1),
                ]
                for indicator in indicators
            ],
            with_total=False,
        )
