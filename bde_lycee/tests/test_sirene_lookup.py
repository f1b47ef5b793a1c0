import importlib.util
import json
from pathlib import Path

from stdnum import luhn

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.module import get_module_path

from ..models.res_partner_sirene import SIRET_INDEX
from ..sirene_client import SireneClient
from .common import BdeLyceeCase
from .replay_server import Answer, ReplayServer

# The establishments of the recorded answers (tests/fixtures/sirene/).
ACTIVE_SIRET = "81234567600017"
SECOND_SIRET = "81234567600025"
CLOSED_SIRET = "79876543400013"
SEARCH = ("GET", "/search/")


def _by_query(request):
    """The recorded answer that matches the SIRET asked, as the directory."""
    query = request.query["q"][0]
    for siret, fixture in ((ACTIVE_SIRET, "active"), (CLOSED_SIRET, "closed")):
        if query == f"siret:{siret}":
            return Answer(f"sirene/siret_{fixture}.json")
    if query.startswith("siret:"):
        return Answer("sirene/no_record.json")
    return Answer("sirene/name_search.json")


class SireneCase(BdeLyceeCase):
    def replay(self, answer=_by_query):
        server = ReplayServer({SEARCH: answer})
        self.addCleanup(server.__exit__, None, None, None)
        server.__enter__()
        server.point(self.env, SireneClient.url_parameter)
        return server

    def replay_down(self):
        with ReplayServer({}) as server:
            url = server.url
        self.env["ir.config_parameter"].set_param(SireneClient.url_parameter, url)


