from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.bde_lycee.school_year import lycee_today, school_year_of

from .board_common import BdeBoardCase
from .common import BdeLyceeCase


class TestBoard(BdeBoardCase):
    board_actions = (
        "bde_lycee.bde_lycee_report_action",
        "bde_lycee.crm_lead_action_bde_funnel",
        "bde_lycee.bde_tax_report_action",
        "bde_lycee.bde_convention_report_action",
        "bde_lycee.bde_event_report_action",
    )

    def _board_action_ids(self, user):
        view = self.env.ref("bde_lycee.bde_dashboard_board_view_form")
        arch = self.env["board.board"].with_user(user).get_view(view.id)["arch"]
        return [int(node.get("name")) for node in etree.fromstring(arch).iter("action")]

    def test_board_lists_the_reports(self):
        expected = [self.env.ref(xmlid).id for xmlid in self.board_actions]
        self.assertEqual(
            sorted(self._board_action_ids(self.user_officer)), sorted(expected)
        )

    def test_teacher_board_without_the_funnel(self):
        # A teacher reads no lead: the funnel is left out of their board.
        ids = self._board_action_ids(self.user_teacher)
        self.assertNotIn(self.env.ref("bde_lycee.crm_lead_action_bde_funnel").id, ids)
        self.assertEqual(len(ids), len(self.board_actions) - 1)

    def test_actions_load_as_bde_manager(self):
        Action = self.env["ir.actions.act_window"].with_user(self.user_officer)
        for xmlid in ("bde_lycee.bde_dashboard_board_action", *self.board_actions):
            with self.subTest(action=xmlid):
                action = Action._for_xml_id(xmlid)
                self.assertTrue(action["path"])
                if action["res_model"] == "board.board":
                    continue
                self.assertIn("search_default_current_school_year", action["context"])
                self.assertLessEqual(
                    {"graph", "pivot", "list"}, set(action["view_mode"].split(","))
                )
                self.env[action["res_model"]].with_user(
                    self.user_officer
                ).web_read_group([], ["__count"], ["company_id"])


@tagged("post_install", "-at_install")
class TestBoardHttp(HttpCase):
    def test_board_and_its_actions_load_over_http(self):
        new_test_user(
            self.env,
            login="bde_board_http_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
        )
        self.authenticate("bde_board_http_officer", "bde_board_http_officer")
        board = self.make_jsonrpc_request(
            "/web/action/load", {"action_id": "bde-dashboard-board"}
        )
        self.assertEqual(board["res_model"], "board.board")
        view = self.env["board.board"].get_view(board["view_id"][0])
        for node in etree.fromstring(view["arch"]).iter("action"):
            with self.subTest(action=node.get("string")):
                action = self.make_jsonrpc_request(
                    "/web/action/load", {"action_id": int(node.get("name"))}
                )
                self.assertIn(node.get("view_mode"), action["view_mode"])


@tagged("post_install", "-at_install")
class TestBoardTour(HttpCase, BdeLyceeCase):
    """The board in Chromium, on the school year of the day the test runs."""

    def test_board_tour(self):
        team = self.env.ref("bde_lycee.crm_team_bde")
        first_stage = self.env["crm.stage"].search(
            [("team_id", "=", team.id)], order="sequence, id", limit=1
        )
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Board lead {i}",
                    "type": "opportunity",
                    "team_id": team.id,
                    "stage_id": first_stage.id,
                    "company_id": self.lycee.id,
                }
                for i in (1, 2, 3)
            ]
        )
        year = int(school_year_of(lycee_today())[5:])
        self.env["bde.tax.campaign"].create(
            {
                "name": "Board campaign target",
                "year": year,
                "company_id": self.lycee.id,
                "amount_target": 4000,
            }
        )
        self.start_tour(
            "/odoo/bde-dashboard-board", "bde_lycee_board_tour", login="bde_officer"
        )
