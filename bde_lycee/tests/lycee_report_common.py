from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import new_test_user

from ..school_year import lycee_today, school_year_bounds, school_year_of
from .common import BdeLyceeCase


def at(day, hour=9):
    return datetime.combine(day, time(hour))


class LyceeReportCase(BdeLyceeCase):
    """Two lycées, the current school year and the one before, with records
    of every figure placed on either side of the years' bounds; each figure
    is compared with a count made by hand. The SQL view reads the
    database's clock (the lycées' today): the years are computed from today,
    never written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = lycee_today()
        cls.year = school_year_of(cls.today)
        cls.start, _end = school_year_bounds(cls.year)
        cls.prev_start, cls.prev_end = school_year_bounds(
            school_year_of(cls.start - timedelta(days=1))
        )
        cls.prev_year = school_year_of(cls.prev_start)
        cls.l1, cls.l2 = cls.lycee, cls.other_lycee
        # The common class is last year's, whatever today's date.
        cls.school_class.school_year = cls.prev_year
        cls._make_school()
        cls._make_partners()
        cls._make_conventions()
        cls._make_leads()
        cls._make_events()
        cls._make_skill_needs_and_tax()
        cls.network = cls.env["bde.network"].create(
            {
                "name": "Bassin test",
                "network_type": "bassin",
                "company_ids": [(6, 0, [cls.l1.id, cls.l2.id])],
            }
        )
        cls.network_l1 = cls.env["bde.network"].create(
            {
                "name": "Campus test",
                "network_type": "cmq",
                "company_ids": [(6, 0, [cls.l1.id])],
            }
        )
        cls.user_network = new_test_user(
            cls.env,
            login="bde_correspondent_test",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.l1.id,
            company_ids=[cls.l1.id, cls.l2.id],
        )

    @classmethod
    def _make_school(cls):
        Class = cls.env["bde.class"]
        cls.class_prev = Class.create(
            [
                {
                    "name": f"K prev {lycee.id}",
                    "formation_id": cls.formation.id,
                    "school_year": cls.prev_year,
                    "company_id": lycee.id,
                }
                for lycee in (cls.l1, cls.l2)
            ]
        )
        k2, k3, k4 = Class.create(
            [
                {
                    "name": "K2",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "mef_code": "2473121333",
                    "company_id": cls.l1.id,
                },
                {
                    "name": "K3",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "mef_code": "2473121332",
                    "company_id": cls.l1.id,
                },
                {
                    "name": "K4",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "company_id": cls.l2.id,
                },
            ]
        )
        cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève {index}",
                    "bde_is_student": True,
                    "bde_class_id": school_class.id,
                    "company_id": school_class.company_id.id,
                }
                for index, school_class in enumerate((k2, k2, k3, k4))
            ]
        )

    @classmethod
    def _make_partners(cls):
        Partner = cls.env["res.partner"]
        a, b, c, d, e = Partner.create(
            [{"name": f"Entreprise {x}", "is_company": True} for x in "ABCDE"]
        )
        cls.partner_a, cls.partner_b = a, b
        ps = cls.prev_start
        cls.env["bde.partner.relation"].create(
            [
                # L1: A active since last year; B active last year, former
                # since this one; C prospect since today, E since last year;
                # D active since today.
                cls._relation(
                    cls.l1, a, "active", ps + timedelta(10), ps + timedelta(10)
                ),
                cls._relation(cls.l1, b, "former", cls.start, ps + timedelta(10)),
                cls._relation(cls.l1, c, "prospect", cls.today, False),
                cls._relation(cls.l1, d, "active", cls.today, cls.today),
                cls._relation(cls.l1, e, "prospect", ps + timedelta(20), False),
                # L2: A active since last year.
                cls._relation(cls.l2, a, "active", ps, ps),
            ]
        )

    @classmethod
    def _relation(cls, lycee, partner, status, date_status, date_since):
        return {
            "company_id": lycee.id,
            "partner_id": partner.id,
            "status": status,
            "date_status": date_status,
            "date_partner_since": date_since,
        }

    @classmethod
    def _make_conventions(cls):
        Convention = cls.env["bde.partnership.convention"]
        ps, pe, s = cls.prev_start, cls.prev_end, cls.start

        def values(lycee, state, start, end, **more):
            return dict(
                company_id=lycee.id,
                partner_id=cls.partner_a.id,
                state=state,
                date_start=start,
                date_end=end,
                **more,
            )

        c1 = Convention.create(
            values(
                cls.l1,
                "renewed",
                ps - relativedelta(years=1),
                pe,
                date_signed_lycee=ps + timedelta(1),
                date_signed_partner=ps + timedelta(3),
            )
        )
        Convention.create(
            [
                values(
                    cls.l1,
                    "terminated",
                    ps + timedelta(30),
                    s + relativedelta(years=2),
                    date_terminated=s,
                    date_signed_lycee=ps + timedelta(20),
                    date_signed_partner=ps + timedelta(25),
                ),
                values(
                    cls.l1,
                    "active",
                    s,
                    s + relativedelta(years=2),
                    renewed_from_id=c1.id,
                    date_signed_lycee=s - timedelta(20),
                    date_signed_partner=s,
                ),
                values(
                    cls.l1,
                    "expired",
                    ps - relativedelta(years=1),
                    ps + timedelta(100),
                ),
                values(cls.l1, "draft", s, s + relativedelta(years=1)),
                values(
                    cls.l2,
                    "active",
                    s,
                    s + relativedelta(years=1),
                    date_signed_lycee=s,
                    date_signed_partner=s,
                ),
            ]
        )

    @classmethod
    def _make_leads(cls):
        team = cls.env.ref("bde_lycee.crm_team_bde")
        Lead = cls.env["crm.lead"]
        leads = Lead.create(
            [
                {"name": "L1 now 1", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 now 2", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 lost", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 last year", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L2 now", "team_id": team.id, "company_id": cls.l2.id},
                {"name": "L1 other team", "team_id": False, "company_id": cls.l1.id},
            ]
        )
        leads[2].action_archive()
        # The creation date is the ORM's; last year's lead is dated by hand.
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            [at(cls.prev_start + timedelta(40)), leads[3].id],
        )
        leads.invalidate_recordset(["create_date"])

    @classmethod
    def _make_events(cls):
        Event = cls.env["event.event"]
        held_prev, held_now, coming, held_l2 = Event.create(
            [
                cls._event(cls.l1, at(cls.prev_start + timedelta(50))),
                cls._event(cls.l1, at(cls.start, 6)),
                cls._event(cls.l1, at(cls.today + timedelta(10))),
                cls._event(cls.l2, at(cls.start, 6)),
            ]
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {index}", "state": state}
                for index, (event, state) in enumerate(
                    [
                        (held_prev, "done"),
                        (held_prev, "done"),
                        (held_prev, "done"),
                        (held_prev, "open"),
                        (held_now, "done"),
                        (held_now, "done"),
                        (coming, "open"),
                        (held_l2, "done"),
                    ]
                )
            ]
        )
        Participation = cls.env["bde.event.participation"]
        Participation.create(
            [
                {
                    "event_id": held_prev.id,
                    "partner_id": cls.partner_a.id,
                    "role": "stand",
                    "state": "attended",
                },
                {
                    "event_id": held_prev.id,
                    "partner_id": cls.partner_a.id,
                    "role": "jury",
                    "state": "invited",
                },
            ]
        )

    @classmethod
    def _event(cls, lycee, begin):
        return {
            "name": f"Forum {begin}",
            "company_id": lycee.id,
            "event_type_id": cls.env.ref("bde_lycee.event_type_job_forum").id,
            "date_begin": begin,
            "date_end": begin + timedelta(hours=2),
        }

    @classmethod
    def _make_skill_needs_and_tax(cls):
        def need(lycee, headcount, day, **more):
            return dict(
                company_id=lycee.id,
                partner_id=cls.partner_a.id,
                job_title="Vendeur",
                headcount=headcount,
                date=day,
                **more,
            )

        cls.env["bde.skill.need"].create(
            [
                need(cls.l1, 3, cls.prev_start + timedelta(5)),
                need(cls.l1, 2, cls.today),
                need(cls.l1, 4, cls.today, state="closed"),
                need(cls.l1, 10, cls.today, active=False),
                need(cls.l2, 1, cls.today),
            ]
        )
        # Campaign year Y is school year "Y-1 - Y".
        Campaign = cls.env["bde.tax.campaign"]
        prev_l1, now_l1, now_l2 = Campaign.create(
            [
                {"name": "TA prev", "year": cls.start.year, "company_id": cls.l1.id},
                {"name": "TA now", "year": cls.start.year + 1, "company_id": cls.l1.id},
                {"name": "TA now", "year": cls.start.year + 1, "company_id": cls.l2.id},
            ]
        )

        def pledge(campaign, promised, received, partner=cls.partner_a):
            return {
                "campaign_id": campaign.id,
                "company_id": campaign.company_id.id,
                "partner_id": partner.id,
                "amount_promised": promised,
                "amount_received": received,
                "state": "received" if received else "promised",
            }

        cls.env["bde.tax.pledge"].create(
            [
                pledge(prev_l1, 1000, 800),
                pledge(prev_l1, 500, 0, cls.partner_b),
                pledge(now_l1, 300, 300),
                pledge(now_l2, 200, 100),
            ]
        )

    # ------------------------------------------------------------

    EXPECTED = {
        # (lycée, year): figures; prev = the school year before the current.
        ("l1", "prev"): {
            "partner_active_count": 2,
            "partner_prospect_count": 1,
            "convention_active_count": 2,
            "convention_signed_count": 2,
            "convention_renewed_count": 0,
            "convention_ended_count": 1,
            "lead_count": 1,
            "event_count": 1,
            "event_attendance": 3,
            "event_partner_count": 1,
            "skill_need_headcount": 3,
            "tax_amount_promised": 1500.0,
            "tax_amount_received": 800.0,
            "class_count": 2,
            "student_count": 1,
        },
        ("l1", "now"): {
            "partner_active_count": 2,
            "partner_prospect_count": 2,
            "convention_active_count": 1,
            "convention_signed_count": 1,
            "convention_renewed_count": 1,
            "convention_ended_count": 1,
            "lead_count": 3,
            "event_count": 1,
            "event_attendance": 2,
            "event_partner_count": 0,
            "skill_need_headcount": 6,
            "tax_amount_promised": 300.0,
            "tax_amount_received": 300.0,
            "class_count": 2,
            "student_count": 3,
        },
        ("l2", "prev"): {
            "partner_active_count": 1,
            "partner_prospect_count": 0,
            "convention_active_count": 0,
            "convention_signed_count": 0,
            "convention_renewed_count": 0,
            "convention_ended_count": 0,
            "lead_count": 0,
            "event_count": 0,
            "event_attendance": 0,
            "event_partner_count": 0,
            "skill_need_headcount": 0,
            "tax_amount_promised": 0.0,
            "tax_amount_received": 0.0,
            "class_count": 1,
            "student_count": 0,
        },
        ("l2", "now"): {
            "partner_active_count": 1,
            "partner_prospect_count": 0,
            "convention_active_count": 1,
            "convention_signed_count": 1,
            "convention_renewed_count": 0,
            "convention_ended_count": 0,
            "lead_count": 1,
            "event_count": 1,
            "event_attendance": 1,
            "event_partner_count": 0,
            "skill_need_headcount": 1,
            "tax_amount_promised": 200.0,
            "tax_amount_received": 100.0,
            "class_count": 1,
            "student_count": 1,
        },
    }

    def _row(self, lycee, year, user=None):
        Report = self.env["bde.lycee.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search(
            [("company_id", "=", lycee.id), ("school_year", "=", year)]
        )

    def _rows(self):
        return {
            (key, period): self._row(lycee, year)
            for key, lycee in (("l1", self.l1), ("l2", self.l2))
            for period, year in (("prev", self.prev_year), ("now", self.year))
        }
