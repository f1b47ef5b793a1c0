import ast
from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestBdeEvents(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.forum_type = cls.env.ref("bde_lycee.event_type_job_forum")
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Paul Meunier",
                "parent_id": cls.company_partner.id,
                "email": "paul.meunier@boulangerie-test.fr",
            }
        )
        cls.forum = cls.env["event.event"].create(
            {
                "name": "Forum des métiers test",
                "event_type_id": cls.forum_type.id,
                "date_begin": datetime(2027, 2, 11, 8, 0),
                "date_end": datetime(2027, 2, 11, 16, 0),
                "company_id": cls.lycee.id,
            }
        )

    def _participate(self, event=None, contact=None, role="stand", **values):
        return self.env["bde.event.participation"].create(
            {
                "event_id": (event or self.forum).id,
                "partner_id": self.company_partner.id,
                "contact_id": contact.id if contact else False,
                "role": role,
                **values,
            }
        )

    def test_event_types_defaults(self):
        for xmlid in (
            "event_type_job_forum",
            "event_type_tutor_reception",
            "event_type_diploma_ceremony",
            "event_type_class_intervention",
            "event_type_company_visit",
        ):
            event_type = self.env.ref(f"bde_lycee.{xmlid}")
            self.assertTrue(event_type.bde_is_bde_type)
            self.assertTrue(event_type.has_seats_limitation)
            self.assertIn(
                self.env.ref("event.event_reminder"),
                event_type.event_type_mail_ids.mapped("template_ref"),
            )
        self.assertTrue(self.forum_type.website_menu)
        self.assertTrue(
            self.env.ref("bde_lycee.event_type_diploma_ceremony").website_menu
        )
        self.assertFalse(
            self.env.ref("bde_lycee.event_type_class_intervention").website_menu
        )
        # The event takes the type's defaults: seats, menu and reminder.
        self.assertEqual(self.forum.seats_max, 300)
        self.assertTrue(self.forum.website_menu)
        self.assertEqual(len(self.forum.event_mail_ids), 2)

    def test_bde_event_flag(self):
        other = self.env["event.event"].create(
            {
                "name": "Kermesse",
                "date_begin": datetime(2027, 6, 1, 8, 0),
                "date_end": datetime(2027, 6, 1, 18, 0),
            }
        )
        self.assertTrue(self.forum.bde_is_bde_event)
        self.assertFalse(other.bde_is_bde_event)
        action = self.env.ref("bde_lycee.event_event_action_bde")
        events = self.env["event.event"].search(ast.literal_eval(action.domain))
        self.assertIn(self.forum, events)
        self.assertNotIn(other, events)
        other.event_type_id = self.env.ref("bde_lycee.event_type_company_visit")
        self.assertTrue(other.bde_is_bde_event)

    def test_participations_and_partner_count(self):
        self._participate(contact=self.contact, role="stand", state="confirmed")
        self._participate(contact=self.contact, role="speaker")
        self._participate(role="sponsor", state="cancelled")
        self.assertEqual(self.forum.bde_participation_count, 2)
        self.assertEqual(self.company_partner.bde_event_participation_count, 3)
        action = self.company_partner.action_bde_view_event_participations()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            self.forum.bde_participation_ids,
        )

    def test_participation_unique(self):
        self._participate(contact=self.contact)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._participate(contact=self.contact)

    def test_participation_unique_without_contact(self):
        self._participate(role="sponsor")
        self._participate(role="stand")
        with self.assertRaisesRegex(ValidationError, "Boulangerie Test"):
            self._participate(role="sponsor")

    def test_participation_contact_of_partner(self):
        stranger = self.env["res.partner"].create({"name": "Jean Personne"})
        with self.assertRaisesRegex(ValidationError, "Jean Personne"):
            self._participate(contact=stranger)

    def test_participation_access_rights(self):
        participation = self._participate(contact=self.contact)
        Participation = self.env["bde.event.participation"]
        self.assertEqual(participation.with_user(self.user_teacher).role, "stand")
        with self.assertRaises(AccessError):
            Participation.with_user(self.user_teacher).create(
                {"event_id": self.forum.id, "partner_id": self.company_partner.id}
            )
        with self.assertRaises(AccessError):
            participation.with_user(self.user_officer).unlink()
        created = Participation.with_user(self.user_officer).create(
            {
                "event_id": self.forum.id,
                "partner_id": self.company_partner.id,
                "role": "speaker",
            }
        )
        self.assertEqual(created.company_id, self.lycee)
        # Another lycée does not see the partners of this lycée's events.
        self.assertFalse(
            Participation.with_user(self.user_other_lycee).search(
                [("event_id", "=", self.forum.id)]
            )
        )

    def _lycee_list(self, sync_rule):
        return self.env["mailing.list"].search(
            [("bde_sync_rule", "=", sync_rule), ("company_id", "=", self.lycee.id)]
        )

    def test_invite_partners_mailing(self):
        action = self.forum.with_user(self.user_officer).action_bde_invite_partners()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "mailing.mailing")
        self.assertEqual(mailing.state, "draft")
        self.assertEqual(mailing.mailing_model_id.model, "mailing.list")
        # The partners' list of the event's lycée, not the shipped one.
        self.assertEqual(
            mailing.contact_list_ids,
            self._lycee_list("partners"),
        )
        self.assertEqual(mailing.company_id, self.lycee)
        self.assertIn(self.forum.name, mailing.subject)
        url = (
            f"{self.forum.get_base_url()}/event/{self.env['ir.http']._slug(self.forum)}"
        )
        self.assertIn(url, mailing.body_html)
        self.assertIn(url, mailing.body_arch)

    def test_invite_tutors_to_reception(self):
        reception = self.forum.copy(
            {"event_type_id": self.env.ref("bde_lycee.event_type_tutor_reception").id}
        )
        mailing = self.env["mailing.mailing"].browse(
            reception.action_bde_invite_partners()["res_id"]
        )
        self.assertEqual(mailing.contact_list_ids, self._lycee_list("tutors"))

    def test_invite_partners_requires_mailing_rights(self):
        event_user = new_test_user(
            self.env,
            login="bde_event_only",
            groups="base.group_user,event.group_event_user",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        with self.assertRaises(AccessError):
            self.forum.with_user(event_user).action_bde_invite_partners()


@tagged("post_install", "-at_install", "bde_lycee")
class TestBdeEventWebsite(HttpCase):
    def _create_event(self, published):
        start = datetime.now().replace(microsecond=0) + timedelta(days=30)
        return self.env["event.event"].create(
            {
                "name": "Forum des métiers en ligne",
                "event_type_id": self.env.ref("bde_lycee.event_type_job_forum").id,
                "date_begin": start,
                "date_end": start + timedelta(hours=8),
                "is_published": published,
            }
        )

    def test_register_page_of_published_event(self):
        event = self._create_event(published=True)
        self.assertTrue(event.event_registrations_open)
        response = self.url_open(f"{event.website_url}/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Forum des métiers en ligne", response.text)

    def test_register_page_of_unpublished_event(self):
        event = self._create_event(published=False)
        with mute_logger("odoo.http"):
            response = self.url_open(f"{event.website_url}/register")
        self.assertNotEqual(response.status_code, 200)
