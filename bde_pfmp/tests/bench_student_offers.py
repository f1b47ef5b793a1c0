"""Benchmark of the offers a student browses on the portal (not a test: it
prints figures and asserts no time).

One lycée's formation with 200 host companies (positions around Lyon, a
sector and a tutor each), a confirmed offer each for the school year, and
100 placements of the class's other students taking places at the first
hosts, built in the test transaction and rolled back.
``BDE_BENCH_STUDENT_OFFERS_SCALE`` multiplies the hosts, offers and
placements.

The operation is the page as the student opens it: ``GET
/my/placements/offers`` through HTTP (the offers open to the student, their
places left, the hosts' sectors, sites and distances, the rendering). Its
lower bound is ``search_read`` of the same offers' stored fields. Median of 3
runs, cache emptied before each.
"""

import os
import random
import statistics
import time

from odoo.tests import HttpCase, new_test_user, tagged

from .common import BdePfmpCase

SCALE = float(os.environ.get("BDE_BENCH_STUDENT_OFFERS_SCALE", "1"))
HOSTS = int(200 * SCALE)
PLACEMENTS = int(100 * SCALE)
RUNS = 3
ORIGIN = (45.7489, 4.8426)
SPREAD_DEGREES = 0.4
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
STORED_FIELDS = ["partner_id", "site_id", "period_id", "places", "accepts_minors"]


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestStudentOffersBenchmark(HttpCase, BdePfmpCase):
    # No frozen time: freezegun would stop the clock that times the runs.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        rng = random.Random(2026)
        cls.lycee.partner_id.write(
            {"partner_latitude": ORIGIN[0], "partner_longitude": ORIGIN[1]}
        )
        hosts = cls.env["res.partner"].create(
            [
                {
                    "name": f"Hôte {number}",
                    "is_company": True,
                    "city": "Lyon",
                    "partner_latitude": ORIGIN[0] + rng.uniform(-1, 1) * SPREAD_DEGREES,
                    "partner_longitude": ORIGIN[1]
                    + rng.uniform(-1, 1) * SPREAD_DEGREES,
                    "bde_sector_ids": [cls.sector.id],
                }
                for number in range(HOSTS)
            ]
        )
        tutors = cls.env["res.partner"].create(
            [{"name": f"Tuteur {host.id}", "parent_id": host.id} for host in hosts]
        )
        cls.env["bde.pfmp.host.offer"].create(
            [
                {
                    "partner_id": host.id,
                    "formation_id": cls.formation.id,
                    "school_year": "2025-2026",
                    "company_id": cls.lycee.id,
                    "state": "confirmed",
                    "places": 2,
                }
                for host in hosts
            ]
        )
        students = cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève {number}",
                    "bde_is_student": True,
                    "bde_class_id": cls.school_class.id,
                    "company_id": cls.lycee.id,
                }
                for number in range(PLACEMENTS)
            ]
        )
        cls.env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "period_id": cls.period.id,
                    "partner_id": hosts[number // 2].id,
                    "tutor_id": tutors[number // 2].id,
                    "state": "host_found",
                }
                for number, student in enumerate(students)
            ]
        )
        new_test_user(
            cls.env,
            login="bench_student",
            name=cls.student.name,
            groups="base.group_portal",
            partner_id=cls.student.id,
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )

    def _median(self, operation):
        durations = []
        for _run in range(RUNS):
            self.env.invalidate_all()
            started = time.perf_counter()
            result = operation()
            durations.append(time.perf_counter() - started)
        return statistics.median(durations), result

    def test_student_offers_page(self):
        self.authenticate("bench_student", "bench_student")
        Offer = self.env["bde.pfmp.host.offer"]
        domain = Offer._bde_student_offer_domain(self.student)

        def page():
            response = self.url_open("/my/placements/offers")
            response.raise_for_status()
            return response.text.count("o_bde_student_offer")

        page_time, rows = self._median(page)
        bound_time, records = self._median(
            lambda: Offer.sudo().search_read(domain, STORED_FIELDS)
        )
        print(
            f"student offers page, {HOSTS} offers of the formation "
            f"({rows} with places left), {PLACEMENTS} placements: "
            f"{page_time:.3f} s; lower bound (search_read of the "
            f"{len(records)} offers): {bound_time:.4f} s; "
            f"ratio {page_time / bound_time:.0f}x"
        )
