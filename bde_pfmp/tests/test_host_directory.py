import random
from operator import le, lt

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.bde_pfmp.geo import bounding_box, haversine_km

from .common import BdePfmpCase

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
DIRECTORY_DOMAIN = [("is_company", "=", True), ("bde_is_host", "=", True)]
# The lycée in Lyon 7e, the other one in Villeurbanne.
LYCEE_POSITION = (45.7489, 4.8426)
OTHER_LYCEE_POSITION = (45.7719, 4.8902)
COMPARE = {"<": lt, "<=": le}


@tagged("post_install", "-at_install", "bde_pfmp")
@freeze_time("2025-10-01")
class TestHostDirectory(BdePfmpCase):
    """The host directory's numbers (places left, past placements, distance)
    per lycée, and its searches in a number of queries that does not grow
    with the network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lycee, (latitude, longitude) in (
            (cls.lycee, LYCEE_POSITION),
            (cls.other_lycee, OTHER_LYCEE_POSITION),
        ):
            lycee.partner_id.write(
                {"partner_latitude": latitude, "partner_longitude": longitude}
            )
        cls.user_both = new_test_user(
            cls.env,
            login="bde_officer_both",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id, cls.other_lycee.id],
        )
        cls.other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.other_lycee.id,
            }
        )
        cls.other_period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP Lumière",
                "class_id": cls.other_class.id,
                "date_start": "2025-12-01",
                "date_end": "2025-12-19",
            }
        )
        cls.period_2 = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 2",
                "class_id": cls.school_class.id,
                "date_start": "2026-01-05",
                "date_end": "2026-01-30",
            }
        )
        cls.host_declined = cls._make_host("Garage décliné", (45.7085, 4.8712))

    @classmethod
    def _make_hosts(cls, positions):
        """Host companies named and placed by ``positions`` (name → latitude
        and longitude), each with a tutor."""
        hosts = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                }
                for name, (latitude, longitude) in positions.items()
            ]
        )
        cls.env["res.partner"].create(
            [{"name": f"Tuteur {host.name}", "parent_id": host.id} for host in hosts]
        )
        return hosts

    @classmethod
    def _make_host(cls, name, position=(0, 0)):
        return cls._make_hosts({name: position})

    @classmethod
    def _make_offer(cls, host, lycee, places, **vals):
        return cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": host.id,
                "company_id": lycee.id,
                "school_year": "2025-2026",
                "formation_id": cls.formation.id,
                "places": places,
                **vals,
            }
        )

    @classmethod
    def _make_student(cls, school_class, name):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "bde_is_student": True,
                "bde_birthdate": "2006-01-10",
                "bde_class_id": school_class.id,
                "company_id": school_class.company_id.id,
            }
        )

    @classmethod
    def _place(cls, student, period, host, state="host_found"):
        return cls.env["bde.pfmp.placement"].create(
            cls._placement_values(student, period, host, state)
        )

    @classmethod
    def _placement_values(cls, student, period, host, state="host_found"):
        return {
            "student_id": student.id,
            "period_id": period.id,
            "partner_id": host.id,
            "tutor_id": host.child_ids.id,
            "state": state,
        }

    def _partners(self, user, lycees=None):
        lycees = lycees or user.company_ids
        return (
            self.env["res.partner"]
            .with_user(user)
            .with_context(allowed_company_ids=lycees.ids)
        )

    def _build_places(self):
        """Host H1 offers the lycée 3 places all year and 2 for the period
        PFMP 1, and the other lycée 2 places; H2 declined the lycée's offer.
        The lycée places a student at H1 in PFMP 1, one in PFMP 2, one
        cancelled; the other lycée one."""
        host = self._make_host("Hôtel H1", (45.7371, 4.8386))
        self.offer_year = self._make_offer(host, self.lycee, 3)
        self.offer_period = self._make_offer(
            host, self.lycee, 2, period_id=self.period.id
        )
        self.offer_other = self._make_offer(host, self.other_lycee, 2)
        self._make_offer(self.host_declined, self.lycee, 1, state="declined")
        self._place(
            self._make_student(self.school_class, "Élève A1"), self.period, host
        )
        self._place(
            self._make_student(self.school_class, "Élève A2"),
            self.period_2,
            host,
            state="signed",
        )
        self._place(
            self._make_student(self.school_class, "Élève A3"),
            self.period,
            host,
            state="cancelled",
        )
        self._place(
            self._make_student(self.other_class, "Élève B1"), self.other_period, host
        )
        return host

    def test_places_left_per_lycee(self):
        host = self._build_places()
        # The year's offer: 3 - 2 placements; the period's: 2 - 1.
        self.assertEqual(
            (self.offer_year.places_left, self.offer_period.places_left), (1, 1)
        )
        self.assertEqual(self.offer_other.places_left, 1)
        for user, lycees, expected in (
            (self.user_teacher, self.lycee, 2),
            (self.user_other_lycee, self.other_lycee, 1),
            (self.user_both, self.lycee | self.other_lycee, 3),
            (self.user_both, self.other_lycee, 1),
        ):
            partners = self._partners(user, lycees)
            self.assertEqual(partners.browse(host.id).bde_places_left, expected)
            self.assertEqual(partners.browse(self.host_declined.id).bde_places_left, 0)

    def test_places_left_search(self):
        host = self._build_places()
        partners = self._partners(self.user_teacher)
        self.assertEqual(partners.search([("bde_places_left", ">", 0)]), host)
        self.assertEqual(partners.search([("bde_places_left", ">=", 2)]), host)
        self.assertFalse(partners.search([("bde_places_left", ">", 2)]))
        # 0 places left: the declined host and any company without an offer.
        without = partners.search(
            [("bde_places_left", "=", 0), ("is_company", "=", True)]
        )
        self.assertIn(self.host_declined, without)
        self.assertIn(self.company_partner, without)
        self.assertNotIn(host, without)
        self.assertIn(host, partners.search([("bde_places_left", "!=", 0)]))
        self.assertEqual(
            self._partners(self.user_both).search([("bde_places_left", ">=", 3)]),
            host,
        )
        # The other lycée's places are not the lycée's once all are taken.
        self._place(
            self._make_student(self.other_class, "Élève B2"), self.other_period, host
        )
        other = self._partners(self.user_other_lycee)
        self.assertFalse(other.search([("bde_places_left", ">", 0)]))
        self.assertEqual(
            self._partners(self.user_teacher).search([("bde_places_left", ">", 0)]),
            host,
        )

    def test_host_set_per_lycee(self):
        host = self._build_places()
        only_other = self._make_host("Traiteur de Lumière")
        self._make_offer(only_other, self.other_lycee, 1)
        past_only = self._make_host("Imprimerie passée")
        self._place(
            self._make_student(self.school_class, "Élève A4"),
            self.period,
            past_only,
            state="done",
        )
        directory = self._partners(self.user_teacher).search(DIRECTORY_DOMAIN)
        self.assertEqual(directory, host | self.host_declined | past_only)
        other = self._partners(self.user_other_lycee).search(DIRECTORY_DOMAIN)
        self.assertEqual(other, host | only_other)
        self.assertEqual(
            self._partners(self.user_teacher).browse(past_only.id).bde_is_host, True
        )
        self.assertEqual(
            self._partners(self.user_other_lycee).browse(past_only.id).bde_is_host,
            False,
        )
        self.assertIn(
            only_other,
            self._partners(self.user_teacher).search([("bde_is_host", "=", False)]),
        )
        self.assertEqual(
            self._partners(self.user_teacher)
            .browse(past_only.id)
            .bde_past_placement_count,
            1,
        )
        teacher_partners = self._partners(self.user_teacher)
        self.assertEqual(
            teacher_partners.search([("bde_past_placement_count", ">", 0)]),
            past_only,
        )
        never = teacher_partners.search(
            [("bde_past_placement_count", "=", 0), ("id", "in", directory.ids)]
        )
        self.assertEqual(never, host | self.host_declined)
        self.assertFalse(
            self._partners(self.user_other_lycee).search(
                [("bde_past_placement_count", ">", 0)]
            )
        )

    def test_distance_sql_as_python(self):
        """The distance search keeps exactly the hosts whose computed distance
        is within the limit, from each lycée's position."""
        rng = random.Random(14)
        hosts = self._make_hosts(
            {
                f"Hôte {index}": (
                    round(45.76 + rng.uniform(-0.3, 0.3), 7),
                    round(4.85 + rng.uniform(-0.4, 0.4), 7),
                )
                for index in range(60)
            }
        )
        hosts |= self._make_host("Sans position")
        # A longitude left empty reads 0: about 375 km west of the lycée.
        hosts |= self.env["res.partner"].create(
            {"name": "Sans longitude", "is_company": True, "partner_latitude": 45.75}
        )
        # On the limit from the lycée (within a metre), along its meridian:
        # 10 km is 0.0899321° of latitude on the mean sphere.
        on_limit = self._make_host("Au bord", (LYCEE_POSITION[0] + 0.0899321, 4.8426))
        hosts |= on_limit
        for lycee, origin in (
            (self.lycee, LYCEE_POSITION),
            (self.other_lycee, OTHER_LYCEE_POSITION),
        ):
            partners = self.env["res.partner"].with_company(lycee)
            for operator, limit in (
                ("<=", 10),
                ("<", 10),
                ("<=", 30),
                ("<=", 0.5),
                ("<=", 400),
            ):
                found = partners.search(
                    [("id", "in", hosts.ids), ("bde_distance_km", operator, limit)]
                )
                expected = hosts.filtered(
                    lambda host, o=origin, op=operator, lim=limit: (
                        (host.partner_latitude or host.partner_longitude)
                        and COMPARE[op](
                            haversine_km(
                                *o, host.partner_latitude, host.partner_longitude
                            ),
                            lim,
                        )
                    )
                )
                self.assertEqual(found, expected, (lycee.name, operator, limit))
                for host in found.with_company(lycee):
                    self.assertLessEqual(host.bde_distance_km, limit + 1e-9)
        self.assertAlmostEqual(
            on_limit.with_company(self.lycee).bde_distance_km, 10, delta=1e-4
        )

    def test_bounding_box(self):
        lat_min, lat_max, lon_min, lon_max = bounding_box(*LYCEE_POSITION, 10)
        self.assertAlmostEqual(lat_max - LYCEE_POSITION[0], 0.0899321, delta=1e-5)
        # At 45.7° a degree of longitude is shorter: the box is wider.
        self.assertAlmostEqual(lon_max - LYCEE_POSITION[1], 0.1287, delta=1e-3)
        self.assertLess(lat_min, LYCEE_POSITION[0])
        self.assertLess(lon_min, LYCEE_POSITION[1])
        # Near a pole or across the antimeridian, no bound on the longitude.
        self.assertEqual(bounding_box(89.95, 0, 10)[2:], (None, None))
        self.assertEqual(bounding_box(0, 179.95, 10)[2:], (None, None))

    def _grow_network(self, hosts_count):
        """Hosts around the lycée, each with an offer to each lycée, a
        placement of the lycée in progress and a past one of the other."""
        rng = random.Random(hosts_count)
        hosts = self._make_hosts(
            {
                f"Réseau {hosts_count}-{index}": (
                    LYCEE_POSITION[0] + rng.uniform(-0.1, 0.1),
                    LYCEE_POSITION[1] + rng.uniform(-0.1, 0.1),
                )
                for index in range(hosts_count)
            }
        )
        self.env["bde.pfmp.host.offer"].create(
            [
                {
                    "partner_id": host.id,
                    "company_id": lycee.id,
                    "school_year": "2025-2026",
                    "formation_id": self.formation.id,
                    "places": 3,
                }
                for host in hosts
                for lycee in (self.lycee, self.other_lycee)
            ]
        )
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève {host.name}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-01-10",
                    "bde_class_id": school_class.id,
                    "company_id": school_class.company_id.id,
                }
                for host in hosts
                for school_class in (self.school_class, self.other_class)
            ]
        )
        self.env["bde.pfmp.placement"].create(
            [
                self._placement_values(student, period, host, state)
                for host, student, period, state in zip(
                    list(hosts) * 2,
                    students[0::2] + students[1::2],
                    [self.period] * hosts_count + [self.other_period] * hosts_count,
                    ["host_found"] * hosts_count + ["done"] * hosts_count,
                    strict=True,
                )
            ]
        )

    def _page_queries(self, filter_domain):
        """Queries and length of the directory as the teacher opens it: a
        page of 4 cards (fewer than the hosts, so the pager counts them too),
        cache emptied."""
        partners = self._partners(self.user_teacher).with_context(
            default_is_company=True, tz="Europe/Paris"
        )
        domain = DIRECTORY_DOMAIN + filter_domain

        def open_page():
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            page = partners.web_search_read(
                domain, KANBAN_SPEC, limit=4, count_limit=10001
            )
            return self.cr.sql_log_count - queries, page["length"]

        open_page()  # fills the caches of the registry (access rules)
        return open_page()

    def test_queries_do_not_grow(self):
        filters = {
            "open": [],
            "places left": [("bde_places_left", ">", 0)],
            "within 30 km": [("bde_distance_km", "<=", 30)],
        }
        self._grow_network(5)
        small = {name: self._page_queries(domain) for name, domain in filters.items()}
        self._grow_network(20)
        large = {name: self._page_queries(domain) for name, domain in filters.items()}
        for name in filters:
            (small_queries, small_length), (large_queries, large_length) = (
                small[name],
                large[name],
            )
            self.assertEqual((small_length, large_length), (5, 25), name)
            self.assertEqual(small_queries, large_queries, name)
