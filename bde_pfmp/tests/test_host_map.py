from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools.safe_eval import safe_eval

from odoo.addons.bde_lycee.school_year import school_year_of
from odoo.addons.bde_pfmp.geo import haversine_km

from .common import BdePfmpCase

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
# The other lycée, in Villeurbanne; a student's home in Vénissieux.
VILLEURBANNE = (45.7719, 4.8902)
HOME = (45.6971, 4.8869)
# What OCA's map view asks of every record beside the fields of its arch
# (leaflet_map_renderer.esm.js, getFields).
RENDERER_FIELDS = ["id", "display_name", "date_localization"]


def position(latitude, longitude):
    return {"partner_latitude": latitude, "partner_longitude": longitude}


class TestHostMap(BdePfmpCase):
    """Hosts and offers on OCA's leaflet map; the distances of placements and
    offers computed from the positions, empty while one is unknown, each
    measured from its own lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.partner_id.write(position(*PARIS))
        cls.other_lycee.partner_id.write(position(*VILLEURBANNE))
        cls.host = cls.company_partner
        cls.host.write({"city": "Lyon", **position(*LYON)})
        cls.student.write(position(*HOME))
        cls.offer = cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": cls.host.id,
                "company_id": cls.lycee.id,
                # The directory counts the places of the current school year.
                "school_year": school_year_of(fields.Date.today()),
                "formation_id": cls.formation.id,
                "places": 3,
            }
        )

    def _map_records(self, action_xmlid, user, fields):
        """What the map view of ``action_xmlid`` loads for ``user``: its arch,
        then its records as the renderer reads them (search_read with the
        action's domain)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        self.assertIn("leaflet_map", action["view_mode"].split(","))
        view_id = dict((mode, view) for view, mode in action["views"])["leaflet_map"]
        model = self.env[action["res_model"]].with_user(user).with_company(self.lycee)
        views = model.get_views([(view_id, "leaflet_map")])
        arch = views["views"]["leaflet_map"]["arch"]
        self.assertIn("<leaflet_map", arch)
        self.assertLessEqual(set(fields), set(views["models"][model._name]["fields"]))
        domain = safe_eval(action["domain"] or "[]")
        return model.search_read(domain, RENDERER_FIELDS + fields)

    def test_host_directory_map(self):
        fields = [
            "partner_latitude",
            "partner_longitude",
            "bde_map_title",
            "bde_map_popup",
        ]
        records = self._map_records(
            "bde_pfmp.res_partner_action_host_directory", self.user_teacher, fields
        )
        [pin] = [record for record in records if record["id"] == self.host.id]
        self.assertEqual((pin["partner_latitude"], pin["partner_longitude"]), LYON)
        self.assertEqual(pin["bde_map_title"], "Boulangerie Test")
        self.assertIn("Lyon<br/>Places left: 3", pin["bde_map_popup"])
        self.assertIn("391.5 km away", pin["bde_map_popup"])

    def test_offers_map_at_the_site(self):
        site = self.env["res.partner"].create(
            {
                "name": "Boulangerie Test, Villeurbanne",
                "parent_id": self.host.id,
                "type": "other",
                "city": "Villeurbanne",
                **position(45.7660, 4.8796),
            }
        )
        self.offer.site_id = site
        fields = ["latitude", "longitude", "map_title", "map_popup"]
        records = self._map_records(
            "bde_pfmp.bde_pfmp_host_offer_action", self.user_officer, fields
        )
        [pin] = [record for record in records if record["id"] == self.offer.id]
        self.assertEqual((pin["latitude"], pin["longitude"]), (45.7660, 4.8796))
        self.assertTrue(pin["date_localization"])
        self.assertIn("Villeurbanne<br/>Places left: 3", pin["map_popup"])
        self.assertIn("Boulangerie Test – Bac pro MCV test", pin["map_title"])

    def test_popup_escapes_what_was_typed(self):
        self.host.write({"name": "<img src=x onerror=alert(1)> & Fils"})
        self.assertEqual(
            self.host.bde_map_title, "&lt;img src=x onerror=alert(1)&gt; &amp; Fils"
        )
        self.host.city = "<script>x</script>"
        self.assertNotIn("<script>", self.host.bde_map_popup)
        self.assertNotIn("<img", self.offer.map_title)

    def test_paris_lyon(self):
        placement = self._make_placement()
        expected = haversine_km(*PARIS, *LYON)
        self.assertAlmostEqual(expected, 391.5, delta=0.05)
        self.assertAlmostEqual(placement.distance_lycee_km, expected, delta=0.05)
        self.assertAlmostEqual(self.offer.distance_lycee_km, expected, delta=0.05)
        self.assertAlmostEqual(
            placement.distance_home_km, haversine_km(*HOME, *LYON), delta=0.05
        )

    def _stored(self, record, field):
        """The column's value in the database: None is empty, not 0."""
        record.flush_recordset([field])
        self.env.cr.execute(
            f"SELECT {field} FROM {record._table} WHERE id = %s",
            [record.id],
        )
        value = self.env.cr.fetchone()[0]
        return None if value is None else float(value)

    def test_missing_position_is_empty(self):
        self.student.write(position(0, 0))
        placement = self._make_placement()
        self.assertIs(placement.distance_home_km, False)
        self.assertIsNone(self._stored(placement, "distance_home_km"))
        self.assertTrue(placement.distance_lycee_km)
        self.assertIs(
            placement.read(["distance_home_km"])[0]["distance_home_km"], False
        )
        # Empty is no 0: sorted after the known distances, out of the average.
        self.student_adult.write(position(*VILLEURBANNE))
        known = self._make_placement(self.student_adult)
        both = [("id", "in", (placement | known).ids)]
        placements = self.env["bde.pfmp.placement"]
        self.assertEqual(
            placements.search(both, order="distance_home_km").ids,
            [known.id, placement.id],
        )
        [[average]] = placements._read_group(both, [], ["distance_home_km:avg"])
        self.assertAlmostEqual(average, haversine_km(*VILLEURBANNE, *LYON), delta=0.05)
        # A placement without host yet has no distance at all.
        searching = self._make_other_lycee_placement(partner_id=False)
        self.assertIsNone(self._stored(searching, "distance_lycee_km"))

    def test_recompute_when_a_position_changes(self):
        placement = self._make_placement()
        self.host.write(position(*VILLEURBANNE))
        self.assertAlmostEqual(
            placement.distance_lycee_km, haversine_km(*PARIS, *VILLEURBANNE), delta=0.05
        )
        self.assertAlmostEqual(
            self._stored(self.offer, "distance_lycee_km"),
            haversine_km(*PARIS, *VILLEURBANNE),
            delta=0.05,
        )
        # A site counts from its own position, empty while it has none.
        site = self.env["res.partner"].create(
            {"name": "Dépôt", "parent_id": self.host.id, "type": "other"}
        )
        placement.site_id = site
        self.assertIsNone(self._stored(placement, "distance_lycee_km"))
        site.write(position(*LYON))
        self.assertAlmostEqual(
            self._stored(placement, "distance_home_km"),
            haversine_km(*HOME, *LYON),
            delta=0.05,
        )
        # The student moves; the lycée moves.
        self.student.write(position(*LYON))
        self.assertEqual(self._stored(placement, "distance_home_km"), 0)
        self.lycee.partner_id.write(position(*LYON))
        self.assertEqual(self._stored(placement, "distance_lycee_km"), 0)

    def test_each_placement_from_its_own_lycee(self):
        ours = self._make_placement()
        theirs = self._make_other_lycee_placement()
        their_offer = self.offer.copy({"company_id": self.other_lycee.id})
        self.assertAlmostEqual(
            ours.distance_lycee_km, haversine_km(*PARIS, *LYON), delta=0.05
        )
        self.assertAlmostEqual(
            theirs.distance_lycee_km, haversine_km(*VILLEURBANNE, *LYON), delta=0.05
        )
        self.assertAlmostEqual(
            their_offer.distance_lycee_km,
            haversine_km(*VILLEURBANNE, *LYON),
            delta=0.05,
        )
        # Whoever reads: the figure is the placement's lycée's, not the user's.
        self.assertEqual(
            theirs.with_user(self.user_other_lycee).distance_lycee_km,
            theirs.distance_lycee_km,
        )

    def test_home_distance_stays_in_the_lycee(self):
        placement = self._make_placement()
        # The lycée's staff read it.
        self.assertTrue(placement.with_user(self.user_teacher).distance_home_km)
        self.assertTrue(placement.with_user(self.user_officer).distance_home_km)
        # Another lycée's staff read neither the placement nor its distances.
        other = self.env["bde.pfmp.placement"].with_user(self.user_other_lycee)
        with self.assertRaises(AccessError):
            other.browse(placement.id).read(["distance_home_km"])
        self.assertFalse(
            other.search([("id", "=", placement.id), ("distance_home_km", "!=", False)])
        )
        # The tutor on the portal reads their trainee's placement, not how far
        # the student lives.
        tutor_user = new_test_user(
            self.env,
            login="map_tutor",
            groups="base.group_portal",
            partner_id=self.tutor.id,
        )
        as_tutor = placement.with_user(tutor_user)
        self.assertTrue(as_tutor.read(["distance_lycee_km"]))
        with self.assertRaises(AccessError):
            as_tutor.read(["distance_home_km"])
        # The academic correspondent reads no placement.
        with self.assertRaises(AccessError):
            placement.with_user(self.user_reader).read(["distance_home_km"])

    def _count_map_queries(self, model, fields, records):
        """Queries of the map's read of ``records``, as a teacher of the
        lycée, with an empty cache as when the map opens."""
        as_teacher = model.with_user(self.user_teacher).with_company(self.lycee)
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        as_teacher.search_read([("id", "in", records.ids)], RENDERER_FIELDS + fields)
        return self.env.cr.sql_log_count - queries

    def _make_hosts(self, count):
        hosts = self.env["res.partner"].create(
            [
                {
                    "name": f"Hôte {index}",
                    "is_company": True,
                    "city": "Lyon",
                    **position(45.70 + index / 1000, 4.80),
                }
                for index in range(count)
            ]
        )
        offers = self.env["bde.pfmp.host.offer"].create(
            [
                {
                    "partner_id": host.id,
                    "company_id": self.lycee.id,
                    "school_year": self.offer.school_year,
                    "formation_id": self.formation.id,
                    "places": 2,
                }
                for host in hosts
            ]
        )
        return hosts, offers

    def test_map_queries_do_not_grow_with_the_pins(self):
        partner_fields = ["partner_latitude", "partner_longitude"]
        partner_fields += ["bde_map_title", "bde_map_popup"]
        offer_fields = ["latitude", "longitude", "map_title", "map_popup"]
        # Once first: the caches of rules and views fill on the first read.
        self._count_map_queries(self.env["res.partner"], partner_fields, self.host)
        self._count_map_queries(
            self.env["bde.pfmp.host.offer"], offer_fields, self.offer
        )
        counts = []
        for size in (4, 20):
            hosts, offers = self._make_hosts(size)
            counts.append(
                (
                    self._count_map_queries(
                        self.env["res.partner"], partner_fields, hosts
                    ),
                    self._count_map_queries(
                        self.env["bde.pfmp.host.offer"], offer_fields, offers
                    ),
                )
            )
        self.assertEqual(counts[0], counts[1])
