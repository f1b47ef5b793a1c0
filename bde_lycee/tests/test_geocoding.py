from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..ban_client import BanClient
from . import ban_replay
from .common import BdeLyceeCase
from .replay_server import Answer, ReplayServer

URL = "bde_lycee.ban_url"


class TestGeocoding(BdeLyceeCase):
    """Students' homes and lycées geocoded by the Base Adresse Nationale, in
    batches, against its recorded answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Every partner of the database is taken as geocoded: the cron's
        # choice is read on this test's partners only.
        cls.env.cr.execute(
            "UPDATE res_partner SET date_localization = CURRENT_DATE "
            "WHERE date_localization IS NULL"
        )
        cls.env.invalidate_all()
        cls.france = cls.env.ref("base.fr")
        cls.lycee.partner_id.write(
            {"street": "10 Avenue Jean Jaurès", "zip": "69007", "city": "Lyon"}
        )
        addresses = [
            (row["street"], row["postcode"], row["city"])
            for row in ban_replay.recorded_rows()
        ]
        cls.homes = cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève {index}",
                    "bde_is_student": True,
                    "company_id": lycee.id,
                    "street": street,
                    "zip": postcode,
                    "city": city,
                    "country_id": cls.france.id,
                }
                for index, ((street, postcode, city), lycee) in enumerate(
                    zip(addresses, [cls.lycee, cls.other_lycee] * 3, strict=False)
                )
            ]
        )
        cls.found = cls.homes[:3]
        cls.low_score, cls.unknown = cls.homes[3], cls.homes[4]

    def _geocode(self, partners, answers=ban_replay.ANSWERS):
        with ReplayServer(answers) as server:
            server.point(self.env, URL)
            partners._bde_geocode()
        return server.requests

    def test_batch_is_one_request(self):
        [request] = self._geocode(self.homes)
        self.assertEqual((request.method, request.path), ("POST", "/search/csv/"))
        form = ban_replay.form_parts(request)
        self.assertEqual(form["columns"], ["street", "city"])
        self.assertEqual(form["postcode"], ["postcode"])
        self.assertIn("result_score", form["result_columns"])
        sent = {row["bde_id"] for row in ban_replay.sent_rows(request)}
        self.assertEqual(sent, {str(partner.id) for partner in self.homes})
        bellecour = self.found[1]
        self.assertAlmostEqual(bellecour.partner_latitude, 45.757812, places=6)
        self.assertAlmostEqual(bellecour.partner_longitude, 4.832011, places=6)
        self.assertEqual(
            bellecour.date_localization, fields.Date.context_today(self.env.user)
        )
        self.assertFalse(self.found.filtered("bde_address_not_found"))

    def test_queries_do_not_grow_with_the_batch(self):
        def queries_to_geocode(count):
            homes = self.homes.copy_data()
            partners = self.env["res.partner"].create(
                [homes[index % len(homes)] for index in range(count)]
            )
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            requests = self._geocode(partners)
            self.env.flush_all()
            self.assertEqual(len(requests), 1)
            return self.env.cr.sql_log_count - before

        queries_to_geocode(5)  # the caches of the parameters, the country
        self.assertEqual(queries_to_geocode(25), queries_to_geocode(5))

    def test_low_score_and_unknown_address_not_written(self):
        self._geocode(self.homes)
        for partner in self.low_score | self.unknown:
            self.assertEqual(partner.partner_latitude, 0)
            self.assertFalse(partner.date_localization)
            self.assertTrue(partner.bde_address_not_found)
        # Corrected, the address is to geocode again.
        self.low_score.street = "20 Rue de la République"
        self.assertFalse(self.low_score.bde_address_not_found)
        self.assertIn(
            self.low_score,
            self.env["res.partner"].search(
                self.env["res.partner"]._bde_geocode_domain()
            ),
        )

    def test_batches_at_the_cap(self):
        with patch.object(BanClient, "batch_size", 2):
            requests = self._geocode(self.homes)
        self.assertEqual(
            [len(ban_replay.sent_rows(request)) for request in requests], [2, 2, 1]
        )
        self.assertEqual(len(self.homes.filtered("date_localization")), 3)

    def test_service_down_writes_nothing(self):
        def second_batch_refused(request):
            if len(server.requests) > 1:
                return Answer(body=b"Service Unavailable", status=503)
            return ban_replay.csv_answer(request)

        answers = {("POST", "/search/csv/"): second_batch_refused}
        with (
            patch.object(BanClient, "batch_size", 3),
            ReplayServer(answers) as server,
        ):
            server.point(self.env, URL)
            with self.assertRaisesRegex(UserError, "Base Adresse Nationale.*HTTP 503"):
                self.homes._bde_geocode()
        self.assertEqual(len(server.requests), 2)
        self.assertFalse(self.homes.filtered("date_localization"))
        self.assertFalse(self.homes.filtered("bde_address_not_found"))
        self.assertFalse(self.homes.filtered("partner_latitude"))

    def test_answer_not_csv(self):
        answers = {("POST", "/search/csv/"): Answer(body=b"<html>maintenance</html>")}
        with self.assertRaisesRegex(UserError, "not the expected CSV"):
            self._geocode(self.homes, answers)
        self.assertFalse(self.homes.filtered("bde_address_not_found"))

    def test_cron_picks_new_and_changed_addresses_within_its_cap(self):
        located, changed, never = self.found
        located.write({"partner_latitude": 45.76, "partner_longitude": 4.83})
        changed.write({"partner_latitude": 45.75, "partner_longitude": 4.84})
        changed.write({"zip": "69002"})
        self.assertFalse(changed.date_localization)
        self.assertFalse(changed.partner_latitude)
        self.unknown.bde_address_not_found = True
        abroad = self.env["res.partner"].create(
            {
                "name": "Élève à Bruxelles",
                "bde_is_student": True,
                "company_id": self.lycee.id,
                "city": "Bruxelles",
                "country_id": self.env.ref("base.be").id,
            }
        )
        company = self.env["res.partner"].create(
            {"name": "Société sans lien", "is_company": True, "city": "Lyon"}
        )
        todo = self.env["res.partner"].search(
            self.env["res.partner"]._bde_geocode_domain()
        )
        self.assertIn(self.lycee.partner_id, todo)
        self.assertFalse((located | self.unknown | abroad | company) & todo)
        self.assertLessEqual(changed | never | self.low_score, todo)

        with ReplayServer(ban_replay.ANSWERS) as server:
            server.point(self.env, URL)
            self.env["res.partner"]._cron_bde_geocode(limit=2)
            [request] = server.requests
            self.assertEqual(len(ban_replay.sent_rows(request)), 2)
            self.env["res.partner"]._cron_bde_geocode(limit=100)
        self.assertEqual(len(server.requests), 2)
        self.assertAlmostEqual(changed.partner_latitude, 45.757812, places=6)
        self.assertAlmostEqual(never.partner_latitude, 45.748904, places=6)
        self.assertAlmostEqual(located.partner_latitude, 45.76, places=6)
        self.assertTrue(self.low_score.bde_address_not_found)

    def test_typed_coordinates_are_kept(self):
        partner = self.found[0]
        partner.write({"partner_latitude": 45.7, "partner_longitude": 4.8})
        self.assertEqual(
            partner.date_localization, fields.Date.context_today(self.env.user)
        )
        self.assertNotIn(
            partner,
            self.env["res.partner"].search(
                self.env["res.partner"]._bde_geocode_domain()
            ),
        )

    def test_geolocate_button_asks_the_ban(self):
        self.env["ir.config_parameter"].set_param(
            "base_geolocalize.geo_provider",
            self.env.ref("bde_lycee.geo_provider_ban").id,
        )
        partner = self.found[0].with_context(force_geo_localize=True)
        with ReplayServer(ban_replay.ANSWERS) as server:
            server.point(self.env, URL)
            partner.geo_localize()
        [request] = server.requests
        self.assertEqual(request.path, "/search/")
        self.assertIn("20 Rue de la République", request.query["q"][0])
        self.assertAlmostEqual(partner.partner_latitude, 45.762154, places=6)
        self.assertAlmostEqual(partner.partner_longitude, 4.836089, places=6)

        low = {("GET", "/search/"): Answer("ban/search_low_score.json")}
        guess = self.low_score.with_context(force_geo_localize=True)
        with ReplayServer(low) as server:
            server.point(self.env, URL)
            guess.geo_localize()
        # No match good enough, nor for the town alone (Odoo asks it next).
        self.assertEqual(len(server.requests), 2)
        self.assertEqual(guess.partner_latitude, 0)

    def test_addresses_abroad_left_to_openstreetmap(self):
        geocoder = self.env["base.geocoder"]
        brussels = (50.8467, 4.3525)
        with (
            patch.object(
                type(geocoder), "_call_openstreetmap", return_value=brussels
            ) as openstreetmap,
            ReplayServer(ban_replay.ANSWERS) as server,
        ):
            server.point(self.env, URL)
            found = geocoder._call_ban(
                "Grand-Place 1, 1000 Bruxelles", force_country="Belgium"
            )
        self.assertEqual(found, brussels)
        openstreetmap.assert_called_once()
        self.assertFalse(server.requests)

    def test_list_action_geocodes_the_selection(self):
        action = self.env.ref("bde_lycee.action_res_partner_geocode")
        officer_env = self.env(user=self.user_officer)
        with ReplayServer(ban_replay.ANSWERS) as server:
            server.point(self.env, URL)
            mine = self.homes.filtered(lambda p: p.company_id == self.lycee)
            result = (
                officer_env["ir.actions.server"]
                .browse(action.id)
                .with_context(active_model="res.partner", active_ids=mine.ids)
                .run()
            )
        self.assertEqual(len(server.requests), 1)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertTrue(mine.filtered("partner_latitude"))

    def test_other_lycee_cannot_read_home_coordinates(self):
        self._geocode(self.homes)
        home = self.found[0]
        self.assertEqual(home.company_id, self.lycee)
        self.assertTrue(home.partner_latitude)
        other_officer = self.env(user=self.user_other_lycee)["res.partner"]
        with self.assertRaises(AccessError):
            other_officer.browse(home.id).read(["partner_latitude"])
        rows = other_officer.search_read(
            [("id", "in", self.homes.ids)], ["partner_latitude", "company_id"]
        )
        self.assertTrue(rows)
        self.assertEqual({row["company_id"][0] for row in rows}, {self.other_lycee.id})
        teacher = new_test_user(
            self.env,
            login="bde_geo_teacher_2",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=self.other_lycee.id,
            company_ids=[self.other_lycee.id],
        )
        self.assertFalse(
            self.env(user=teacher)["res.partner"].search_count(
                [("id", "=", home.id), ("partner_latitude", "!=", 0)]
            )
        )