class TestSireneLookup(SireneCase):
    """OCA's lookup through the suite's client, the SIRET of one company,
    and the closed establishments."""

    def test_lookup_by_name_in_the_wizard_as_a_teacher(self):
        server = self.replay()
        prospect = self.env["res.partner"].create(
            {"name": "Electricité du Rhône", "is_company": True}
        )
        Wizard = self.env["fr.siret.lookup"].with_user(self.user_teacher)
        wizard = Wizard.with_context(
            active_model="res.partner", active_id=prospect.id
        ).create({})
        wizard.name = "electricite rhone"
        wizard.get_lines()
        self.assertEqual(wizard.line_ids.mapped("siret"), [ACTIVE_SIRET, SECOND_SIRET])
        [request] = server.requests
        self.assertEqual(request.query["q"], ["electricite rhone"])
        self.assertEqual(request.query["rows"], ["30"])
        self.assertEqual(
            request.query["dataset"], ["economicref-france-sirene-v3@public"]
        )
        # Teachers look up; updating a company is the BDE managers' right.
        with self.assertRaises(AccessError):
            wizard.line_ids[0].update_partner()
        officer_wizard = (
            self.env["fr.siret.lookup"]
            .with_user(self.user_officer)
            .with_context(active_model="res.partner", active_id=prospect.id)
            .create({"name": "electricite rhone"})
        )
        officer_wizard.get_lines()
        officer_wizard.line_ids[0].update_partner()
        self.assertEqual(
            (prospect.siren, prospect.nic, prospect.zip, prospect.city),
            ("812345676", "00017", "69007", "LYON"),
        )
        self.assertFalse(prospect.bde_sirene_closed)

    def test_lookup_by_siret_fills_a_new_company(self):
        self.replay()
        values = self.env["res.partner"]._opendatasoft_get_from_siret(ACTIVE_SIRET)
        self.assertEqual(values["name"], "ELECTRICITE DU RHONE LYONNAIS")
        self.assertEqual(values["street"], "12 RUE DE GERLAND")
        self.assertEqual(values["country_id"], self.env.ref("base.fr").id)

    def test_directory_down_names_it_and_writes_nothing(self):
        self.replay_down()
        prospect = self.env["res.partner"].create(
            {"name": "Electricité du Rhône", "is_company": True}
        )
        wizard = (
            self.env["fr.siret.lookup"]
            .with_context(active_model="res.partner", active_id=prospect.id)
            .create({})
        )
        with self.assertRaisesRegex(UserError, "SIRENE directory.*connection failed"):
            wizard.get_lines()
        self.assertFalse(wizard.line_ids)
        # OCA's onchanges fill a form when they can, silently otherwise.
        self.assertFalse(
            self.env["res.partner"]._opendatasoft_get_from_siret(ACTIVE_SIRET)
        )

    def test_directory_error_on_a_lead_leaves_it_unchanged(self):
        self.replay(Answer(body=b'{"error": "quota"}', status=429))
        lead = self.env["crm.lead"].create(
            {
                "name": "Prospect",
                "partner_name": "Electricité",
                "bde_siret": ACTIVE_SIRET,
            }
        )
        with self.assertRaisesRegex(UserError, "SIRENE directory.*HTTP 429"):
            lead.action_bde_sirene_lookup()
        self.assertEqual(lead.partner_name, "Electricité")
        self.assertFalse(lead.street or lead.partner_id)

    def test_known_siret_in_the_wizard_opens_the_company(self):
        self.replay()
        known = self.env["res.partner"].create(
            {"name": "Électricité du Rhône", "is_company": True, "siret": ACTIVE_SIRET}
        )
        prospect = self.env["res.partner"].create(
            {"name": "Electricite Rhone", "is_company": True}
        )
        wizard = (
            self.env["fr.siret.lookup"]
            .with_context(active_model="res.partner", active_id=prospect.id)
            .create({"name": "electricite rhone"})
        )
        wizard.get_lines()
        action = wizard.line_ids.filtered(
            lambda line: line.siret == ACTIVE_SIRET
        ).update_partner()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", known.id)
        )
        self.assertFalse(prospect.siret)

    def test_one_active_company_per_siret(self):
        company = self.env["res.partner"].create(
            {
                "name": "Électricité du Rhône",
                "is_company": True,
                "siret": "812 345 676 00017",
            }
        )
        self.assertEqual((company.siren, company.nic), ("812345676", "00017"))
        with (
            self.assertRaisesRegex(ValidationError, "already the one of Électricité"),
            self.env.cr.savepoint(),
        ):
            self.env["res.partner"].with_user(self.user_other_lycee).create(
                {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
            )
        # Its contacts share its SIRET; another establishment has its own NIC.
        self.env["res.partner"].create({"name": "Paul Girard", "parent_id": company.id})
        self.env["res.partner"].create(
            {"name": "EDR Vénissieux", "is_company": True, "siret": SECOND_SIRET}
        )
        # An archived company leaves its SIRET to its successor.
        company.active = False
        successor = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        self.assertEqual(
            self.env["res.partner"]._bde_find_by_siret(ACTIVE_SIRET), successor
        )

    def test_typing_a_known_siret_warns(self):
        known = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        draft = self.env["res.partner"].new({"is_company": True, "siret": ACTIVE_SIRET})
        warning = draft._onchange_bde_siret_known()["warning"]
        self.assertIn("EDR", warning["message"])
        self.assertFalse(known._onchange_bde_siret_known())

    def test_siret_index_waits_for_the_duplicates_to_be_merged(self):
        first, second = self.env["res.partner"].create(
            [
                {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET},
                {"name": "EDR bis", "is_company": True, "siret": SECOND_SIRET},
            ]
        )
        self.env.flush_all()
        # As typed before the suite refused duplicates.
        self.env.cr.execute(f"DROP INDEX {SIRET_INDEX}")
        self.env.cr.execute(
            "UPDATE res_partner SET nic = %s WHERE id = %s", [first.nic, second.id]
        )
        with self.assertLogs(
            "odoo.addons.bde_lycee.models.res_partner_sirene", "WARNING"
        ) as logs:
            self.env["res.partner"].init()
        self.assertIn(str([first.id, second.id]), logs.output[0])
        self.assertFalse(self._siret_index())
        second.action_archive()
        self.env["res.partner"].init()
        self.assertTrue(self._siret_index())

    def _siret_index(self):
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = %s", [SIRET_INDEX]
        )
        return self.env.cr.fetchone()

    def test_invalid_siret_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create(
                {"name": "Faux", "is_company": True, "siret": "81234567600018"}
            )


