from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestCeremonyInvitation(BdeAlumniCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.ceremony_type = cls.env.ref("bde_lycee.event_type_diploma_ceremony")
        cls.event = cls.env["event.event"].create(
            {
                "name": "Remise des diplômes test",
                "event_type_id": cls.ceremony_type.id,
                "date_begin": "2026-06-30 16:00:00",
                "date_end": "2026-06-30 19:00:00",
                "company_id": cls.lycee.id,
            }
        )
        # The graduating class: the alumni (both consents), a student still
        # at school, an alumni who refused contact, a student without e-mail.
        cls.alumni_guardian = Partner.create(
            {"name": "Parent Martin", "email": "parent.martin@example.com"}
        )
        cls.alumni.bde_legal_guardian_id = cls.alumni_guardian
        cls.student_guardian = Partner.create(
            {"name": "Parent Durand", "email": "parent.durand@example.com"}
        )
        cls.student_at_school = cls._make_member(
            "Tom Durand",
            email="tom.durand@example.com",
            bde_legal_guardian_id=cls.student_guardian.id,
        )
        cls.refusing_guardian = Partner.create(
            {"name": "Parent Petit", "email": "parent.petit@example.com"}
        )
        cls.alumni_refusing = cls._make_member(
            "Zoé Petit",
            email="zoe.petit@example.com",
            bde_is_student=False,
            bde_class_id=False,
            bde_is_alumni=True,
            bde_exit_class_id=cls.school_class.id,
            bde_legal_guardian_id=cls.refusing_guardian.id,
        )
        cls.student_no_email = cls._make_member("Jules Sansmail")
        # Placements: the alumni's tutor at the active partner; the student's
        # tutor at a prospect company that hosted him.
        cls.tutor = Partner.create(
            {
                "name": "Paul Tuteur",
                "email": "paul.tuteur@example.com",
                "parent_id": cls.company_partner.id,
                "bde_is_tutor": True,
            }
        )
        cls.partner_contact = Partner.create(
            {
                "name": "Anne Gérante",
                "email": "anne.gerante@example.com",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.host = Partner.create(
            {
                "name": "Garage Hôte",
                "is_company": True,
                "bde_partner_status": "prospect",
            }
        )
        cls.host_tutor = Partner.create(
            {
                "name": "Marc Garage",
                "email": "marc.garage@example.com",
                "parent_id": cls.host.id,
                "bde_is_tutor": True,
            }
        )
        cls.host_contact = Partner.create(
            {
                "name": "Accueil Garage",
                "email": "accueil.garage@example.com",
                "parent_id": cls.host.id,
            }
        )
        cls.period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP test",
                "class_id": cls.school_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )
        Placement = cls.env["bde.pfmp.placement"]
        Placement.create(
            {
                "student_id": cls.alumni.id,
                "period_id": cls.period.id,
                "partner_id": cls.company_partner.id,
                "tutor_id": cls.tutor.id,
            }
        )
        Placement.create(
            {
                "student_id": cls.student_at_school.id,
                "period_id": cls.period.id,
                "partner_id": cls.host.id,
                "tutor_id": cls.host_tutor.id,
            }
        )
        # Not invited: a prospect nobody did a placement with, a class of
        # another school year, a class of the other lycée.
        prospect = Partner.create(
            {
                "name": "Prospect SARL",
                "is_company": True,
                "bde_partner_status": "prospect",
            }
        )
        Partner.create(
            {
                "name": "Jean Prospect",
                "email": "jean@prospect.example.com",
                "parent_id": prospect.id,
            }
        )
        cls.old_class = cls.env["bde.class"].create(
            {
                "name": "T MCV test 2024",
                "formation_id": cls.formation.id,
                "school_year": "2024-2025",
                "mef_stat4": "2383",
                "company_id": cls.lycee.id,
            }
        )
        cls.old_student = cls._make_member(
            "Ancien 2025", email="ancien@example.com", bde_class_id=cls.old_class.id
        )
        cls.other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV voisin",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "mef_stat4": "2383",
                "company_id": cls.other_lycee.id,
            }
        )

    @classmethod
    def _make_member(cls, name, **vals):
        values = {
            "name": name,
            "bde_is_student": True,
            "bde_class_id": cls.school_class.id,
            "company_id": cls.lycee.id,
        }
        values.update(vals)
        return cls.env["res.partner"].create(values)

    def _wizard(self, user=None):
        event = self.event.with_user(user) if user else self.event
        action = event.action_bde_invite_graduates()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.env.user)
            .with_context(action["context"])
        )

    def test_button_only_on_ceremonies(self):
        self.assertTrue(self.event.bde_is_diploma_ceremony)
        forum = self.event.copy(
            {"event_type_id": self.env.ref("bde_lycee.event_type_job_forum").id}
        )
        self.assertFalse(forum.bde_is_diploma_ceremony)

    def test_alumni_meeting_invites_the_alumni(self):
        meeting = self.event.copy(
            {"event_type_id": self.env.ref("bde_alumni.event_type_alumni_meeting").id}
        )
        self.assertFalse(meeting.bde_is_diploma_ceremony)
        self.assertTrue(meeting.bde_is_bde_event)
        action = meeting.action_bde_invite_partners()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        self.assertEqual(
            mailing.contact_list_ids,
            self.env["mailing.list"].search(
                [("bde_sync_rule", "=", "alumni"), ("company_id", "=", self.lycee.id)]
            ),
        )

    def test_default_classes_of_the_school_year(self):
        wizard = self._wizard()
        self.assertEqual(wizard.class_ids[:], self.school_class)

    def test_recipients_and_counts(self):
        wizard = self._wizard().save()
        self.assertEqual(wizard.graduate_ids, self.alumni | self.student_at_school)
        self.assertEqual(
            wizard.family_ids, self.alumni_guardian | self.student_guardian
        )
        self.assertEqual(wizard.tutor_ids, self.tutor | self.host_tutor)
        # The contacts with an e-mail of every active partner of the
        # ceremony's lycée and of the hosts, the tutors counted as tutors.
        hosts = self.host | self.company_partner
        companies = hosts | self.env["res.partner"].with_company(self.lycee).search(
            [("is_company", "=", True), ("bde_partner_status", "=", "active")]
        )
        expected_partners = (
            self.env["res.partner"].search(
                [
                    ("commercial_partner_id", "in", companies.ids),
                    ("email_normalized", "!=", False),
                    ("bde_is_student", "=", False),
                    ("bde_is_alumni", "=", False),
                ]
            )
            - wizard.tutor_ids
        )
        self.assertEqual(wizard.partner_ids, expected_partners)
        self.assertIn(self.partner_contact, wizard.partner_ids)
        self.assertIn(self.host_contact, wizard.partner_ids)
        self.assertNotIn(
            "jean@prospect.example.com", wizard.partner_ids.mapped("email")
        )
        self.assertRecordValues(
            wizard,
            [
                {
                    "graduate_count": 2,
                    "family_count": 2,
                    "tutor_count": 2,
                    "partner_count": len(wizard.partner_ids),
                    "recipient_count": 6 + len(wizard.partner_ids),
                }
            ],
        )

    def test_active_partners_of_the_ceremony_s_lycee_only(self):
        Partner = self.env["res.partner"]
        ours, theirs = Partner.create(
            [
                {"name": "Partenaire du lycée", "is_company": True},
                {"name": "Partenaire de l'autre lycée", "is_company": True},
            ]
        )
        ours.with_company(self.lycee).bde_partner_status = "active"
        theirs.with_company(self.other_lycee).bde_partner_status = "active"
        our_contact, their_contact = Partner.create(
            [
                {"name": "Nous", "email": "nous@example.com", "parent_id": ours.id},
                {"name": "Eux", "email": "eux@example.com", "parent_id": theirs.id},
            ]
        )
        wizard = self._wizard().save()
        self.assertIn(our_contact, wizard.partner_ids)
        self.assertNotIn(their_contact, wizard.partner_ids)

    def test_mailing_lists_exactly_the_recipients(self):
        wizard = self._wizard().save()
        action = wizard.action_create_mailing()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        expected = (
            self.alumni
            | self.student_at_school
            | self.alumni_guardian
            | self.student_guardian
            | self.tutor
            | self.host_tutor
            | wizard.partner_ids
        )
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertEqual(mailing.state, "draft")
        self.assertEqual(mailing.subject, "Invitation: Remise des diplômes test")
        self.assertIn(self.event._get_bde_public_url(), mailing.body_html)
        recipients = self.env["res.partner"].search(mailing._get_recipients_domain())
        self.assertEqual(recipients, expected)
        for excluded in (
            self.alumni_refusing,
            self.refusing_guardian,
            self.student_no_email,
            self.old_student,
        ):
            self.assertNotIn(excluded, recipients)

    def test_other_classes_can_be_chosen(self):
        form = self._wizard()
        form.class_ids.clear()
        form.class_ids.add(self.old_class)
        wizard = form.save()
        self.assertEqual(wizard.graduate_ids, self.old_student)
        self.assertFalse(wizard.family_ids | wizard.tutor_ids)

    def test_nobody_to_invite(self):
        self.env["res.partner"].with_company(self.lycee).search(
            [("bde_partner_status", "=", "active")]
        ).bde_partner_status = "former"
        form = self._wizard()
        form.class_ids.clear()
        wizard = form.save()
        self.assertEqual(wizard.recipient_count, 0)
        with self.assertRaises(UserError):
            wizard.action_create_mailing()
        self.assertFalse(
            self.env["mailing.mailing"].search(
                [("subject", "=", "Invitation: Remise des diplômes test")]
            )
        )

    def test_officer_prepares_teacher_cannot(self):
        wizard = self._wizard(self.user_officer).save()
        wizard.action_create_mailing()
        with self.assertRaises(AccessError):
            self.env["bde.alumni.ceremony.invitation"].with_user(
                self.user_teacher
            ).create({"event_id": self.event.id})
