from ast import literal_eval

from freezegun import freeze_time

from odoo.tests import tagged

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestConsent(BdeAlumniCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alumni_list = cls.env["mailing.list"]._bde_get_lycee_lists(
            cls.lycee, ["alumni"]
        )
        cls.other_alumni = cls.env["res.partner"].create(
            {
                "name": "Nora Haddad",
                "email": "nora.haddad@example.com",
                "bde_is_alumni": True,
                "bde_exit_class_id": cls.school_class.id,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": 2026,
                "bde_exit_date": "2026-07-04",
                "company_id": cls.lycee.id,
            }
        )

    def _list_partners(self):
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "=", self.alumni_list.id), ("opt_out", "=", False)]
        )
        return subscriptions.contact_id.bde_partner_id

    def _directory(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_alumni.res_partner_action_alumni_directory"
        )
        return self.env["res.partner"].search(literal_eval(action["domain"]))

    @freeze_time("2026-07-04 10:00:00")
    def test_consent_is_dated_with_its_source(self):
        self.other_alumni._bde_alumni_give_consent(contact=True, source="phone")
        self.assertTrue(self.other_alumni.bde_alumni_contact_consent)
        self.assertEqual(
            str(self.other_alumni.bde_alumni_contact_consent_date),
            "2026-07-04 10:00:00",
        )
        self.assertEqual(self.other_alumni.bde_alumni_contact_consent_source, "phone")
        self.assertFalse(self.other_alumni.bde_alumni_network_consent)

    def test_only_consenting_alumni_in_the_list_and_directory(self):
        self.assertIn(self.alumni, self._list_partners())
        self.assertNotIn(self.other_alumni, self._list_partners())
        self.assertIn(self.alumni, self._directory())
        self.assertNotIn(self.other_alumni, self._directory())

        self.other_alumni._bde_alumni_give_consent(
            network=True, contact=True, source="website"
        )
        self.assertIn(self.other_alumni, self._list_partners())
        self.assertIn(self.other_alumni, self._directory())

    def test_withdrawal_in_one_click(self):
        self.alumni.with_user(self.user_officer).action_bde_alumni_withdraw_consent()
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        self.assertFalse(self.alumni.bde_alumni_network_consent_date)
        self.assertFalse(self.alumni.bde_alumni_contact_consent)
        self.assertFalse(self.alumni.bde_alumni_contact_consent_date)
        self.assertNotIn(self.alumni, self._list_partners())
        self.assertNotIn(self.alumni, self._directory())

    def test_unsubscribing_from_the_footer_withdraws_contact_consent(self):
        # what mass_mailing's unsubscribe page does for a mailing to the list
        self.alumni_list.sudo()._update_subscription_from_email(
            "lea.martin@example.com", opt_out=True
        )
        self.assertFalse(self.alumni.bde_alumni_contact_consent)
        self.assertTrue(self.alumni.bde_alumni_network_consent)
        self.assertNotIn(self.alumni, self._list_partners())
        self.assertIn(
            "consent to be contacted withdrawn", self.alumni.message_ids[0].body
        )

        # the daily sync never subscribes them again
        self.env["mailing.list"]._bde_sync_mailing_lists()
        self.assertNotIn(self.alumni, self._list_partners())

    def test_students_are_never_in_the_alumni_list(self):
        self.student_no_alumni = self.env["res.partner"].create(
            {
                "name": "Tom Petit",
                "email": "tom.petit@example.com",
                "bde_is_student": True,
                "bde_alumni_contact_consent": True,
                "company_id": self.lycee.id,
            }
        )
        self.assertNotIn(self.student_no_alumni, self._list_partners())
