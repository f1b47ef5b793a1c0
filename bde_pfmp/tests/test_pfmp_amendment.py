"""Amendments (avenants) to a signed PFMP convention: made by the BDE,
signed by the parties they concern (the host's representative and the
student through their links, the head of school and the referent teacher in
the backend), then written on the placement, which keeps their history.
Two lycées: the second one's staff never reach the first one's amendments."""

import base64
import io
from contextlib import contextmanager
from datetime import date, datetime

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.bde_lycee.sign_anchor import find_anchors
from odoo.addons.bde_lycee.tests.sign_common import sign_by_link, signature_png

from .common import BdePfmpCase


class AmendmentCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.partner_id.email = "proviseur@lp-jaures.test"
        cls.user_teacher.partner_id.email = "prof@lp-jaures.test"
        cls.lycee.write(
            {"bde_head_of_school_user_id": cls.user_manager.id, "city": "Lyon"}
        )
        cls.tutor.email = "paul.tuteur@boulangerie.test"
        cls.student_adult.email = "hugo.bernard@eleve.test"
        cls.new_tutor = cls.env["res.partner"].create(
            {
                "name": "Nadia Tutrice",
                "email": "nadia@boulangerie.test",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.placement = cls._make_placement(
            student=cls.student_adult,
            state="signed",
            hours_per_week=35,
            teacher_id=cls.user_teacher.id,
        )
        cls.Amendment = cls.env["bde.pfmp.amendment"]

    def _amend(self, placement=None, user=None, **vals):
        return (
            self.Amendment.with_user(user or self.user_officer)
            .create(
                {
                    "placement_id": (placement or self.placement).id,
                    "reason": "Fermeture de la boutique la dernière semaine.",
                    **vals,
                }
            )
            .with_user(self.env.user)
        )

    @contextmanager
    def _refused(self, exception, text):
        """Odoo's assertRaises: in a savepoint, rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def _roles(self, amendment):
        return [code for code, _partner in amendment._bde_sign_signatories()]


@tagged("post_install", "-at_install", "bde_pfmp", "multi_company")
class TestAmendmentRules(AmendmentCase):
    def test_made_with_the_convention_values_and_numbered(self):
        amendment = self._amend(date_end_new="2025-11-21", hours_per_week_new=30)
        self.assertEqual(amendment.name, "Amendment No. 1")
        self.assertEqual(amendment.state, "draft")
        self.assertEqual(amendment.date_start_old, date(2025, 11, 3))
        self.assertEqual(amendment.date_end_old, date(2025, 11, 28))
        self.assertEqual(amendment.tutor_id_old, self.tutor)
        self.assertEqual(amendment.hours_per_week_old, 35)
        # What is not amended keeps the convention's value.
        self.assertEqual(amendment.date_start_new, date(2025, 11, 3))
        self.assertEqual(amendment.tutor_id_new, self.tutor)
        self.assertEqual(amendment.changed_fields, "End date, Hours a week")
        self.assertEqual(self.placement.amendment_ids, amendment)
        self.assertEqual(self.placement.amendment_count, 1)
        amendment.with_user(self.user_officer).action_cancel()
        self.assertEqual(amendment.state, "cancelled")
        second = self._amend(site_id_new=self.company_partner.id)
        self.assertEqual(second.name, "Amendment No. 2")

    def test_made_from_the_placement_form(self):
        action = self.placement.with_user(self.user_officer).action_bde_new_amendment()
        form = Form(
            self.Amendment.with_user(self.user_officer).with_context(action["context"])
        )
        # The form shows the convention's values, the new ones to edit.
        self.assertEqual(form.date_end_old, date(2025, 11, 28))
        self.assertEqual(form.date_end_new, date(2025, 11, 28))
        form.reason = "Fermeture anticipée."
        form.date_end_new = date(2025, 11, 21)
        amendment = form.save()
        self.assertEqual(amendment.changed_fields, "End date")
        self.assertEqual(
            self.placement.with_user(self.user_officer).action_view_amendments()[
                "domain"
            ],
            [("placement_id", "=", self.placement.id)],
        )

    def test_former_values_are_the_convention_s_whatever_is_given(self):
        amendment = self._amend(
            date_end_new="2025-11-21", date_end_old="2025-12-19", tutor_id_old=False
        )
        self.assertEqual(amendment.date_end_old, date(2025, 11, 28))
        self.assertEqual(amendment.tutor_id_old, self.tutor)

    def test_nothing_changed_is_refused(self):
        with self._refused(ValidationError, "changes nothing"):
            self._amend()

    def test_new_values_checked(self):
        with self._refused(ValidationError, "before the new start"):
            self._amend(date_end_new="2025-11-01")
        with self._refused(ValidationError, "school year"):
            self._amend(date_end_new="2026-09-30")
        stranger = self.env["res.partner"].create({"name": "Autre Personne"})
        with self._refused(ValidationError, "must work for the host"):
            self._amend(tutor_id_new=stranger.id)
        minor = self._make_placement(
            state="in_progress",
            period_id=False,
            date_start="2026-01-05",
            date_end="2026-01-30",
        )
        with self._refused(ValidationError, "minor"):
            self._amend(placement=minor, hours_per_week_new=39)

    def test_second_amendment_in_progress_is_refused(self):
        self._amend(date_end_new="2025-11-21")
        with self._refused(UserError, "in progress"):
            self._amend(hours_per_week_new=30)

    def test_ended_or_cancelled_placement_is_refused(self):
        for state, start, end in (
            ("done", "2026-01-05", "2026-01-30"),
            ("cancelled", "2026-03-02", "2026-03-27"),
            ("to_sign", "2026-04-06", "2026-04-24"),
        ):
            placement = self._make_placement(
                state=state, period_id=False, date_start=start, date_end=end
            )
            with self._refused(UserError, "only a signed convention"):
                self._amend(placement=placement, hours_per_week_new=20)
        self.assertFalse(self.Amendment.search([("company_id", "=", self.lycee.id)]))

    def test_state_and_former_values_never_written(self):
        amendment = self._amend(date_end_new="2025-11-21")
        for vals in (
            {"state": "signed"},
            {"date_end_old": "2025-11-21"},
            {"placement_id": self._make_placement(student=self.student).id},
            {"sequence": 7},
            {"sign_request_id": False},
        ):
            with self._refused(UserError, "set by the amendment itself"):
                amendment.with_user(self.user_officer).write(vals)
        with self._refused(UserError, "created as a draft"):
            self._amend(date_end_new="2025-11-21", state="signed")
        self.assertEqual(amendment.state, "draft")

    def test_plain_write_on_a_signed_convention_needs_an_amendment(self):
        officer_placement = self.placement.with_user(self.user_officer)
        for vals in (
            {"date_end": "2025-11-21"},
            {"date_start": "2025-11-04"},
            {"tutor_id": self.new_tutor.id},
            {"hours_per_week": 30},
            {"site_id": self.new_tutor.id},
        ):
            with self._refused(UserError, "amendment"):
                officer_placement.write(vals)
        # The same values written again (an import of the list) change nothing.
        officer_placement.write(
            {"date_end": "2025-11-28", "tutor_id": self.tutor.id, "hours_per_week": 35}
        )
        # In progress too; other fields stay editable; the interruption's
        # stop date is the life cycle's.
        self.placement._write_trusted({"state": "in_progress"})
        with self._refused(UserError, "amendment"):
            officer_placement.write({"date_end": "2025-11-21"})
        officer_placement.write({"transport_terms": "Tram T2"})
        officer_placement._action_stop("interrupt", "Accident.", date(2025, 11, 14))
        self.assertEqual(self.placement.date_stopped, date(2025, 11, 14))

    def test_before_signature_the_dates_change_freely(self):
        placement = self._make_placement(student=self.student, state="host_found")
        placement.with_user(self.user_officer).write(
            {"date_end": "2025-11-21", "tutor_id": self.new_tutor.id}
        )
        self.assertEqual(placement.date_end, date(2025, 11, 21))

    def test_signatories_are_the_parties_concerned(self):
        site = self.env["res.partner"].create(
            {
                "name": "Boutique Part-Dieu",
                "parent_id": self.company_partner.id,
                "type": "other",
            }
        )
        self.assertEqual(
            self._roles(self._amend(site_id_new=site.id)), ["head", "host", "student"]
        )
        self.Amendment.search([]).sudo().write({"state": "cancelled"})
        dates = self._amend(date_end_new="2025-11-21")
        self.assertEqual(
            dates._bde_sign_signatories(),
            [
                ("head", self.user_manager.partner_id),
                ("host", self.tutor),
                ("student", self.student_adult),
                ("tutor", self.tutor),
                ("teacher", self.user_teacher.partner_id),
            ],
        )
        self.Amendment.search([]).sudo().write({"state": "cancelled"})
        tutor = self._amend(tutor_id_new=self.new_tutor.id)
        self.assertEqual(
            tutor._bde_sign_signatories()[-2:],
            [("former_tutor", self.tutor), ("tutor", self.new_tutor)],
        )
        # A minor's legal guardian signs too.
        guardian = self.env["res.partner"].create(
            {"name": "Sophie Martin", "email": "sophie@example.com"}
        )
        self.student.bde_legal_guardian_id = guardian
        minor = self._make_placement(
            state="signed",
            period_id=False,
            date_start="2026-01-05",
            date_end="2026-01-30",
        )
        self.assertIn(
            ("guardian", guardian),
            self._amend(
                placement=minor, date_end_new="2026-01-23"
            )._bde_sign_signatories(),
        )

    def test_pdf_names_the_changes_and_each_signatory_s_place(self):
        amendment = self._amend(
            date_end_new="2025-11-21",
            hours_per_week_new=31.5,
            tutor_id_new=self.new_tutor.id,
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "bde_pfmp.report_bde_pfmp_amendment", amendment.ids
        )
        html = html.decode()
        for text in (
            "Amendment No. 1",
            "LP Test Jaurès",
            "Boulangerie Test",
            "Hugo Bernard",
            "11/28/2025",
            "11/21/2025",
            "35 heures",
            "31 heures 30",
            "Paul Tuteur",
            "Nadia Tutrice",
            "Fermeture de la boutique",
            "The other clauses of the initial convention remain unchanged.",
        ):
            self.assertIn(text, html)
        for role in ("head", "host", "student", "former_tutor", "tutor", "teacher"):
            self.assertIn(f"[[sign:{role}]]", html)
        self.assertNotIn("[[sign:guardian]]", html)
        self.assertNotIn("35:00", html)

    def test_queries_do_not_grow_with_the_placements(self):
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève {index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-02-02",
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(5)
            ]
        )
        placements = self.env["bde.pfmp.placement"].concat(
            *(self._make_placement(student=s, state="in_progress") for s in students)
        )
        for placement in placements:
            self._amend(placement=placement, hours_per_week_new=30)

        def queries(records):
            records = records.with_user(self.user_officer)
            records.invalidate_recordset()
            before = self.cr.sql_log_count
            records.mapped("amendment_count")
            records._bde_check_amendment_needed({"date_end": "2025-11-28"})
            records._bde_next_amendment_numbers()
            return self.cr.sql_log_count - before

        queries(placements[:1])
        self.assertEqual(queries(placements[:1]), queries(placements))

    def test_teacher_reads_and_cannot_make_amendments(self):
        with self.assertRaises(AccessError):
            self._amend(user=self.user_teacher, hours_per_week_new=30)
        amendment = self._amend(date_end_new="2025-11-21")
        self.assertEqual(
            self.Amendment.with_user(self.user_teacher).search([]), amendment
        )
        with self.assertRaises(UserError):
            amendment.with_user(self.user_teacher).action_cancel()

    def test_other_lycee_staff_reach_nothing(self):
        amendment = self._amend(date_end_new="2025-11-21")
        other_head = new_test_user(
            self.env,
            login="amendment_other_head",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=self.other_lycee.id,
            company_ids=[self.other_lycee.id],
        )
        for user in (self.user_other_lycee, other_head):
            Amendment = self.Amendment.with_user(user)
            self.assertFalse(Amendment.search([]))
            self.assertFalse(Amendment.search_count([("id", "=", amendment.id)]))
            with self.assertRaises(AccessError):
                amendment.with_user(user).read(["reason"])
            with self.assertRaises(AccessError):
                amendment.with_user(user).action_cancel()
            with self.assertRaises(AccessError):
                amendment.with_user(user).action_bde_send_for_signature()
            with self.assertRaises(AccessError):
                self._amend(user=user, hours_per_week_new=30)
        self.assertEqual(amendment.state, "draft")
        # Their own lycée's placement is amended by them as usual.
        other = self._make_other_lycee_placement(tutor_id=self.tutor.id, state="signed")
        own = self._amend(
            placement=other, user=self.user_other_lycee, date_end_new="2025-12-12"
        )
        self.assertEqual(own.company_id, self.other_lycee)
        self.assertEqual(
            self.Amendment.with_user(self.user_officer).search(
                [("id", "in", (own | amendment).ids)]
            ),
            amendment,
        )


@tagged("post_install", "-at_install", "bde_pfmp", "multi_company")
class TestAmendmentCircuit(HttpCase, AmendmentCase):
    """The whole circuit through HTTP: the host's representative and the
    student sign through their links, the referent teacher and the head of
    school in the backend."""

    def _sign_in_backend(self, amendment, user):
        self.assertTrue(amendment.with_user(user).bde_to_sign_by_me)
        action = amendment.with_user(user).action_bde_sign()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(action["context"])
            .create({"signature": signature_png()})
        )
        wizard.action_sign()

    def _signer(self, amendment, code):
        return amendment.sign_request_id.signer_ids.filtered(
            lambda s: s.role_id.bde_code == code
        ).sudo()

    def test_amendment_signed_by_every_party_amends_the_placement(self):
        self.env["bde.allowance.rate"].create(
            {
                "school_year": "2025-2026",
                "mef_code": self.school_class.mef_code,
                "mef_stat4": self.school_class.mef_stat4,
                "daily_rate": 15,
                "yearly_cap": 1000,
            }
        )
        # Under way: its days done follow its schedule.
        self.placement._write_trusted({"state": "in_progress"})
        days_before = self.placement.days_done
        self.assertEqual(days_before, 19)
        amendment = self._amend(date_end_new="2025-11-21", hours_per_week_new=30)
        amendment.with_user(self.user_officer).action_bde_send_for_signature()
        self.assertEqual(amendment.state, "to_sign")
        self.assertEqual(
            amendment.sign_signer_ids.sorted("id").role_id.mapped("bde_code"),
            ["head", "host", "student", "tutor", "teacher"],
        )
        # Each party's field at its own place in the real PDF, none on a
        # fallback page.
        pdf = base64.b64decode(amendment.sudo().sign_request_id.data)
        self.assertEqual(
            set(find_anchors(pdf)), {"head", "host", "student", "tutor", "teacher"}
        )
        self.assertEqual(
            {
                item["page"]
                for item in amendment.sudo().sign_request_id.signatory_data.values()
            },
            {len(PdfFileReader(io.BytesIO(pdf)).pages)},
        )
        # Sent: its content is frozen, and the convention still unchanged.
        with self._refused(UserError, "no longer changes"):
            amendment.with_user(self.user_officer).write({"date_end_new": "2025-11-14"})
        with self._refused(UserError, "in progress"):
            self._amend(site_id_new=self.new_tutor.id)

        self.authenticate(None, None)
        for code in ("host", "student", "tutor"):
            sign_by_link(self, self._signer(amendment, code))
        self._sign_in_backend(amendment, self.user_teacher)
        self.assertEqual(amendment.state, "to_sign")
        self.assertEqual(self.placement.date_end, date(2025, 11, 28))

        self._sign_in_backend(amendment, self.user_manager)
        self.assertEqual(amendment.state, "signed")
        self.assertEqual(amendment.sign_request_state, "2_signed")
        placement = self.placement
        self.assertEqual(placement.date_end, date(2025, 11, 21))
        self.assertEqual(placement.hours_per_week, 30)
        self.assertEqual(placement.calendar_days, 19)
        # The days done and the allowance follow the placement's own write.
        self.assertEqual(placement.days_done, 14)
        self.assertEqual(placement.allowance_amount, 14 * 15)
        # History: the amendment kept with its former values, the chatter.
        self.assertEqual(placement.amendment_ids, amendment)
        self.assertEqual(amendment.date_end_old, date(2025, 11, 28))
        note = placement.message_ids.filtered(
            lambda m: "Amendment No. 1" in (m.body or "")
        )
        self.assertTrue(note)
        self.assertIn("11/28/2025", note.body)
        self.assertIn("11/21/2025", note.body)
        self.assertIn("30 heures", note.body)
        self.assertIn(
            f'data-oe-model="bde.pfmp.amendment" data-oe-id="{amendment.id}"', note.body
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", amendment._name), ("res_id", "=", amendment.id)]
        )
        self.assertEqual(len(attachments), 2)

        # The attestation and the APLyPro export read the amended placement.
        placement._write_trusted({"state": "done"})
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "bde_pfmp.report_bde_pfmp_attestation", placement.ids
        )
        self.assertIn("11/21/2025", html.decode())
        self.assertNotIn("11/28/2025", html.decode())
        wizard = self.env["bde.allowance.export"].create(
            {"placement_ids": [placement.id]}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        row = list(book.active.iter_rows(values_only=True))[1]
        self.assertEqual(row[7:9], (datetime(2025, 11, 3), datetime(2025, 11, 21)))

    def test_state_never_written_through_rpc(self):
        amendment = self._amend(date_end_new="2025-11-21")
        self.authenticate("bde_officer", "bde_officer")
        with mute_logger("odoo.http"):
            with self._refused(JsonRpcException, "UserError"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "bde.pfmp.amendment",
                        "method": "write",
                        "args": [[amendment.id], {"state": "signed"}],
                        "kwargs": {},
                    },
                )
            with self._refused(JsonRpcException, "UserError"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "bde.pfmp.placement",
                        "method": "write",
                        "args": [[self.placement.id], {"date_end": "2025-11-21"}],
                        "kwargs": {},
                    },
                )
        self.assertEqual(amendment.state, "draft")
        self.assertEqual(self.placement.date_end, date(2025, 11, 28))

    def test_placement_stopped_meanwhile_cancels_the_amendment(self):
        amendment = self._amend(site_id_new=self.new_tutor.id)
        amendment.with_user(self.user_officer).action_bde_send_for_signature()
        self.assertEqual(
            amendment.sign_signer_ids.sorted("id").role_id.mapped("bde_code"),
            ["head", "host", "student"],
        )
        self.assertTrue(amendment.with_user(self.user_manager).bde_to_sign_by_me)
        self.authenticate(None, None)
        for code in ("host", "student"):
            sign_by_link(self, self._signer(amendment, code))
        self.placement.with_user(self.user_officer)._action_stop(
            "cancel", "L'entreprise ferme."
        )
        self.assertEqual(amendment.state, "cancelled")
        self.assertEqual(amendment.sign_request_state, "3_cancel")
        self.assertFalse(amendment.with_user(self.user_manager).bde_to_sign_by_me)
        self.assertFalse(amendment.activity_ids)
        # The head's link opens nothing to sign any more, and the placement
        # is not amended.
        head = self._signer(amendment, "head")
        with self._refused(JsonRpcException, "ValidationError"):
            sign_by_link(self, head)
        self.assertFalse(self.placement.site_id)
        # Defensive: an amendment never applies to a placement not under way.
        with self._refused(UserError, "no longer under way"):
            self.placement._bde_apply_amendment(amendment)
