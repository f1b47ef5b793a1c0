import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import BdeLyceeCase

SIECLE_CSV = (
    "INE;NOM;PRENOM;DATE NAISS;DIVISION;NOM REPRESENTANT LEGAL\r\n"
    "2610012345A;NGUYEN;Inès;14/05/2010;2 MCV T;Thi Mai NGUYEN\r\n"
).encode()


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
@freeze_time("2026-10-05")
class TestTransientAccess(BdeLyceeCase):
    """Wizards are their creator's alone, in the creator's lycées: no
    colleague, no other lycée, no holder of the model's access right reads
    them or the files they hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_officer2 = cls._make_user(
            "bde_officer2", "bde_lycee.group_bde_officer"
        )
        cls.env["bde.class"].create(
            {
                "name": "2 MCV T",
                "formation_id": cls.formation.id,
                "school_year": "2026-2027",
                "company_id": cls.lycee.id,
            }
        )

    def _assert_creator_only(self, wizard, field_names, others):
        """Only the creator finds, reads and writes ``wizard``."""
        self.assertTrue(wizard.read(field_names))
        for user in others:
            Model = wizard.with_user(user).browse()
            self.assertFalse(Model.search([("id", "=", wizard.id)]), user.login)
            with self.assertRaises(AccessError, msg=user.login):
                wizard.with_user(user).read(field_names)
            with self.assertRaises(AccessError, msg=user.login):
                wizard.with_user(user).write({})

    def _assert_not_downloadable(self, wizard, field_name, others):
        """/web/content finds the record through ir.binary, which checks the
        user's read access: refused to anyone but the creator."""
        stream = self.env["ir.binary"].with_user(wizard.create_uid)
        self.assertEqual(
            stream._find_record(
                res_model=wizard._name, res_id=wizard.id, field=field_name
            ),
            wizard,
        )
        for user in others:
            with self.assertRaises(AccessError, msg=user.login):
                self.env["ir.binary"].with_user(user)._find_record(
                    res_model=wizard._name, res_id=wizard.id, field=field_name
                )

    def _attachments(self, wizard, user=None):
        """The attachments of ``wizard``, those of its binary fields included
        (which a search skips unless it names res_field)."""
        Attachment = self.env["ir.attachment"]
        Attachment = Attachment.with_user(user) if user else Attachment.sudo()
        return Attachment.search(
            [
                ("res_model", "=", wizard._name),
                ("res_id", "=", wizard.id),
                "|",
                ("res_field", "=", False),
                ("res_field", "!=", False),
            ]
        )

    def test_every_wizard_of_the_suite_has_a_creator_rule(self):
        transient = [
            name
            for name, model in self.env.registry.models.items()
            if model._transient and name.startswith("bde.")
        ]
        self.assertIn("bde.student.import", transient)
        for name in transient:
            rules = self.env["ir.rule"].search(
                [("model_id.model", "=", name), ("global", "=", True)]
            )
            self.assertTrue(
                any("('create_uid', '=', user.id)" in r.domain_force for r in rules),
                f"{name} has no global rule keeping it to its creator",
            )

    def test_siecle_file_is_its_creators_and_goes_once_imported(self):
        wizard = (
            self.env["bde.student.import"]
            .with_user(self.user_officer)
            .create(
                {
                    "file": base64.b64encode(SIECLE_CSV),
                    "file_name": "siecle.csv",
                    "school_year": "2026-2027",
                }
            )
        )
        others = (self.user_officer2, self.user_manager, self.user_other_lycee)
        self._assert_creator_only(wizard, ["file", "result"], others)
        self._assert_not_downloadable(wizard, "file", others)
        # The uploaded file is an attachment of the wizard, behind its rule.
        self.assertEqual(len(self._attachments(wizard)), 1)
        for user in others:
            self.assertFalse(self._attachments(wizard, user), user.login)
        wizard.action_check()
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.created_count, 1)
        self.assertFalse(wizard.file)
        self.assertFalse(self._attachments(wizard))

    def test_siecle_import_for_another_lycee_is_refused(self):
        Import = self.env["bde.student.import"].with_user(self.user_officer)
        with self.assertRaises(AccessError):
            Import.create(
                {
                    "file": base64.b64encode(SIECLE_CSV),
                    "school_year": "2026-2027",
                    "company_id": self.other_lycee.id,
                }
            )

    def test_convention_export_is_its_creators(self):
        self.env["bde.partnership.convention"].create(
            {
                "partner_id": self.company_partner.id,
                "company_id": self.lycee.id,
                "date_start": "2026-09-01",
                "date_end": "2027-08-31",
            }
        )
        wizard = (
            self.env["bde.partnership.convention.export"]
            .with_user(self.user_officer)
            .create({"state_filter": "all"})
        )
        wizard.action_export()
        self.assertTrue(wizard.file)
        # The file lives in the wizard's row: no attachment outlives it.
        self.assertFalse(self._attachments(wizard))
        others = (self.user_officer2, self.user_manager, self.user_other_lycee)
        self._assert_creator_only(wizard, ["file", "filename"], others)
        self._assert_not_downloadable(wizard, "file", others)

    def test_skill_need_export_is_its_creators(self):
        need = self.env["bde.skill.need"].create(
            {
                "partner_id": self.company_partner.id,
                "company_id": self.lycee.id,
                "job_title": "Vendeur",
                "formation_id": self.formation.id,
                "headcount": 2,
            }
        )
        wizard = (
            self.env["bde.skill.need.export"]
            .with_user(self.user_teacher)
            .create({"skill_need_ids": [(6, 0, need.ids)]})
        )
        wizard.action_export()
        self.assertTrue(wizard.file)
        others = (self.user_officer, self.user_manager)
        self._assert_creator_only(wizard, ["file"], others)
        self._assert_not_downloadable(wizard, "file", others)

    def test_wizard_of_a_user_removed_from_the_lycee_is_out_of_reach(self):
        user = new_test_user(
            self.env,
            login="bde_leaving",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id, self.other_lycee.id],
        )
        wizard = (
            self.env["bde.student.import"]
            .with_user(user)
            .with_company(self.other_lycee)
            .create({"file": base64.b64encode(SIECLE_CSV), "school_year": "2026-2027"})
        )
        self.assertEqual(wizard.company_id, self.other_lycee)
        user.company_ids = self.lycee
        with self.assertRaises(AccessError):
            wizard.with_user(user).read(["file"])


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestTransientDownload(HttpCase, BdeLyceeCase):
    """The download link of an export answers its creator only."""

    def test_export_link_answers_its_creator_only(self):
        self.env["bde.partnership.convention"].create(
            {
                "partner_id": self.company_partner.id,
                "company_id": self.lycee.id,
                "date_start": "2026-09-01",
                "date_end": "2027-08-31",
            }
        )
        self._make_user("bde_officer2", "bde_lycee.group_bde_officer")
        wizard = (
            self.env["bde.partnership.convention.export"]
            .with_user(self.user_officer)
            .create({"state_filter": "all"})
        )
        url = wizard.action_export()["url"]
        self.authenticate("bde_officer", "bde_officer")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        for login in ("bde_officer2", "bde_manager", "bde_other_officer"):
            self.authenticate(login, login)
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, login)
            self.assertNotIn("Content-Disposition", response.headers, login)
