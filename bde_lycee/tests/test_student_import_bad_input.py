import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..csv_file import MAX_FILE_SIZE
from .common import BdeLyceeCase

HEADER = "INE;NOM;PRENOM;DATE NAISS;DIVISION\r\n"
ROW = "2610012345A;NGUYEN;{first_name};14/05/2010;2 MCV\r\n"
OTHER_ROW = "2610012346B;BERTRAND;Hugo;02/11/2009;2 MCV\r\n"


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImportBadInput(BdeLyceeCase):
    """A SIECLE file that is broken, hostile or oddly encoded gets a clear
    message and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["bde.class"].create(
            {
                "name": "2 MCV",
                "formation_id": cls.formation.id,
                "school_year": "2026-2027",
                "company_id": cls.lycee.id,
            }
        )

    def _wizard(self, data):
        return (
            self.env["bde.student.import"]
            .with_user(self.user_officer)
            .create({"file": base64.b64encode(data), "school_year": "2026-2027"})
        )

    def _file(self, first_name="Inès", encoding="utf-8"):
        return (HEADER + ROW.format(first_name=first_name) + OTHER_ROW).encode(encoding)

    def _assert_refused(self, data, message):
        wizard = self._wizard(data)
        with self.assertRaisesRegex(UserError, message):
            wizard.action_import()
        self.assertEqual(wizard.state, "draft")
        students = self.env["res.partner"].search(
            [("bde_ine", "in", ["2610012345A", "2610012346B"])]
        )
        self.assertFalse(students, "nothing written")

    def test_nul_byte_in_a_cell(self):
        self._assert_refused(self._file("In\x00ès"), "Line 2 of the file holds a NUL")

    def test_nul_byte_in_a_utf16_file(self):
        self._assert_refused(
            self._file("In\x00ès", encoding="utf-16"), "Line 2 of the file holds a NUL"
        )

    def test_huge_cell(self):
        self._assert_refused(self._file("A" * 1_000_000), "Line 2 is 10000")
        self._assert_refused(self._file("A" * 5_000), "Line 2 holds a cell of 5000")

    def test_huge_file(self):
        self._assert_refused(b"x" * (MAX_FILE_SIZE + 1), "more than the 10 MB")

    def test_utf16_and_utf32_files_are_read(self):
        for encoding in ("utf-16", "utf-16-be", "utf-32"):
            with self.subTest(encoding=encoding):
                data = self._file(encoding=encoding)
                if encoding == "utf-16-be":
                    data = b"\xfe\xff" + data
                wizard = self._wizard(data)
                wizard.action_import()
                self.assertEqual(wizard.state, "done", wizard.result)
                self.assertEqual(
                    sorted(wizard.student_ids.mapped("name")),
                    ["Hugo BERTRAND", "Inès NGUYEN"],
                )
                wizard.student_ids.unlink()

    def test_utf16_without_bom_is_named(self):
        self._assert_refused(self._file(encoding="utf-16-le"), "UTF-16")

    def test_false_bom(self):
        # A UTF-16 byte order mark followed by an odd number of bytes.
        self._assert_refused(b"\xff\xfe" + b"INE;" + b"\x00", "UTF-16")

    def test_unclosed_quote_over_the_limit(self):
        data = (HEADER + '2610012345A;"' + "x\r\n" * 200_000).encode()
        wizard = self._wizard(data)
        with self.assertRaisesRegex(UserError, "cannot be read as CSV at line 2"):
            wizard.action_import()
