from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestNetworkReader(BdeLyceeCase):
    """The academic correspondent follows two lycées: they read figures,
    never a named student or guardian, by any ORM path; the head of school,
    a network reader too, keeps every partner of their own lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.guardian = Partner.create(
            {"name": "Nadia Martin", "company_id": cls.lycee.id}
        )
        cls.student.bde_legal_guardian_id = cls.guardian
        cls.other_student = Partner.create(
            {
                "name": "Jade Martin",
                "bde_is_student": True,
                "bde_ine": "1234567899Z",
                "bde_birthdate": "2009-01-02",
                "company_id": cls.other_lycee.id,
            }
        )
        cls.persons = cls.student | cls.guardian | cls.other_student
        both = [cls.lycee.id, cls.other_lycee.id]
        cls.user_network = new_test_user(
            cls.env,
            login="bde_network",
            # allowed to export: the export then meets the record rule
            groups="base.group_user,base.group_allow_export,"
            "bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=both,
        )
        cls.both = cls.env["res.company"].browse(both)

    def _partners(self, user):
        # The reader works with both lycées selected: the widest they may see.
        return (
            self.env["res.partner"]
            .with_user(user)
            .with_context(allowed_company_ids=self.both.ids)
        )

    def test_reader_reads_no_student_or_guardian_by_any_path(self):
        Partner = self._partners(self.user_network)
        self.assertFalse(Partner.search([("id", "in", self.persons.ids)]))
        self.assertFalse(Partner.search_count([("bde_is_student", "=", True)]))
        self.assertFalse(Partner.search([("bde_ine", "=", "1234567890A")]))
        found = {pid for pid, _name in Partner.name_search("Martin", limit=100)}
        self.assertFalse(found & set(self.persons.ids))
        self.assertFalse(
            Partner._read_group([("id", "in", self.persons.ids)], ["company_id"])
        )
        for person in self.persons:
            with self.assertRaises(AccessError, msg=person.name):
                person.with_user(self.user_network).read(["name"])
            with self.assertRaises(AccessError, msg=person.name):
                person.with_user(self.user_network).export_data(["name", "bde_ine"])
        # Companies are shared: the reader reads them.
        self.assertEqual(
            Partner.search([("id", "=", self.company_partner.id)]),
            self.company_partner,
        )

    def test_head_of_school_reads_their_own_students(self):
        Partner = self.env["res.partner"].with_user(self.user_manager)
        own = self.student | self.guardian
        self.assertEqual(Partner.search([("id", "in", self.persons.ids)]), own)
        self.assertEqual(
            self.student.with_user(self.user_manager).read(
                ["bde_ine", "bde_birthdate", "bde_legal_guardian_id"]
            )[0]["bde_ine"],
            "1234567890A",
        )
        self.assertIn(
            self.student.id, [pid for pid, _name in Partner.name_search("Léa Martin")]
        )
        # Not another lycée's, being a network reader changes nothing there.
        with self.assertRaises(AccessError):
            self.other_student.with_user(self.user_manager).read(["name"])

    def test_school_persons_flag(self):
        self.assertTrue(self.student.bde_is_school_person)
        self.assertTrue(self.guardian.bde_is_school_person)
        self.assertFalse(self.company_partner.bde_is_school_person)
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertEqual(
            Partner.search(
                [("id", "in", (self.persons | self.company_partner).ids)]
                + [("bde_is_school_person", "=", False)]
            ),
            self.company_partner,
        )
        # An archived student's guardian stays a school person.
        self.student.active = False
        self.assertIn(
            self.guardian,
            Partner.search([("bde_is_school_person", "!=", False)]),
        )

    def test_reader_figures_cover_all_their_lycees(self):
        for lycee in self.both:
            self.env["bde.partnership.convention"].create(
                {
                    "partner_id": self.company_partner.id,
                    "company_id": lycee.id,
                    "state": "active",
                    "date_start": "2025-09-01",
                    "date_end": "2099-08-31",
                }
            )
        # A lycée the reader does not follow.
        third = self.env["res.company"].create(
            {"name": "LP Test Branly", "bde_uai": "0691111H"}
        )
        self.env.flush_all()
        # As the web client calls it: one lycée ticked in the switcher.
        Report = self.env["bde.lycee.report"].with_context(
            allowed_company_ids=self.lycee.ids
        )
        current = [("is_current_school_year", "=", True)]
        rows = Report.with_user(self.user_network).search(current)
        self.assertEqual(rows.company_id, self.both)
        self.assertEqual(sum(rows.mapped("convention_active_count")), 2)
        # One lycée only, when they choose it.
        [other] = rows.filtered(lambda row: row.company_id == self.other_lycee)
        self.assertEqual(other.convention_active_count, 1)
        # A lycée's staff see the lycées selected in the switcher.
        teacher_rows = Report.with_user(self.user_teacher).search(current)
        self.assertEqual(teacher_rows.company_id, self.lycee)
        self.assertEqual(teacher_rows.convention_active_count, 1)
        # The third lycée has its row, out of the reader's reach.
        self.assertIn(third, Report.search(current).company_id)
        self.assertNotIn(third, rows.company_id)