class TestSireneLead(SireneCase):
    def _lead(self, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Prospect",
                "type": "opportunity",
                "team_id": self.env.ref("bde_lycee.crm_team_bde").id,
                "company_id": self.lycee.id,
                **values,
            }
        )

    def test_lookup_by_siret_fills_the_lead_and_conversion_creates_the_company(self):
        self.replay()
        lead = self._lead(partner_name="EDR", bde_siret="812 345 676 00017")
        lead.with_user(self.user_officer).action_bde_sirene_lookup()
        self.assertEqual(
            (lead.partner_name, lead.street, lead.zip, lead.city),
            ("ELECTRICITE DU RHONE LYONNAIS", "12 RUE DE GERLAND", "69007", "LYON"),
        )
        lead._handle_partner_assignment(create_missing=True)
        self.assertEqual(lead.partner_id.siret, ACTIVE_SIRET)
        self.assertTrue(lead.partner_id.is_company)

    def test_lookup_by_name_links_the_known_company(self):
        server = self.replay()
        known = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        lead = self._lead(partner_name="electricite rhone")
        lead.action_bde_sirene_lookup()
        self.assertEqual(lead.partner_id, known)
        self.assertEqual(server.requests[0].query["rows"], ["1"])

    def test_conversion_reuses_the_company_of_a_known_siret(self):
        known = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        lead = self._lead(
            partner_name="Électricité du Rhône",
            contact_name="Paul Girard",
            bde_siret=ACTIVE_SIRET,
        )
        self.assertEqual(lead._find_matching_partner(), known)
        count = self.env["res.partner"].search_count([("is_company", "=", True)])
        lead._handle_partner_assignment(create_missing=True)
        self.assertEqual(lead.partner_id.parent_id, known)
        self.assertEqual(
            self.env["res.partner"].search_count([("is_company", "=", True)]), count
        )

    def test_lookup_from_the_linked_company(self):
        server = self.replay()
        company = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        lead = self._lead(partner_id=company.id)
        lead.action_bde_sirene_lookup()
        self.assertEqual((lead.bde_siret, lead.partner_id), (ACTIVE_SIRET, company))
        self.assertEqual(server.requests[0].query["q"], [f"siret:{ACTIVE_SIRET}"])
        # A company known by its SIREN alone is looked up by the lead's name.
        company.siret = "812345676*****"
        lead = self._lead(partner_id=company.id, partner_name="electricite rhone")
        lead.action_bde_sirene_lookup()
        self.assertEqual(server.requests[1].query["q"], ["electricite rhone"])

    def test_unknown_siret_and_other_lycee(self):
        self.replay()
        lead = self._lead(bde_siret="73282932000082")
        with self.assertRaisesRegex(UserError, "knows no such establishment"):
            lead.action_bde_sirene_lookup()
        # Another lycée's BDE does not reach this lycée's lead.
        with self.assertRaises(AccessError):
            lead.with_user(self.user_other_lycee).action_bde_sirene_lookup()


