import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp", "multi_company")
class TestPfmpTransientAccess(BdePfmpCase):
    """The APLyPro spreadsheet and the uploaded national table are their
    creator's alone; the table's file goes once applied."""

    def _assert_creator_only(self, wizard, field_name, others):
        self.assertTrue(wizard[field_name])
        for user in others:
            with self.assertRaises(AccessError, msg=user.login):
                wizard.with_user(user).read([field_name])
            # /web/content finds the record through ir.binary.
            with self.assertRaises(AccessError, msg=user.login):
                self.env["ir.binary"].with_user(user)._find_record(
                    res_model=wizard._name, res_id=wizard.id, field=field_name
                )

    def test_aplypro_spreadsheet_is_its_creators(self):
        self._make_placement(state="done", days_done=10)
        user_officer2 = self._make_user("bde_officer2", "bde_lycee.group_bde_officer")
        wizard = (
            self.env["bde.allowance.export"]
            .with_user(self.user_officer)
            .create({"class_ids": [(6, 0, self.school_class.ids)]})
        )
        wizard.action_export()
        self._assert_creator_only(
            wizard, "file", (user_officer2, self.user_manager, self.user_other_lycee)
        )

    def test_national_table_goes_once_applied(self):
        with file_open("bde_pfmp/tests/data/wages_sample.csv", "rb") as file:
            content = base64.b64encode(file.read())
        admin = self.env.ref("base.user_admin")
        wizard = (
            self.env["bde.allowance.rate.import"]
            .with_user(admin)
            .create({"file": content, "school_year": "2030-2031"})
        )
        other_admin = new_test_user(
            self.env,
            login="bde_other_admin",
            groups="base.group_user,base.group_system,bde_lycee.group_bde_manager",
        )
        self._assert_creator_only(wizard, "file", (other_admin,))
        wizard.action_preview()
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        self.assertFalse(wizard.file)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", wizard._name),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "file"),
                ]
            )
        )
