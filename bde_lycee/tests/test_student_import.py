import base64
import csv
import io

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BdeLyceeCase

HEADER = [
    "INE",
    "NOM",
    "PRENOM",
    "DATE NAISS",
    "DIVISION",
    "MEF",
    "EMAIL",
    "TEL PORTABLE",
    "ADRESSE",
    "CODE POSTAL",
    "COMMUNE",
    "NOM REPRESENTANT LEGAL",
    "EMAIL REPRESENTANT LEGAL",
    "TEL REPRESENTANT LEGAL",
]
# A minor with a legal guardian, and an adult without one.
INES = ("2610012345A", "2610012346B")
ROW_MINOR = [
    INES[0],
    "NGUYEN",
    "Inès",
    "14/05/2010",
    "2 MCV",
    "2473121331",
    "ines.nguyen@example.com",
    "06 12 34 56 78",
    "5 rue Paul Bert",
    "69003",
    "Lyon",
    "Thi Mai NGUYEN",
    "mai.nguyen@example.com",
    "06 98 76 54 32",
]
ROW_ADULT = [
    INES[1],
    "BERTRAND",
    "Hugo",
    "02/11/2007",
    "T MCV A",
    "2473121333",
    "hugo.bertrand@example.com",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
]


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImport(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        classes = cls.env["bde.class"].create(
            [
                {
                    "name": name,
                    "formation_id": cls.formation.id,
                    "school_year": "2026-2027",
                    "mef_code": mef,
                    "company_id": cls.lycee.id,
                }
                for name, mef in (("2 MCV", "2473121331"), ("T MCV A", "2473121333"))
            ]
        )
        cls.class_2nde, cls.class_tle = classes
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def _csv(self, rows, separator=";", encoding="utf-8", header=None):
        output = io.StringIO()
        writer = csv.writer(output, delimiter=separator, lineterminator="\r\n")
        writer.writerows([header or HEADER, *rows])
        return output.getvalue().encode(encoding)

    def _wizard(self, data, user=None, **values):
        return (
            self.env["bde.student.import"]
            .with_user(user or self.user_officer)
            .create(
                {
                    "file": base64.b64encode(data),
                    "file_name": "siecle.csv",
                    "school_year": "2026-2027",
                    **values,
                }
            )
        )

    def _students(self, ines=INES, company=None):
        return self.Partner.search(
            [
                ("bde_ine", "in", list(ines)),
                ("company_id", "=", (company or self.lycee).id),
            ],
            order="bde_ine",
        )

    def test_good_file_creates_students_with_class_and_guardian(self):
        wizard = self._wizard(self._csv([ROW_MINOR, ROW_ADULT]))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.skipped_count),
            (2, 0, 0),
        )
        self.assertIn("2 created, 0 updated, 0 unchanged, 0 skipped.", wizard.result)
        minor, adult = self._students()
        self.assertEqual(wizard.student_ids, minor | adult)
        self.assertEqual(minor.name, "Inès NGUYEN")
        self.assertTrue(minor.bde_is_student)
        self.assertEqual(minor.bde_class_id, self.class_2nde)
        self.assertEqual(str(minor.bde_birthdate), "2010-05-14")
        self.assertEqual(minor.email, "ines.nguyen@example.com")
        self.assertEqual(minor.mobile, "06 12 34 56 78")
        self.assertEqual(
            (minor.street, minor.zip, minor.city), ("5 rue Paul Bert", "69003", "Lyon")
        )
        self.assertEqual(minor.country_id, self.env.ref("base.fr"))
        self.assertEqual(minor.company_id, self.lycee)
        guardian = minor.bde_legal_guardian_id
        self.assertEqual(guardian.name, "Thi Mai NGUYEN")
        self.assertEqual(guardian.email, "mai.nguyen@example.com")
        self.assertEqual(guardian.phone, "06 98 76 54 32")
        self.assertEqual(guardian.company_id, self.lycee)
        self.assertEqual(adult.bde_class_id, self.class_tle)
        self.assertFalse(adult.bde_legal_guardian_id)

    def test_check_writes_nothing_and_announces_the_result(self):
        wizard = self._wizard(self._csv([ROW_MINOR, ROW_ADULT]))
        wizard.action_check()
        self.assertEqual(wizard.state, "checked")
        self.assertIn("2 students will be created and 0 updated", wizard.result)
        self.assertFalse(self._students())

    def test_reimport_updates_without_duplicates(self):
        self._wizard(self._csv([ROW_MINOR, ROW_ADULT])).action_import()
        minor = self._students()[0]
        guardian = minor.bde_legal_guardian_id
        partner_count = self.Partner.search_count([])
        changed = list(ROW_MINOR)
        changed[6] = "ines.nguyen@lycee.example.com"
        changed[12] = "thi-mai.nguyen@example.com"
        # Empty optional cells keep what the lycée recorded.
        changed[7] = ""
        wizard = self._wizard(self._csv([changed, ROW_ADULT]))
        wizard.action_import()
        # The adult's row did not change: nothing of theirs is rewritten.
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.unchanged_count),
            (0, 1, 1),
        )
        self.assertEqual(wizard.student_ids, self._students())
        self.assertEqual(self.Partner.search_count([]), partner_count)
        self.assertEqual(minor.email, "ines.nguyen@lycee.example.com")
        self.assertEqual(minor.mobile, "06 12 34 56 78")
        self.assertEqual(minor.bde_legal_guardian_id, guardian)
        self.assertEqual(guardian.email, "thi-mai.nguyen@example.com")

    def test_archived_student_is_restored_not_duplicated(self):
        self._wizard(self._csv([ROW_ADULT])).action_import()
        adult = self._students()
        adult.active = False
        self._wizard(self._csv([ROW_ADULT])).action_import()
        self.assertEqual(len(self._students()), 1)
        self.assertTrue(adult.active)

    def _bad_file(self):
        bad_ine = list(ROW_ADULT)
        bad_ine[0] = "12AB"
        unknown_class = list(ROW_ADULT)
        # No MEF: a known one would have the class created (after a preview).
        unknown_class[0], unknown_class[4], unknown_class[5] = (
            "2610012347C",
            "1 MELEC",
            "",
        )
        bad_date = list(ROW_ADULT)
        bad_date[0], bad_date[3] = "2610012348D", "31/02/2008"
        duplicate = list(ROW_MINOR)
        duplicate[1] = "NGUYEN-TRAN"
        # Line 1 is the header: rows are on lines 2 to 7.
        return self._csv(
            [ROW_MINOR, bad_ine, unknown_class, bad_date, ROW_ADULT, duplicate]
        )

    def test_bad_rows_write_nothing_and_are_reported_by_line(self):
        partner_count = self.Partner.search_count([])
        wizard = self._wizard(self._bad_file())
        wizard.action_import()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(self.Partner.search_count([]), partner_count)
        __, errors = wizard._validate_file()
        self.assertEqual(
            errors,
            {
                2: ["The INE 2610012345A also appears on line 7."],
                3: ["The INE 12AB must have 11 characters, digits or capital letters."],
                4: ["There is no class 1 MELEC in 2026-2027 in this lycée."],
                5: ["The birth date 31/02/2008 is not a date written dd/mm/yyyy."],
                7: ["The INE 2610012345A also appears on line 2."],
            },
        )
        self.assertEqual(wizard.error_count, 5)
        self.assertIn("5 row(s) with errors, 1 valid row(s)", wizard.result)
        self.assertIn("<td>4</td><td>There is no class 1 MELEC", wizard.result)

    def test_valid_rows_only(self):
        wizard = self._wizard(self._bad_file(), import_valid_only=True)
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.skipped_count),
            (1, 0, 5),
        )
        self.assertEqual(self._students().mapped("bde_ine"), [INES[1]])
        self.assertIn("1 created, 0 updated, 0 unchanged, 5 skipped.", wizard.result)
        self.assertIn("<td>3</td><td>The INE 12AB", wizard.result)

    def test_other_checks(self):
        late = list(ROW_ADULT)
        late[3] = "01/01/1980"
        no_name = list(ROW_MINOR)
        no_name[0], no_name[2] = "2610012349E", ""
        wrong_mef = list(ROW_MINOR)
        wrong_mef[0], wrong_mef[5] = "2610012350F", "2473121333"
        bad_email = list(ROW_ADULT)
        bad_email[0], bad_email[6] = "2610012351G", "hugo.bertrand@"
        guardian_unnamed = list(ROW_MINOR)
        guardian_unnamed[0], guardian_unnamed[11] = "2610012352H", ""
        wizard = self._wizard(
            self._csv([late, no_name, wrong_mef, bad_email, guardian_unnamed])
        )
        __, errors = wizard._validate_file()
        self.assertIn("would be 46 years old", errors[2][0])
        self.assertEqual(errors[3], ["The first name (PRENOM) is missing."])
        self.assertEqual(
            errors[4],
            ["The MEF 2473121333 differs from the MEF 2473121331 of class 2 MCV."],
        )
        self.assertEqual(errors[5], ["The e-mail hugo.bertrand@ is not valid."])
        self.assertIn("NOM REPRESENTANT LEGAL", errors[6][0])

    def test_line_numbers_follow_multiline_cells(self):
        multiline = list(ROW_MINOR)
        multiline[8] = "Bâtiment B\n5 rue Paul Bert"
        bad = list(ROW_ADULT)
        bad[0] = "12AB"
        __, errors = self._wizard(self._csv([multiline, bad]))._validate_file()
        # The first row takes lines 2 and 3: the bad one is on line 4.
        self.assertEqual(list(errors), [4])

    def test_comma_separator_and_division_without_spaces(self):
        row = list(ROW_MINOR)
        row[4], row[8] = "2MCV", "5, rue Paul Bert"
        wizard = self._wizard(self._csv([row, ROW_ADULT], separator=","))
        wizard.action_import()
        minor = self._students()[0]
        self.assertEqual(wizard.created_count, 2)
        self.assertEqual(minor.street, "5, rue Paul Bert")
        self.assertEqual(minor.bde_class_id, self.class_2nde)

    def test_latin1_and_bom_and_loose_headers(self):
        header = [title.lower() for title in HEADER]
        header[2], header[3] = "Prénom", "Date_Naiss"
        latin1 = self._wizard(self._csv([ROW_MINOR], encoding="latin-1", header=header))
        latin1.action_import()
        self.assertEqual(latin1.created_count, 1)
        self.assertEqual(self._students().name, "Inès NGUYEN")
        bom = self._wizard(self._csv([ROW_ADULT], encoding="utf-8-sig"))
        bom.action_import()
        self.assertEqual(bom.created_count, 1)

    def test_missing_column_or_empty_file(self):
        with self.assertRaisesRegex(UserError, "DATE NAISS, DIVISION"):
            self._wizard(self._csv([], header=HEADER[:3])).action_check()
        with self.assertRaisesRegex(UserError, "no student row"):
            self._wizard(self._csv([])).action_check()
        # A PDF sent instead of the CSV has no column to read.
        with self.assertRaisesRegex(UserError, "misses the columns INE"):
            self._wizard(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj").action_check()

    @freeze_time("2026-10-01")
    def test_default_school_year_and_lycee(self):
        wizard = (
            self.env["bde.student.import"]
            .with_user(self.user_officer)
            .create({"file": base64.b64encode(self._csv([ROW_ADULT]))})
        )
        self.assertEqual(wizard.school_year, "2026-2027")
        self.assertEqual(wizard.company_id, self.lycee)

    def test_teacher_cannot_import(self):
        with self.assertRaises(AccessError):
            self._wizard(self._csv([ROW_ADULT]), user=self.user_teacher)
        self._wizard(self._csv([ROW_ADULT]), user=self.user_manager).action_import()
        self.assertEqual(len(self._students()), 1)

    def test_student_of_other_lycee_untouched(self):
        other = self.env["res.partner"].create(
            {
                "name": "Hugo Bertrand",
                "email": "hugo@lumiere.example.com",
                "bde_is_student": True,
                "bde_ine": INES[1],
                "company_id": self.other_lycee.id,
            }
        )
        wizard = self._wizard(self._csv([ROW_ADULT]))
        wizard.action_import()
        self.assertEqual(wizard.created_count, 1)
        self.assertEqual(other.email, "hugo@lumiere.example.com")
        self.assertFalse(other.bde_class_id)
        self.assertEqual(self._students().email, "hugo.bertrand@example.com")