class TestSireneClosed(SireneCase):
    def _companies(self, count):
        # Establishments of one SIREN, NICs 00100, 00200... with their key.
        bases = [f"798765434{i:03d}0" for i in range(1, count + 1)]
        valid = [base + luhn.calc_check_digit(base) for base in bases]
        return self.env["res.partner"].create(
            [
                {"name": f"Entreprise {i}", "is_company": True, "siret": siret}
                for i, siret in enumerate(valid)
            ]
        )

    def _refresh_answer(self, closed):
        def answer(request):
            # The directory answers the SIRETs it was asked, one closed.
            sirets = [
                term.removeprefix("siret:")
                for term in request.query["q"][0].split(" OR ")
            ]
            records = json.loads(_fixture("siret_active.json"))["records"][0]
            out = []
            for siret in sirets:
                fields_ = {**records["fields"], "siret": siret, "nic": siret[9:]}
                if siret == closed.siret:
                    fields_["etatadministratifetablissement"] = "Fermé"
                    fields_["datefermetureetablissement"] = "2025-06-30"
                out.append({**records, "fields": fields_})
            body = {"nhits": len(out), "parameters": {}, "records": out}
            return Answer(body=json.dumps(body).encode())

        return answer

    def test_refresh_flags_the_closed_in_batches(self):
        companies = self._companies(24)
        closed = companies[3]
        server = self.replay(self._refresh_answer(closed))
        companies.with_user(self.user_officer).action_bde_sirene_refresh()
        # 24 SIRETs, 20 a request.
        self.assertEqual(len(server.requests), 2)
        self.assertEqual(companies.filtered("bde_sirene_closed"), closed)
        self.assertEqual(str(closed.bde_sirene_closed_date), "2025-06-30")
        self.assertTrue(all(companies.mapped("bde_sirene_checked_on")))

    def test_refresh_queries_do_not_grow_with_the_companies(self):
        def queries(count):
            companies = self._companies(count)
            self.replay(self._refresh_answer(companies[0]))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            companies.action_bde_sirene_refresh()
            self.env.flush_all()
            self.assertTrue(companies[0].bde_sirene_closed)
            count = self.cr.sql_log_count - before
            companies.action_archive()
            return count

        self.assertEqual(queries(10), queries(50))

    def test_lookup_offered_on_the_partner_form_to_the_staff(self):
        action = self.env.ref("l10n_fr_siret_lookup.fr_siret_lookup_partner_action")
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(user)
                .get_bindings("res.partner")["action"]
            )
            self.assertIn(action.id, [binding["id"] for binding in bindings])

    def test_closed_establishment_left_out_of_tax_campaigns_and_lists(self):
        company = self.company_partner.with_company(self.lycee)
        company.write({"email": "contact@boulangerie-test.fr"})
        company.bde_partner_status = "active"
        contact = self.env["res.partner"].create(
            {
                "name": "Anne Meunier",
                "parent_id": company.id,
                "email": "anne@boulangerie-test.fr",
                "company_id": self.lycee.id,
            }
        )
        campaign = self.env["bde.tax.campaign"].create({"company_id": self.lycee.id})
        partners_list = self.env["mailing.list"]._bde_get_lycee_lists(
            self.lycee, ["partners"]
        )
        self.assertIn(company, campaign._get_target_partners())
        self.assertIn(contact, self._subscribers(partners_list))
        company.bde_sirene_closed = True
        self.assertNotIn(company, campaign._get_target_partners())
        self.assertNotIn(contact, self._subscribers(partners_list))
        company.bde_sirene_closed = False
        self.assertIn(contact, self._subscribers(partners_list))

    def _subscribers(self, mailing_list):
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "=", mailing_list.id), ("opt_out", "=", False)]
        )
        return subscriptions.contact_id.bde_partner_id

    def test_migration_splits_the_sirets_left_whole(self):
        site = self.env["res.partner"].create(
            {
                "name": "Boulangerie Test, fournil",
                "parent_id": self.company_partner.id,
                "type": "other",
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET siret = %s, siren = NULL, nic = NULL WHERE id = %s",
            ["73282932000082", site.id],
        )
        migration = _load_migration()
        self.assertEqual(migration.split_sirets(self.env.cr), 1)
        self.env.invalidate_all()
        self.assertEqual((site.siren, site.nic), ("732829320", "00082"))
        self.assertEqual(self.company_partner.nic, "00074")


def _fixture(name):
    path = Path(get_module_path("bde_lycee")) / "tests/fixtures/sirene" / name
    return path.read_text()


def _load_migration():
    path = (
        Path(get_module_path("bde_lycee"))
        / "migrations/18.0.2.2.0/post-migrate-siret.py"
    )
    spec = importlib.util.spec_from_file_location("bde_post_migrate_siret", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
