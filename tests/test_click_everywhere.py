"""Every menu of the Bureau des entreprises app, every view of its actions and
every filter of their search views open without a client error (Odoo's
clickbot, as in Odoo's own test_click_everywhere), for the administrator and
for the BDE manager, and for the most restricted roles: a teacher and the
academic correspondent."""

from odoo.tests import HttpCase, new_test_user, tagged

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('bde_lycee.bde_menu_root');"
)


@tagged("post_install", "-at_install", "bde_tour")
class TestBdeClickEverywhere(HttpCase):
    # the dashboards are forms: the bot ends on them
    allow_end_on_form = True

    def _click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=login,
            timeout=900,
            success_signal="clickbot test succeeded",
        )

    def test_as_admin(self):
        self._click_everywhere("admin")

    def test_as_bde_officer(self):
        new_test_user(
            self.env,
            login="click_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
        )
        self._click_everywhere("click_officer")

    def test_as_teacher(self):
        new_test_user(
            self.env,
            login="click_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
        )
        self._click_everywhere("click_teacher")

    def test_as_network_reader(self):
        new_test_user(
            self.env,
            login="click_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
        )
        self._click_everywhere("click_reader")
