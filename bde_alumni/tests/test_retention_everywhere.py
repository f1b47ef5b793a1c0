import base64
import os
import re
import secrets

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

# Column types whose text a marker can hide in.
TEXT_TYPES = ("character varying", "text", "character", "jsonb", "json", "ARRAY")


@tagged("post_install", "-at_install", "bde_alumni")
class TestRetentionEverywhere(HttpCase):
    """An alumni of the website's lycée who left long ago and never joined
    the network goes through every flow of the suite, each leaving a marker of
    their own; after the anonymisation cron and the filestore's garbage
    collection, the marker is in no text column of any table and in no file
    of the filestore. A network member of another lycée keeps everything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee = cls.env["website"].get_current_website().company_id
        cls.other_lycee = cls.env["res.company"].create({"name": "LP Test Retention"})
        cls.officer = new_test_user(
            cls.env,
            login="bde_retention_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.lycee.bde_manager_id = cls.officer
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)
        cls.formation = cls.env["bde.formation"].create(
            {"name": "Bac pro Retention test", "level": "bac_pro"}
        )
        cls.school_class = cls.env["bde.class"].create(
            {
                "name": "T RET test",
                "formation_id": cls.formation.id,
                "school_year": "2014-2015",
                "company_id": cls.lycee.id,
            }
        )
        cls.host = cls.env["res.partner"].create(
            {"name": "Garage Retention Test", "is_company": True}
        )
        cls.tutor = cls.env["res.partner"].create(
            {"name": "Paul Tuteur", "parent_id": cls.host.id, "bde_is_tutor": True}
        )
        # lowercase letters and digits: the same in a column, a file, a URL
        cls.marker = f"zq{secrets.token_hex(8)}"
        cls.email = f"{cls.marker}@example.com"
        cls.alumni = cls._make_alumni(cls.lycee, cls.marker, cls.email)
        cls.member_marker = f"zq{secrets.token_hex(8)}"
        cls.member = cls._make_alumni(
            cls.other_lycee, cls.member_marker, f"{cls.member_marker}@example.com"
        )
        cls.member._bde_alumni_give_consent(network=True, contact=True)

    @classmethod
    def _make_alumni(cls, company, marker, email):
        """A former student of ``company`` who left in 2015, with a legal
        guardian, an address and a note, agreeing to be contacted."""
        guardian = cls.env["res.partner"].create(
            {"name": f"Karim Parent {marker}", "email": f"parent.{email}"}
        )
        alumni = cls.env["res.partner"].create(
            {
                "name": f"Yanis {marker}",
                "email": email,
                "phone": "06 12 34 56 78",
                "street": f"3 rue {marker}",
                "city": "Lyon",
                "comment": f"Call {marker} in the evening.",
                "company_id": company.id,
                "bde_birthdate": "1997-02-02",
                "bde_ine": "0987654321B",
                "bde_legal_guardian_id": guardian.id,
                "bde_is_alumni": True,
                "bde_exit_class_id": cls.school_class.id,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": 2015,
                "bde_exit_date": "2015-07-04",
            }
        )
        alumni._bde_alumni_give_consent(contact=True, source="graduation")
        return alumni

    # Planting the marker, flow by flow

    def _form_tokens(self, url):
        page = self.url_open(url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        return {"csrf_token": csrf, "form_token": form_token, "company_website": ""}

    def _plant_alumni_page(self):
        """The alumni page: a request, its confirmation mail, and once
        confirmed, a situation with the employer and job typed."""
        self.url_open(
            "/bde/alumni/submit",
            data={
                **self._form_tokens("/bde/alumni"),
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "exit_year": "2015",
                "formation_id": str(self.formation.id),
                "status": "employed",
                "contract_type": "permanent",
                "employer_name": f"Boulangerie {self.marker}",
                "job_title": f"Vendeur {self.marker}",
                "contact_consent": "1",
            },
        )
        alumni_request = self.env["bde.alumni.request"].search(
            [("email", "=ilike", self.email)]
        )
        self.assertEqual(len(alumni_request), 1)
        self.assertTrue(alumni_request._confirm())
        # a second request, left pending with its queued confirmation mail
        self.env["bde.alumni.request"].create(
            {
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "company_id": self.lycee.id,
                "job_title": f"Chef {self.marker}",
            }
        )._send_confirmation_mail()

    def _plant_contact_form(self):
        """The BDE page's contact form: a lead naming the person."""
        self.url_open(
            "/bde/contact",
            data={
                **self._form_tokens("/bde"),
                "company_name": "Atelier Retention Test",
                "contact_name": f"Yanis {self.marker}",
                "email": self.email,
                "phone": "06 12 34 56 78",
                "message": f"I am {self.marker}, former student.",
            },
        )
        lead = self.env["crm.lead"].search([("email_normalized", "=", self.email)])
        self.assertEqual(len(lead), 1)
        # the person is recognised (tracked) and follows the lead
        lead.partner_id = self.alumni
        lead.message_subscribe(partner_ids=self.alumni.ids)
        return lead

    def _plant_chatter(self, lead):
        """A CV and a note on the partner, an activity, a message the person
        sent, a mail queued to them, the portal account."""
        self.alumni.message_post(
            body=f"CV of {self.marker} received.",
            attachments=[(f"CV {self.marker}.txt", f"CV of Yanis {self.marker}")],
        )
        self.alumni.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.officer.id,
            note=f"Call back {self.marker}",
        )
        situation = self.alumni.bde_alumni_situation_ids[:1]
        situation.message_post(
            body=f"I work at Boulangerie {self.marker} now.",
            author_id=self.alumni.id,
            message_type="comment",
        )
        lead.message_post(
            body=f"Message from {self.marker}",
            email_from=f'"Yanis {self.marker}" <{self.email}>',
            message_type="email",
        )
        self.env["mail.mail"].create(
            {
                "email_to": self.email,
                "subject": f"News for {self.marker}",
                "body_html": f"<p>Hello {self.marker}</p>",
            }
        )
        new_test_user(
            self.env,
            login=self.email,
            groups="base.group_portal",
            partner_id=self.alumni.id,
            signature=f"<p>Yanis {self.marker}</p>",
        )

    def _plant_survey(self):
        """A follow-up campaign: its mailing, the answer with free text."""
        campaign = (
            self.env["bde.alumni.survey.campaign"]
            .with_user(self.officer)
            .create(
                {"company_id": self.lycee.id, "exit_year": 2015, "months_after_exit": 6}
            )
        )
        campaign.action_send()
        answer = campaign.sudo().user_input_ids
        self.assertEqual(answer.partner_id, self.alumni)
        answer.nickname = self.marker
        survey = campaign.survey_id
        for question in survey.question_ids:
            if question.bde_alumni_field == "status":
                employed = question.suggested_answer_ids.filtered(
                    lambda choice: choice.bde_alumni_value == "employed"
                )
                answer._save_lines(question, str(employed.id))
            elif question.question_type == "char_box":
                answer._save_lines(question, f"Answer {self.marker}")
        answer._mark_done()

    def _plant_mailing(self):
        """A list nobody keeps in sync, and the blacklist."""
        self.env["mailing.list"].create(
            {
                "name": "Retention test news",
                "company_id": self.lycee.id,
                "contact_ids": [
                    Command.create(
                        {"name": f"Yanis {self.marker}", "email": self.email}
                    )
                ],
            }
        )
        self.env["mail.blacklist"]._add(self.email)

    def _plant_event(self):
        """A registration with its attendee's answer and a ticket file."""
        event = self.env["event.event"].create(
            {
                "name": "Retention test forum",
                "company_id": self.lycee.id,
                "date_begin": "2030-03-10 08:00:00",
                "date_end": "2030-03-10 17:00:00",
                "question_ids": [
                    Command.create(
                        {"title": "Your question", "question_type": "text_box"}
                    )
                ],
            }
        )
        registration = self.env["event.registration"].create(
            {
                "event_id": event.id,
                "partner_id": self.alumni.id,
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "phone": "06 12 34 56 78",
                "registration_answer_ids": [
                    Command.create(
                        {
                            "question_id": event.question_ids.id,
                            "value_text_box": f"Asked by {self.marker}",
                        }
                    )
                ],
            }
        )
        self.env["ir.attachment"].create(
            {
                "name": f"Ticket {self.marker}.txt",
                "raw": f"Ticket of Yanis {self.marker}".encode(),
                "res_model": "event.registration",
                "res_id": registration.id,
            }
        )

    def _plant_placement(self):
        """The person's placement as a student, with what was written about
        it: a visit, an incident, a rating, a search step, a document."""
        period = self.env["bde.pfmp.period"].create(
            {
                "name": "PFMP retention",
                "class_id": self.school_class.id,
                "date_start": "2014-11-03",
                "date_end": "2014-11-28",
            }
        )
        placement = self.env["bde.pfmp.placement"].create(
            {
                "student_id": self.alumni.id,
                "period_id": period.id,
                "partner_id": self.host.id,
                "tutor_id": self.tutor.id,
                "state": "host_found",
            }
        )
        placement.message_post(
            body=f"Placement of {self.marker}",
            attachments=[
                (f"Convention {self.marker}.txt", f"Convention {self.marker}")
            ],
        )
        self.env["bde.pfmp.visit"].create(
            {"placement_id": placement.id, "report": f"<p>{self.marker} is fine.</p>"}
        )
        self.env["bde.pfmp.incident"].create(
            {
                "placement_id": placement.id,
                "kind": "other",
                "description": f"{self.marker} fell.",
            }
        )
        self.env["bde.pfmp.absence"].create(
            {
                "placement_id": placement.id,
                "date": "2014-11-04",
                "reason": "illness",
                "note": f"{self.marker} had the flu.",
            }
        )
        # interrupted, rated, evaluated by the tutor (as the portal does)
        placement.write(
            {
                "state": "interrupted",
                "stop_reason": f"{self.marker} moved away.",
                "tutor_evaluation": f"{self.marker} worked well.",
            }
        )
        self.env["bde.host.rating"].create(
            {
                "placement_id": placement.id,
                "rater_type": "student",
                "score": 4,
                "comment": f"{self.marker} liked the team.",
            }
        )
        self.env["bde.pfmp.search.step"].create(
            {
                "student_id": self.alumni.id,
                "company_name": "Garage du Coin",
                "note": f"{self.marker} called them.",
            }
        )
        return placement

    def _plant_signed_convention(self, placement):
        """The convention signed online on sign_oca: the request on the
        placement with its PDF, what the student typed on it, their
        signature's log and position."""
        role = self.env.ref("bde_lycee.sign_role_student")
        request = self.env["sign.oca.request"].create(
            {
                "name": f"Convention PFMP - Yanis {self.marker}",
                "filename": f"Convention {self.marker}.pdf",
                "record_ref": f"{placement._name},{placement.id}",
                "data": base64.b64encode(f"%PDF-1.4 Yanis {self.marker}".encode()),
                "company_id": self.lycee.id,
                "signatory_data": {
                    "1": {
                        "id": 1,
                        "field_type": "text",
                        "name": "Mention",
                        "role_id": role.id,
                        "page": 1,
                        "value": f"Lu et approuvé, Yanis {self.marker}",
                    }
                },
                "signer_ids": [
                    Command.create(
                        {
                            "partner_id": self.alumni.id,
                            "role_id": role.id,
                            "signed_on": "2014-10-20 10:00:00",
                            "latitude": 45.76,
                            "longitude": 4.84,
                        }
                    )
                ],
            }
        )
        request.signer_ids._portal_ensure_token()
        request.signer_ids._set_action_log("sign", access_token="zz-token")
        request.message_post(body=f"Signed by Yanis {self.marker}")
        return request

    # Finding the marker

    def _columns_holding(self, marker):
        """``{table: [columns]}`` of every table whose text holds ``marker``."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.cr.execute(
            """
            SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.column_name)
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema()
               AND t.table_type = 'BASE TABLE'
               AND c.data_type IN %s
             GROUP BY c.table_name
            """,
            [TEXT_TYPES],
        )
        pattern = f"%{marker}%"
        found = {}
        for table, columns in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    "SELECT %s FROM %s",
                    SQL(", ").join(
                        SQL(
                            "bool_or(%s::text ILIKE %s)",
                            SQL.identifier(column),
                            pattern,
                        )
                        for column in columns
                    ),
                    SQL.identifier(table),
                )
            )
            hits = [
                column
                for column, hit in zip(columns, self.env.cr.fetchone(), strict=True)
                if hit
            ]
            if hits:
                found[table] = hits
        return found

    def _filestore_files(self):
        """Names (``ab/abcdef…``) of every file of the filestore."""
        root = self.env["ir.attachment"]._filestore()
        return {
            os.path.relpath(os.path.join(dirpath, filename), root)
            for dirpath, _dirnames, filenames in os.walk(root)
            for filename in filenames
        }

    def _files_holding(self, marker):
        """Names of the files of the filestore holding ``marker``."""
        found = []
        for fname in sorted(self._filestore_files()):
            with open(self.env["ir.attachment"]._full_path(fname), "rb") as file:
                if marker.encode() in file.read().lower():
                    found.append(fname)
        return found

    def _collect_garbage(self, files_before):
        """What the nightly ir.autovacuum does (ir.attachment._gc_file_store):
        a file that no attachment refers to and that is on the garbage
        collection's checklist leaves the disk. Only for the files written
        during this test: its transaction is rolled back, and the files of the
        rows it deleted must stay for the rows that come back."""
        Attachment = self.env["ir.attachment"]
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL"
        )
        referred = {fname for (fname,) in self.env.cr.fetchall()}
        for fname in self._filestore_files() - files_before - referred:
            if fname.startswith("checklist/"):
                continue
            self.assertTrue(
                os.path.exists(Attachment._full_path(f"checklist/{fname}")),
                f"{fname} is on no checklist: the garbage collection would keep it",
            )
            os.unlink(Attachment._full_path(fname))

    def test_nothing_left_anywhere(self):
        files_before = self._filestore_files()
        self._plant_alumni_page()
        lead = self._plant_contact_form()
        self._plant_chatter(lead)
        self._plant_survey()
        self._plant_mailing()
        self._plant_event()
        sign_request = self._plant_signed_convention(self._plant_placement())

        planted = self._columns_holding(self.marker)
        # every store holds the marker before the cron: the test can fail
        for table in (
            "res_partner",
            "res_users",
            "bde_alumni_request",
            "bde_alumni_situation",
            "mail_message",
            "mail_mail",
            "mail_activity",
            "mail_tracking_value",
            "ir_attachment",
            "mailing_contact",
            "mailing_trace",
            "mail_blacklist",
            "survey_user_input",
            "survey_user_input_line",
            "event_registration",
            "event_registration_answer",
            "crm_lead",
            "bde_pfmp_visit",
            "bde_pfmp_incident",
            "bde_pfmp_absence",
            "bde_pfmp_search_step",
            "bde_pfmp_placement",
            "bde_host_rating",
            "sign_oca_request",
        ):
            self.assertIn(table, planted)
        self.assertGreaterEqual(len(self._files_holding(self.marker)), 3)
        member_before = self._columns_holding(self.member_marker)

        self.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise").method_direct_trigger()
        self._collect_garbage(files_before)

        self.assertTrue(self.alumni.bde_alumni_anonymised)
        self.assertEqual(
            self._columns_holding(self.marker),
            {},
            "The anonymised alumni is still found in these tables and columns",
        )
        self.assertEqual(
            self._files_holding(self.marker),
            [],
            "The anonymised alumni is still found in these files",
        )
        # the signature stays in sign_oca's chain of hashes, without where,
        # from which address, nor its link
        signer = sign_request.signer_ids
        self.assertTrue(signer.exists())
        self.assertEqual((signer.latitude, signer.longitude), (0.0, 0.0))
        self.assertFalse(signer.access_token)
        self.assertFalse(sign_request.data)
        log = self.env["sign.oca.request.log"].search(
            [("request_id", "=", sign_request.id), ("action", "=", "sign")]
        )
        self.assertEqual(len(log), 1)
        self.assertFalse(log.ip or log.access_token)
        # the member of another lycée's network keeps everything
        self.assertFalse(self.member.bde_alumni_anonymised)
        self.assertEqual(self._columns_holding(self.member_marker), member_before)

    def test_address_held_by_another_record_is_kept(self):
        """The same person known to another lycée under the same address: what
        reached that address is that lycée's as much, and stays."""
        twin = self.env["res.partner"].create(
            {
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "company_id": self.other_lycee.id,
                "bde_is_alumni": True,
                "bde_exit_year": 2015,
                "bde_exit_date": "2015-07-04",
            }
        )
        twin._bde_alumni_give_consent(network=True, source="website")
        their_request = self.env["bde.alumni.request"].create(
            {
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "company_id": self.other_lycee.id,
            }
        )
        our_request = self.env["bde.alumni.request"].create(
            {
                "name": f"Yanis {self.marker}",
                "email": self.email,
                "company_id": self.lycee.id,
                "partner_id": self.alumni.id,
            }
        )

        self.env.ref("bde_alumni.ir_cron_bde_alumni_anonymise").method_direct_trigger()

        self.assertTrue(self.alumni.bde_alumni_anonymised)
        self.assertFalse(self.alumni.email)
        self.assertFalse(our_request.exists())
        self.assertTrue(their_request.exists())
        self.assertEqual(twin.email, self.email)
