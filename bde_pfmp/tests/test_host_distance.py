import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tools import sql

from odoo.addons.bde_lycee.tests import ban_replay
from odoo.addons.bde_lycee.tests.replay_server import ReplayServer
from odoo.addons.bde_pfmp.geo import haversine_km

from .common import BdePfmpCase

MIGRATION = (
    Path(__file__).parents[1] / "migrations" / "18.0.1.3.0" / "pre-migrate-geo.py"
)
# Vénissieux, a student's home about 8 km from the host in Lyon 2e.
HOME = (45.697161, 4.886951)


class TestHostDistance(BdePfmpCase):
    """Hosts, their sites and the lycées geocoded in one batch, then found
    by distance from the lycée or from a student's home."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The partners of the database are taken as geocoded: the cron's
        # choice is read on this test's partners only.
        cls.env.cr.execute(
            "UPDATE res_partner SET date_localization = CURRENT_DATE "
            "WHERE date_localization IS NULL"
        )
        cls.env.invalidate_all()
        cls.lycee.partner_id.write(
            {"street": "10 Avenue Jean Jaurès", "zip": "69007", "city": "Lyon"}
        )
        cls.host = cls.company_partner
        cls.host.write(
            {"street": "20 Rue de la République", "zip": "69002", "city": "Lyon"}
        )
        cls.site = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Test, Bellecour",
                "parent_id": cls.host.id,
                "type": "other",
                "street": "2 Place Bellecour",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        cls.not_host = cls.env["res.partner"].create(
            {
                "name": "Société sans offre",
                "is_company": True,
                "street": "2 Place Bellecour",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": cls.host.id,
                "company_id": cls.lycee.id,
                "school_year": "2025-2026",
                "formation_id": cls.formation.id,
                "places": 2,
            }
        )
        cls.partners = cls.env["res.partner"].with_company(cls.lycee)

    def _run_cron(self):
        with ReplayServer(ban_replay.ANSWERS) as server:
            server.point(self.env, "bde_lycee.ban_url")
            self.env["res.partner"]._cron_bde_geocode()
        return server.requests

    def test_cron_geocodes_hosts_sites_and_lycees_in_one_request(self):
        [request] = self._run_cron()
        sent = {int(row["bde_id"]) for row in ban_replay.sent_rows(request)}
        self.assertLessEqual(
            {self.lycee.partner_id.id, self.host.id, self.site.id}, sent
        )
        self.assertFalse({self.tutor.id, self.not_host.id} & sent)
        self.assertAlmostEqual(self.host.partner_latitude, 45.762154, places=6)
        self.assertAlmostEqual(self.site.partner_longitude, 4.832011, places=6)
        # Done: the next run has nothing to ask.
        self.assertFalse(self._run_cron())

    def test_distance_filter_from_the_lycee(self):
        self._run_cron()
        candidates = [("id", "in", (self.host | self.site | self.not_host).ids)]
        within_2 = self.partners.search([*candidates, ("bde_distance_km", "<=", 2)])
        self.assertEqual(within_2, self.host | self.site)
        within_1 = self.partners.search([*candidates, ("bde_distance_km", "<=", 1)])
        self.assertFalse(within_1)
        self.assertAlmostEqual(
            self.host.with_company(self.lycee).bde_distance_km,
            haversine_km(45.748904, 4.842617, 45.762154, 4.836089),
            delta=0.05,  # the field keeps a decimal
        )

    def test_distance_from_a_students_home(self):
        self._run_cron()
        self.student.write({"partner_latitude": HOME[0], "partner_longitude": HOME[1]})
        from_home = self.partners.with_user(self.user_teacher).with_context(
            bde_distance_from_id=self.student.id
        )
        host = from_home.browse(self.host.id)
        self.assertAlmostEqual(
            host.bde_distance_km, haversine_km(*HOME, 45.762154, 4.836089), delta=0.05
        )
        self.assertGreater(host.bde_distance_km, 7)
        domain = [("id", "=", self.host.id), ("bde_distance_km", "<=", 5)]
        self.assertFalse(from_home.search(domain))
        self.assertTrue(self.partners.with_user(self.user_teacher).search(domain))
        action = self.student.action_bde_view_hosts_near_home()
        self.assertEqual(action["context"]["bde_distance_from_id"], self.student.id)

    def test_another_lycees_student_is_no_origin(self):
        self.student.write({"partner_latitude": HOME[0], "partner_longitude": HOME[1]})
        other = (
            self.env["res.partner"]
            .with_user(self.user_other_lycee)
            .with_context(bde_distance_from_id=self.student.id)
        )
        with self.assertRaises(AccessError):
            other.search([("bde_distance_km", "<=", 30)])
        with self.assertRaises(AccessError):
            other.browse(self.host.id).bde_distance_km  # noqa: B018

    def test_migration_keeps_typed_positions(self):
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE res_partner ADD COLUMN bde_latitude numeric, "
            "ADD COLUMN bde_longitude numeric"
        )
        cr.execute(
            "UPDATE res_partner SET bde_latitude = 45.7085, bde_longitude = 4.8712, "
            "partner_latitude = 0, partner_longitude = 0, date_localization = NULL "
            "WHERE id = %s",
            [self.host.id],
        )
        spec = importlib.util.spec_from_file_location("pre_migrate_geo", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertAlmostEqual(self.host.partner_latitude, 45.7085, places=6)
        self.assertAlmostEqual(self.host.partner_longitude, 4.8712, places=6)
        self.assertTrue(self.host.date_localization)
        self.assertFalse(sql.column_exists(cr, "res_partner", "bde_latitude"))
        self.assertFalse(sql.column_exists(cr, "res_partner", "bde_longitude"))
