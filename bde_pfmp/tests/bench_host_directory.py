"""Benchmark of the host directory (not a test: it prints figures and asserts
no time).

A network of 20 lycées sharing 500 host companies (with positions around
Lyon, a tutor each and a sector), 2,000 host offers of the current school year
and 1,800 placements of the current and the past school years, built in the
test transaction and rolled back. ``BDE_BENCH_HOST_SCALE`` multiplies the
hosts, offers and placements (e.g. 10 for 5,000 hosts and 20,000 offers).

Each operation is timed as the web client does it: ``web_search_read`` of a
page of 40 cards with the kanban's fields, the action's domain and context,
and the search filter's domain, as a teacher of one lycée and as a BDE manager
of the 20 lycées. Its lower bound is ``search_read`` of the same 40 rows with
the card's stored fields. Median of 3 runs, cache emptied before each.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report. The map of hosts and offers is measured on
the same network (host_map_figures.py).
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.bde_lycee.models.res_company import uai_check_letter
from odoo.addons.bde_lycee.school_year import school_year_of

from .host_map_figures import HostMapBenchmarkMixin

SCALE = float(os.environ.get("BDE_BENCH_HOST_SCALE", "1"))
LYCEES = 20
HOSTS = int(500 * SCALE)
OFFERS_PER_LYCEE = int(100 * SCALE)
STUDENTS_PER_LYCEE = int(30 * SCALE)
PAGE = 40
RUNS = 3
BATCH = 2000
# Lyon 7e: the first lycée; hosts spread over about 80 × 80 km around it.
ORIGIN = (45.7489, 4.8426)
SPREAD_DEGREES = 0.4
# Creation context: no chatter messages nor tracking for generated records.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# What the kanban of the host directory reads (its fields and the tags' own).
KANBAN_SPEC = {
    "name": {},
    "city": {},
    "bde_distance_km": {},
    "bde_sector_ids": {"fields": {"display_name": {}, "color": {}}},
    "bde_places_left": {},
    "bde_past_placement_count": {},
    "bde_accepts_minors": {},
    "bde_host_rating_avg": {},
}
STORED_CARD_FIELDS = [
    "name",
    "city",
    "bde_sector_ids",
    "bde_accepts_minors",
    "bde_host_rating_avg",
]
CURRENT_STATES = ("searching", "host_found", "signed", "in_progress", "cancelled")


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestHostDirectoryBenchmark(HostMapBenchmarkMixin, TransactionCase):
    """The directory's figures, and the map's on the same network (see
    host_map_figures): built once for both."""

    origin = ORIGIN
    lycee_count = LYCEES
    host_count = HOSTS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.random = random.Random(2026)
        cls.current_year = school_year_of(date.today())
        start = int(cls.current_year[:4])
        cls.past_year = f"{start - 1}-{start}"
        started = time.perf_counter()
        cls.lycees = cls._create_lycees()
        cls.formations = cls._create_formations()
        cls.hosts, cls.tutors = cls._create_hosts()
        cls.offer_count = cls._create_offers()
        cls.placement_count = cls._create_placements()
        # Statistics of the tables, as autovacuum keeps them on a live
        # database: the planner chooses its joins from them.
        cls.env.flush_all()
        cls.env.cr.execute(
            "ANALYZE res_partner, bde_pfmp_host_offer, bde_pfmp_placement, bde_class"
        )
        cls.setup_time = time.perf_counter() - started
        cls.teacher = new_test_user(
            cls.env,
            login="bench_dir_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.lycees[0].id,
            company_ids=cls.lycees[:1].ids,
        )
        cls.manager = new_test_user(
            cls.env,
            login="bench_dir_manager",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycees[0].id,
            company_ids=cls.lycees.ids,
        )

    @classmethod
    def _create_lycees(cls):
        lycees = cls.env["res.company"].create(
            [
                {
                    "name": f"LP Bench annuaire {index}",
                    "bde_uai": f"07{index:05d}{uai_check_letter(f'07{index:05d}')}",
                }
                for index in range(LYCEES)
            ]
        )
        for index, lycee in enumerate(lycees):
            lycee.partner_id.write(
                {
                    "partner_latitude": ORIGIN[0] + index * 0.01,
                    "partner_longitude": ORIGIN[1] - index * 0.01,
                }
            )
        return lycees

    @classmethod
    def _create_formations(cls):
        return cls.env["bde.formation"].create(
            [
                {"name": f"Bac pro bench annuaire {index}", "level": "bac_pro"}
                for index in range(3)
            ]
        )

    @classmethod
    def _create_hosts(cls):
        sectors = cls.env["bde.sector"].create(
            [{"name": f"Secteur bench {index}"} for index in range(5)]
        )
        values = []
        for index in range(HOSTS):
            positioned = index % 10 != 0
            values.append(
                {
                    "name": f"Hôte bench {index:05d}",
                    "is_company": True,
                    "city": f"Ville {index % 50}",
                    "bde_sector_ids": [(6, 0, sectors[index % 5].ids)],
                    "bde_accepts_minors": bool(index % 3),
                    "partner_latitude": positioned
                    and ORIGIN[0] + cls.random.uniform(-1, 1) * SPREAD_DEGREES,
                    "partner_longitude": positioned
                    and ORIGIN[1] + cls.random.uniform(-1, 1) * SPREAD_DEGREES,
                }
            )
        hosts = cls.env["res.partner"].create(values)
        tutors = cls.env["res.partner"].create(
            [{"name": f"Tuteur {host.name}", "parent_id": host.id} for host in hosts]
        )
        return hosts, tutors

    @classmethod
    def _create_offers(cls):
        values = []
        cls.offered = {}
        for lycee in cls.lycees:
            hosts = cls.random.sample(range(HOSTS), OFFERS_PER_LYCEE)
            cls.offered[lycee.id] = hosts
            for index in hosts:
                values.append(
                    {
                        "partner_id": cls.hosts[index].id,
                        "company_id": lycee.id,
                        "school_year": cls.current_year,
                        "formation_id": cls.random.choice(cls.formations).id,
                        "places": cls.random.randint(1, 4),
                        "state": cls.random.choice(
                            ("to_confirm", "confirmed", "confirmed", "declined")
                        ),
                    }
                )
        cls.env["bde.pfmp.host.offer"].create(values)
        return len(values)

    @classmethod
    def _create_classes(cls, lycee):
        """One class per formation and school year, with two periods each in
        the current year and one in the past year."""
        classes = cls.env["bde.class"].create(
            [
                {
                    "name": f"{formation.name} {year} {lycee.id}",
                    "formation_id": formation.id,
                    "school_year": year,
                    "company_id": lycee.id,
                }
                for year in (cls.past_year, cls.current_year)
                for formation in cls.formations
            ]
        )
        periods = {}
        for school_class in classes:
            start = date(int(school_class.school_year[:4]), 11, 3)
            windows = (0, 98) if school_class.school_year == cls.current_year else (0,)
            periods[school_class] = cls.env["bde.pfmp.period"].create(
                [
                    {
                        "name": f"PFMP {offset}",
                        "class_id": school_class.id,
                        "date_start": start + timedelta(days=offset),
                        "date_end": start + timedelta(days=offset + 25),
                    }
                    for offset in windows
                ]
            )
        return classes, periods

    @classmethod
    def _placement_values(cls):
        for lycee in cls.lycees:
            classes, periods = cls._create_classes(lycee)
            students = cls.env["res.partner"].create(
                [
                    {
                        "name": f"Élève bench {lycee.id}-{index}",
                        "bde_is_student": True,
                        "bde_birthdate": date(2000, 1, 1),
                        "bde_class_id": classes[3 + index % 3].id,
                        "company_id": lycee.id,
                    }
                    for index in range(STUDENTS_PER_LYCEE)
                ]
            )
            # Mostly at the hosts the lycée has offers from, so that places
            # get taken.
            hosts = cls.offered[lycee.id]
            for index, student in enumerate(students):
                current_class = classes[3 + index % 3]
                for period in periods[current_class]:
                    yield cls._placement(
                        student, period, hosts, cls.random.choice(CURRENT_STATES)
                    )
                yield cls._placement(
                    student, periods[classes[index % 3]], hosts, "done"
                )

    @classmethod
    def _placement(cls, student, period, hosts, state):
        host = cls.random.choice(hosts if cls.random.random() < 0.8 else range(HOSTS))
        values = {"student_id": student.id, "period_id": period.id, "state": state}
        if state != "searching":
            values["partner_id"] = cls.hosts[host].id
            values["tutor_id"] = cls.tutors[host].id
        return values

    @classmethod
    def _create_placements(cls):
        placements = cls.env["bde.pfmp.placement"]
        batch, count = [], 0
        for values in cls._placement_values():
            batch.append(values)
            if len(batch) == BATCH:
                placements.create(batch)
                count += len(batch)
                batch = []
        placements.create(batch)
        return count + len(batch)

    def _partners(self, user, lycees):
        # The web client's context with the action's.
        context = {
            "lang": "en_US",
            "tz": "Europe/Paris",
            "uid": user.id,
            "allowed_company_ids": lycees.ids,
            "default_is_company": True,
        }
        return self.env(user=user, context=context)["res.partner"]

    def _directory_domain(self, filter_domain):
        """The action's domain and the filter's."""
        return [("is_company", "=", True), ("bde_is_host", "=", True), *filter_domain]

    def _measure(self, function):
        """Median seconds and queries of ``function`` over RUNS runs, each
        with an empty cache; returns its last result too."""
        timings = []
        for _run in range(RUNS):
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            timings.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries)
            )
        return (
            result,
            statistics.median(seconds for seconds, _queries in timings),
            timings[-1][1],
        )

    def _operation(self, label, user, lycees, filter_domain):
        partners = self._partners(user, lycees)
        domain = self._directory_domain(filter_domain)
        page, seconds, queries = self._measure(
            lambda: partners.web_search_read(
                domain, KANBAN_SPEC, limit=PAGE, count_limit=10001
            )
        )
        ids = [record["id"] for record in page["records"]]
        _rows, bound, bound_queries = self._measure(
            lambda: partners.search_read([("id", "in", ids)], STORED_CARD_FIELDS)
        )
        return (
            f"{label} ({len(ids)} of {page['length']})",
            seconds,
            bound,
            queries,
            bound_queries,
        )

    def test_bench_host_directory(self):
        first = self.lycees[:1]
        figures = [
            self._operation("open, teacher of one lycée", self.teacher, first, []),
            self._operation(
                "open, manager of 20 lycées", self.manager, self.lycees, []
            ),
            self._operation(
                "places left, teacher of one lycée",
                self.teacher,
                first,
                [("bde_places_left", ">", 0)],
            ),
            self._operation(
                "places left, manager of 20 lycées",
                self.manager,
                self.lycees,
                [("bde_places_left", ">", 0)],
            ),
            self._operation(
                "within 10 km, teacher of one lycée",
                self.teacher,
                first,
                [("bde_distance_km", "<=", 10)],
            ),
            self._operation(
                "within 10 km, manager of 20 lycées",
                self.manager,
                self.lycees,
                [("bde_distance_km", "<=", 10)],
            ),
        ]
        lines = [
            f"data: {LYCEES} lycées, {HOSTS} hosts, {self.offer_count} offers, "
            f"{self.placement_count} placements, built in {self.setup_time:.1f} s",
            "web_search_read of a page (kanban fields) vs search_read of the "
            "same rows (stored fields), median of 3",
            f"{'operation':<52}{'seconds':>9}{'bound':>9}{'ratio':>7}"
            f"{'queries':>9}{'bound q':>9}",
        ]
        lines += [
            f"{label:<52}{seconds:>9.4f}{bound:>9.4f}{seconds / bound:>7.1f}"
            f"{queries:>9}{bound_queries:>9}"
            for label, seconds, bound, queries, bound_queries in figures
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
