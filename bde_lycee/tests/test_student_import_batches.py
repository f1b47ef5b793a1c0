import base64
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BdeLyceeCase
from .siecle_file import make_classes, make_siecle_csv

SCHOOL_YEAR = "2026-2027"


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImportBatches(BdeLyceeCase):
    """The import reads and writes set-wise, writes nothing that did not
    change, and runs a big file as a job in batches, resumable where it
    stopped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.classes = make_classes(cls.env, cls.lycee, 12, SCHOOL_YEAR)
        cls.class_names = cls.classes.mapped("name")
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)
        cls.Job = cls.env["bde.student.import.job"]

    def _wizard(self, data, user=None):
        return (
            self.env["bde.student.import"]
            .with_user(user or self.user_officer)
            .create(
                {
                    "file": base64.b64encode(data),
                    "file_name": "siecle.csv",
                    "school_year": SCHOOL_YEAR,
                }
            )
        )

    def _file(self, count, start=0, suffix=""):
        return make_siecle_csv(count, self.class_names, start=start, suffix=suffix)

    def _students(self):
        return (
            self.Partner.search(
                [("bde_is_student", "=", True), ("company_id", "=", self.lycee.id)]
            )
            - self.student
        )

    def _queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _message(self, job, text):
        return job.message_ids.filtered(lambda message: text in message.body)

    def _small_jobs(self, batch_size):
        """Files above one batch go to a job, in batches of ``batch_size``."""
        wizard_class = type(self.env["bde.student.import"])
        job_class = type(self.Job)
        self.enterContext(
            patch.object(wizard_class, "_bde_import_now_max_rows", batch_size)
        )
        self.enterContext(patch.object(job_class, "_bde_batch_size", batch_size))

    def _queue(self, data):
        wizard = self._wizard(data)
        action = wizard.action_import()
        self.assertEqual(wizard.state, "queued")
        self.assertEqual(action["res_id"], wizard.job_id.id)
        return wizard.job_id.sudo()

    def test_1200_rows_with_guardians(self):
        wizard = self._wizard(self._file(1200))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual((wizard.created_count, wizard.updated_count), (1200, 0))
        students = self._students()
        self.assertEqual(len(students), 1200)
        self.assertEqual(wizard.student_ids, students)
        first, sibling = students.filtered(
            lambda s: s.bde_ine in ("0000000008S", "0000000009S")
        ).sorted("bde_ine")
        self.assertEqual(first.name, "Prénom8 NOM00008")
        self.assertEqual(str(first.bde_birthdate), "2011-09-09")
        self.assertEqual(first.bde_class_id.name, "C008")
        self.assertEqual(
            (first.email, first.mobile, first.street, first.zip, first.city),
            (
                "eleve8@example.com",
                "06 00 08 00 00",
                "8 rue de l'École",
                "69003",
                "Lyon",
            ),
        )
        self.assertEqual(first.country_id, self.env.ref("base.fr"))
        guardian = first.bde_legal_guardian_id
        self.assertEqual(
            (guardian.name, guardian.email, guardian.phone, guardian.company_id),
            ("Parent8 NOM00008", "parent8@example.com", "04 72 00 00 00", self.lycee),
        )
        # Every tenth student is the sibling of the one before: one guardian.
        self.assertEqual(sibling.bde_legal_guardian_id, guardian)
        self.assertEqual(len(students.bde_legal_guardian_id), 1080)
        # A bulk import subscribes the importer to no student.
        self.assertFalse(students.message_partner_ids)

    def test_reimport_of_the_same_file_writes_nothing(self):
        data = self._file(200)
        self._wizard(data).action_import()
        Partner = type(self.env["res.partner"])
        with patch.object(Partner, "write", autospec=True) as write:
            wizard = self._wizard(data)
            wizard.action_import()
        write.assert_not_called()
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.unchanged_count),
            (0, 0, 200),
        )
        self.assertIn("0 created, 0 updated, 200 unchanged", wizard.result)
        # One changed e-mail: one student written, and their guardian alone
        # when theirs changes.
        changed = self._file(200).replace(
            b"eleve7@example.com", b"eleve7@lycee.example.com"
        )
        wizard = self._wizard(changed)
        wizard.action_import()
        self.assertEqual((wizard.updated_count, wizard.unchanged_count), (1, 199))
        student = self._students().filtered(lambda s: s.bde_ine == "0000000007S")
        self.assertEqual(student.email, "eleve7@lycee.example.com")

    def test_query_count_does_not_grow_with_the_rows(self):
        # The first import makes what every later one reuses (lists, caches).
        self._wizard(self._file(10, start=5000)).action_import()
        small, big = self._file(100), self._file(500, start=1000)
        create_small = self._queries(lambda: self._wizard(small).action_import())
        create_big = self._queries(lambda: self._wizard(big).action_import())
        again_small = self._queries(lambda: self._wizard(small).action_import())
        again_big = self._queries(lambda: self._wizard(big).action_import())
        # The only growth: the ORM inserts and updates 100 rows per statement.
        self.assertLess(create_big - create_small, 40, (create_small, create_big))
        self.assertLess(create_big, 100)
        self.assertLess(again_big - again_small, 5, (again_small, again_big))
        self.assertLess(again_big, 40)

    def test_big_file_runs_as_a_job_in_batches(self):
        self._small_jobs(1000)
        job = self._queue(self._file(5000))
        self.assertEqual((job.state, job.row_count, job.rows_done), ("queued", 5000, 0))
        self.assertEqual(job.company_id, self.lycee)
        self.assertEqual(job.user_id, self.user_officer)
        self.assertFalse(self._students(), "the request writes no student")
        queries = []
        for batch in range(1, 6):
            queries.append(self._queries(job._process_next_batch))
            self.assertEqual(job.rows_done, batch * 1000)
            self.assertEqual(job.progress, batch * 20)
            self.assertEqual(len(self._students()), batch * 1000)
        self.assertEqual(job.state, "done")
        self.assertEqual((job.created_count, job.updated_count), (5000, 0))
        self.assertEqual(job.student_ids, self._students())
        self.assertFalse(job.file, "the file goes once imported")
        self.assertEqual(job.log.count("<p>"), 5)
        done = self._message(job, "Import done: 5000 students created")
        self.assertIn(self.user_officer.partner_id, done.partner_ids)
        # The first and last batches also log the job's start and end.
        self.assertLess(max(queries[1:4]) - min(queries[1:4]), 10, queries)
        self.assertLess(max(queries), 120, queries)

    def test_siblings_in_two_batches_share_their_guardian(self):
        # Rows 98 and 99 are siblings; batches of 99 rows split them.
        self._small_jobs(99)
        job = self._queue(self._file(120))
        job._process_next_batch()
        job._process_next_batch()
        self.assertEqual(job.state, "done")
        students = self._students().sorted("bde_ine")
        self.assertEqual(
            students[98].bde_legal_guardian_id, students[99].bde_legal_guardian_id
        )
        self.assertEqual(len(job.guardian_ids), 108)

    def test_failed_batch_leaves_a_resumable_job(self):
        self._small_jobs(100)
        job = self._queue(self._file(300))
        job._process_next_batch()
        # A crash in the middle of the second batch: what it wrote goes.
        original = type(self.Job)._import_rows

        def crash(job_self, rows, known_guardians=None):
            original(job_self, rows, known_guardians)
            raise RuntimeError("disk full")

        with patch.object(type(self.Job), "_import_rows", crash):
            job._process_next_batch()
        self.assertEqual((job.state, job.rows_done), ("failed", 100))
        self.assertEqual(len(self._students()), 100)
        self.assertEqual(job.error, "disk full")
        self.assertTrue(self._message(job, "The batch from row 101 failed"))
        # The failed job waits: the cron runs no batch of it.
        self.Job._cron_process_jobs()
        self.assertEqual(job.rows_done, 100)

        # A class removed since the check: the batch stops on its rows.
        self.classes.filtered(lambda c: c.name == "C001").active = False
        job.with_user(self.user_officer).action_resume()
        self.assertEqual(job.state, "running")
        job._process_next_batch()
        self.assertEqual((job.state, job.rows_done), ("failed", 100))
        self.assertIn("Line 111: There is no class C001", job.error)

        self.classes.filtered(lambda c: c.name == "C001").active = True
        job.with_user(self.user_officer).action_resume()
        self.Job._cron_process_jobs()
        self.Job._cron_process_jobs()
        self.assertEqual((job.state, job.rows_done), ("done", 300))
        # Rows already done were not done again.
        self.assertEqual(len(self._students()), 300)
        self.assertEqual(
            (job.created_count, job.updated_count, job.unchanged_count), (300, 0, 0)
        )
        with self.assertRaisesRegex(UserError, "Only a failed import"):
            job.with_user(self.user_officer).action_resume()

    def test_abandoned_job_loses_its_file_after_30_days(self):
        self._small_jobs(100)
        stalled = self._queue(self._file(300))
        stalled._process_next_batch()
        finished = self._queue(self._file(150, start=1000))
        finished._process_next_batch()
        finished._process_next_batch()
        self.assertEqual(finished.state, "done")
        self.assertTrue(stalled.file)
        # write_date is the last batch's: 29 days ago nothing goes yet.
        self.env.flush_all()
        self.cr.execute(
            "UPDATE bde_student_import_job SET write_date = now() - %s::interval"
            " WHERE id IN %s",
            ("29 days", (stalled.id, finished.id)),
        )
        self.env.invalidate_all()
        self.Job._gc_abandoned_files()
        self.assertEqual(stalled.state, "running")
        self.assertTrue(stalled.file)
        self.cr.execute(
            "UPDATE bde_student_import_job SET write_date = now() - %s::interval"
            " WHERE id IN %s",
            ("31 days", (stalled.id, finished.id)),
        )
        self.env.invalidate_all()
        self.Job._gc_abandoned_files()
        self.assertEqual((stalled.state, stalled.file), ("failed", False))
        self.assertTrue(self._message(stalled, "The file was erased after 30 days"))
        # The finished job, without file already, is left as it was.
        self.assertEqual(finished.state, "done")
        self.assertFalse(self._message(finished, "The file was erased"))
        # The students the stalled job imported stay.
        self.assertEqual(stalled.rows_done, 100)
        self.assertEqual(len(stalled.student_ids), 100)

    def test_valid_rows_only_skips_the_rows_broken_since(self):
        self._small_jobs(100)
        wizard = self._wizard(self._file(200))
        wizard.import_valid_only = True
        wizard.action_import()
        job = wizard.job_id.sudo()
        self.classes.filtered(lambda c: c.name == "C001").active = False
        job._process_next_batch()
        job._process_next_batch()
        self.assertEqual(job.state, "done")
        # Rows 1, 13, 25... (lines 3, 15, 27...) are in class C001.
        self.assertEqual((job.created_count, job.skipped_count), (183, 17))
        self.assertIn("Lines skipped: 3, 15, 27", job.log)

    def test_jobs_are_their_lycees(self):
        self._small_jobs(10)
        job = self._queue(self._file(20))
        other_job = self.Job.create(
            {
                "name": "Lumière",
                "school_year": SCHOOL_YEAR,
                "company_id": self.other_lycee.id,
                "user_id": self.user_other_lycee.id,
                "row_count": 1,
                "state": "failed",
            }
        )
        jobs = self.Job.search([("id", "in", (job | other_job).ids)])
        for user, visible in (
            (self.user_officer, job),
            (self.user_manager, job),
            (self.user_other_lycee, other_job),
        ):
            self.assertEqual(
                jobs.with_user(user).search([("id", "in", jobs.ids)]), visible
            )
        with self.assertRaises(AccessError):
            other_job.with_user(self.user_officer).read(["name"])
        with self.assertRaises(AccessError):
            other_job.with_user(self.user_officer).action_resume()
        with self.assertRaises(AccessError):
            job.with_user(self.user_teacher).read(["name"])
        # Progress is the batches' to write, never a user's.
        with self.assertRaises(AccessError):
            job.with_user(self.user_manager).write({"rows_done": 20})
        with self.assertRaises(AccessError):
            self.Job.with_user(self.user_officer).create(
                {"name": "x", "school_year": SCHOOL_YEAR, "row_count": 1}
            )

    def test_batches_write_as_the_user_who_asked(self):
        self._small_jobs(10)
        job = self._queue(self._file(20))
        # Removed from the lycée since: the batch is refused, nothing written.
        self.user_officer.write(
            {
                "company_ids": [(6, 0, self.other_lycee.ids)],
                "company_id": self.other_lycee.id,
            }
        )
        job._process_next_batch()
        self.assertEqual((job.state, job.rows_done), ("failed", 0))
        self.assertFalse(self._students())
