"""The case the yearly report's tests count by hand: two lycées, two
school years. What lycée 1 did in 2025-2026 is counted; what it did in
2024-2025 and whatever lycée 2 did never are."""

from datetime import date, datetime

from lxml import html as lxml_html

from .common import BdeLyceeCase

YEAR = "2025-2026"
LAST_YEAR = "2024-2025"
REPORT = "bde_lycee.action_report_bde_yearly"


def report_figures(html):
    """``{section: {label: text}}`` of the figures and facts the report
    prints, and the headings of its sections."""
    tree = lxml_html.fromstring(html)
    figures = {}
    for section in tree.xpath("//div[@data-section]"):
        rows = section.xpath(".//table[contains(@class, 'o_bde_figures')]//tr")
        figures[section.get("data-section")] = {
            row[0].text_content().strip(): row[1].text_content().strip() for row in rows
        }
    headings = [h.text_content().strip() for h in tree.xpath("//h4")]
    return figures, headings


class YearlyReportCase(BdeLyceeCase):
    """Lycée 1's organisation, partners, conventions, skill needs, events and
    tax of both years, and lycée 2's; one wizard per test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.last_class = cls.env["bde.class"].create(
            {
                "name": "1 MCV test",
                "formation_id": cls.formation.id,
                "school_year": LAST_YEAR,
                "company_id": cls.lycee.id,
            }
        )
        cls.other_formation = cls.env["bde.formation"].create(
            {"name": "CAP other test", "level": "cap", "company_id": cls.other_lycee.id}
        )
        cls.other_class = cls.env["bde.class"].create(
            {
                "name": "T CAP test",
                "formation_id": cls.other_formation.id,
                "school_year": YEAR,
                "company_id": cls.other_lycee.id,
            }
        )
        cls.lycee.write(
            {
                "bde_manager_id": cls.user_officer.id,
                "bde_manager_time": 17.5,
                "bde_manager_status": "pacte",
                "bde_pacte_mission_count": 3,
                "bde_pooled_with": "CFA académique test",
                "bde_location": "Bâtiment A test",
                "bde_opening_hours": "Lundi 8h-12h test",
                "bde_head_of_school": "Mme Proviseure Test",
            }
        )
        cls.env["bde.network"].create(
            [
                {
                    "name": "Bassin test Lyon",
                    "network_type": "bassin",
                    "company_ids": [(6, 0, cls.lycee.ids)],
                },
                {
                    "name": "CMQ test other",
                    "network_type": "cmq",
                    "company_ids": [(6, 0, cls.other_lycee.ids)],
                },
            ]
        )
        cls._make_partners()
        cls._make_conventions()
        cls._make_skill_needs()
        cls._make_events()
        cls._make_tax()

    @classmethod
    def _make_partners(cls):
        Partner = cls.env["res.partner"]
        building = cls.env["bde.sector"].create({"name": "Bâtiment test"})

        def company(name, **values):
            return Partner.create({"name": name, "is_company": True, **values})

        cls.p_alpha = company(
            "Alpha Test", bde_sector_ids=[(6, 0, [cls.sector.id, building.id])]
        )
        cls.p_beta = company(
            "Beta Test",
            bde_partner_type="chamber",
            bde_sector_ids=[(6, 0, cls.sector.ids)],
        )
        cls.p_gamma = company(
            "Gamma Test",
            bde_partner_type="opco",
            country_id=cls.env.ref("base.be").id,
        )
        cls.p_delta = company("Delta Test")
        cls.p_epsilon = company("Epsilon Test")
        cls.p_zeta = company("Zeta Test")
        cls.p_eta = company("Eta Test", country_id=cls.env.ref("base.de").id)
        Relation = cls.env["bde.partner.relation"]
        for partner, lycee, status, since, status_date in (
            (cls.p_alpha, cls.lycee, "active", date(2025, 10, 1), date(2025, 10, 1)),
            (cls.p_beta, cls.lycee, "active", date(2024, 5, 1), date(2024, 5, 1)),
            (cls.p_gamma, cls.lycee, "active", date(2026, 3, 1), date(2026, 3, 1)),
            # Former since before the year ended: no longer active then.
            (cls.p_delta, cls.lycee, "former", date(2023, 1, 1), date(2025, 6, 1)),
            (cls.p_epsilon, cls.lycee, "active", date(2022, 9, 1), date(2022, 9, 1)),
            (cls.p_zeta, cls.lycee, "prospect", False, date(2025, 11, 1)),
            (
                cls.p_eta,
                cls.other_lycee,
                "active",
                date(2025, 10, 1),
                date(2025, 10, 1),
            ),
        ):
            Relation.create(
                {
                    "partner_id": partner.id,
                    "company_id": lycee.id,
                    "status": status,
                    "date_partner_since": since,
                    "date_status": status_date,
                }
            )

    @classmethod
    def _convention(cls, partner, start, end, signed, state, lycee=None, **values):
        return cls.env["bde.partnership.convention"].create(
            {
                "partner_id": partner.id,
                "company_id": (lycee or cls.lycee).id,
                "date_start": start,
                "date_end": end,
                "date_signed_lycee": signed,
                "date_signed_partner": signed,
                "state": state,
                **values,
            }
        )

    @classmethod
    def _make_conventions(cls):
        cls.agreement = cls.env["bde.framework.agreement"].create(
            {"name": "Accord-cadre test national", "scope": "national"}
        )
        # Signed and in force in the year, under a framework agreement.
        cls._convention(
            cls.p_alpha,
            date(2025, 9, 15),
            date(2028, 9, 14),
            date(2025, 9, 12),
            "active",
            framework_agreement_id=cls.agreement.id,
        )
        # Terminated last year: neither signed nor ended in the year.
        cls._convention(
            cls.p_alpha,
            date(2024, 1, 1),
            date(2026, 12, 31),
            date(2023, 12, 15),
            "terminated",
            date_terminated=date(2025, 6, 30),
        )
        # Ended in the year.
        cls._convention(
            cls.p_delta,
            date(2022, 9, 1),
            date(2026, 1, 31),
            date(2022, 8, 20),
            "expired",
        )
        # Renewed: the renewal signed in the year is in force.
        old = cls._convention(
            cls.p_epsilon,
            date(2022, 9, 1),
            date(2025, 8, 31),
            date(2022, 8, 20),
            "renewed",
        )
        cls._convention(
            cls.p_epsilon,
            date(2025, 9, 1),
            date(2028, 8, 31),
            date(2025, 9, 3),
            "active",
            renewed_from_id=old.id,
        )
        # Lycée 2's.
        cls._convention(
            cls.p_eta,
            date(2025, 10, 1),
            date(2028, 9, 30),
            date(2025, 9, 20),
            "active",
            lycee=cls.other_lycee,
            framework_agreement_id=cls.agreement.id,
        )

    @classmethod
    def _make_skill_needs(cls):
        def need(lycee, day, headcount, formation=None):
            return {
                "partner_id": cls.p_alpha.id,
                "company_id": lycee.id,
                "job_title": "Vendeur test",
                "date": day,
                "headcount": headcount,
                "formation_id": formation.id if formation else False,
            }

        cls.env["bde.skill.need"].create(
            [
                need(cls.lycee, date(2025, 12, 1), 3, cls.formation),
                need(cls.lycee, date(2026, 5, 1), 2),
                need(cls.lycee, date(2025, 6, 1), 5, cls.formation),
                need(cls.other_lycee, date(2025, 12, 1), 7),
            ]
        )

    @classmethod
    def _event(cls, xmlid, day, lycee=None, attended=0, others=0):
        event = cls.env["event.event"].create(
            {
                "name": f"Test event {xmlid} {day}",
                "event_type_id": cls.env.ref(f"bde_lycee.{xmlid}").id,
                "date_begin": datetime.combine(day, datetime.min.time()).replace(
                    hour=8
                ),
                "date_end": datetime.combine(day, datetime.min.time()).replace(hour=16),
                "company_id": (lycee or cls.lycee).id,
            }
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {n}", "state": state}
                for n, state in enumerate(["done"] * attended + ["open"] * others)
            ]
        )
        return event

    @classmethod
    def _make_events(cls):
        forum = cls._event(
            "event_type_job_forum", date(2025, 11, 20), attended=3, others=1
        )
        talk = cls._event(
            "event_type_class_intervention", date(2026, 3, 10), attended=2
        )
        last = cls._event("event_type_job_forum", date(2025, 5, 15), attended=4)
        other = cls._event(
            "event_type_job_forum",
            date(2025, 11, 20),
            lycee=cls.other_lycee,
            attended=6,
        )
        cls.env["bde.event.participation"].create(
            [
                {
                    "event_id": event.id,
                    "partner_id": partner.id,
                    "role": role,
                    "state": state,
                }
                for event, partner, role, state in (
                    (forum, cls.p_alpha, "stand", "attended"),
                    (forum, cls.p_beta, "speaker", "attended"),
                    (forum, cls.p_gamma, "stand", "confirmed"),
                    (talk, cls.p_epsilon, "speaker", "attended"),
                    (last, cls.p_alpha, "speaker", "attended"),
                    (other, cls.p_eta, "speaker", "attended"),
                )
            ]
        )

    @classmethod
    def _make_tax(cls):
        Campaign = cls.env["bde.tax.campaign"]
        for lycee, year, amounts in (
            (cls.lycee, 2026, [(1000, 800), (500, 0)]),
            (cls.lycee, 2025, [(300, 300)]),
            (cls.other_lycee, 2026, [(9999, 9999)]),
        ):
            campaign = Campaign.create({"company_id": lycee.id, "year": year})
            cls.env["bde.tax.pledge"].create(
                [
                    {
                        "campaign_id": campaign.id,
                        "partner_id": partner.id,
                        "amount_promised": promised,
                        "amount_received": received,
                    }
                    for partner, (promised, received) in zip(
                        (cls.p_alpha, cls.p_beta), amounts, strict=False
                    )
                ]
            )

    # ------------------------------------------------------------

    @classmethod
    def _wizard(cls, user=None, lycee=None, school_year=YEAR):
        env = cls.env(user=user) if user else cls.env
        return env["bde.yearly.report.wizard"].create(
            {"company_id": (lycee or cls.lycee).id, "school_year": school_year}
        )

    def _figures(self, section, wizard=None):
        section = (wizard or self._wizard())._get_yearly_figures()[section]
        return dict(section["facts"] + section["figures"]), section

    def assertTotals(self, table):
        """Every total of a table is the sum of its rows."""
        for index in range(1, len(table["columns"])):
            self.assertEqual(
                table["total"][index], sum(row[index] for row in table["rows"])
            )
