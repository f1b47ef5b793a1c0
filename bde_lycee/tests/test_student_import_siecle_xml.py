import base64
from datetime import date

from odoo.tests import tagged

from ..siecle_xml import read_files, to_rows
from .common import BdeLyceeCase
from .siecle_xml_file import guardians_xml, person, student, students_xml, zipped

SCHOOL_YEAR = "2026-2027"
UAI = "0750655E"  # BdeLyceeCase's lycée
OTHER_UAI = "0690026D"  # and the other one's


def _mother():
    return person(
        "P1",
        "LEFÈVRE",
        "Hélène",
        email="helene.lefevre@example.com",
        phone="06 11 22 33 44",
        address=("12 rue de l'Église", "69003", "LYON"),
    )


def _students():
    """Two current students (one with a group G listed before her division),
    one who left, one in "Inactifs"."""
    return [
        student(
            "5001",
            "2610012345A",
            "LEFÈVRE",
            "Maëlys",
            "14/05/2010",
            "TMCVA",
            mef="24731213330",
            groups=("G1 ANGLAIS",),
            email="maelys.lefevre@example.com",
            guardians=[("2", person("P2", "LEFÈVRE", "Noël")), ("1", _mother())],
        ),
        student(
            "5002",
            "2610012346B",
            "GARÇON",
            "Anaïs",
            "02/11/2009",
            "TMCVA",
            mef="24731213330",
            guardians=[("0", person("P3", "DUPONT", "Jean"))],
        ),
        student(
            "5003",
            "2610012347C",
            "MARTIN",
            "Léo",
            "03/03/2009",
            "TMCVA",
            mef="24731213330",
            date_left="15/10/2026",
        ),
        student("5004", "2610012348D", "PETIT", "Zoé", "04/04/2009", "Inactifs"),
    ]


@tagged("post_install", "-at_install", "bde_lycee")
class TestStudentImportSiecleXml(BdeLyceeCase):
    """SIECLE's own XML exports in the student import: the lycée's UAI, the
    division of type D, the 10-character MEF, students who left, guardians."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmcva = cls.env["bde.class"].create(
            {
                "name": "T MCV A",
                "formation_id": cls.formation.id,
                "school_year": SCHOOL_YEAR,
                "mef_code": "2473121333",
                "company_id": cls.lycee.id,
            }
        )
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def _wizard(self, data, name="ElevesSansAdresses.xml", guardians=None, user=None):
        values = {
            "file": base64.b64encode(data),
            "file_name": name,
            "school_year": SCHOOL_YEAR,
        }
        if guardians:
            values.update(
                guardian_file=base64.b64encode(guardians),
                guardian_file_name="ResponsablesAvecAdresses.xml",
            )
        return (
            self.env["bde.student.import"]
            .with_user(user or self.user_officer)
            .create(values)
        )

    def _find(self, ine, company=None):
        return self.Partner.search(
            [("bde_ine", "=", ine), ("company_id", "=", (company or self.lycee).id)]
        )

    def test_reader_rows(self):
        """The reader alone: keys of the CSV rows, division of type D, MEF cut
        to 10, left students without division, guardian of rank 1 first."""
        files = read_files(
            zipped(
                {
                    "ElevesSansAdresses.xml": students_xml(_students(), UAI),
                    "ResponsablesAvecAdresses.xml": guardians_xml(_students(), UAI),
                }
            ),
            "ExportXML_ElevesSansAdresses.zip",
        )
        self.assertEqual([f.kind for f in files], ["students", "guardians"])
        self.assertEqual((files[0].uai, files[0].school_year), (UAI, "2026"))
        rows = dict((row["ine"], row) for _line, row in to_rows(files[0], files[1]))
        maelys = rows["2610012345A"]
        self.assertEqual(
            (maelys["last_name"], maelys["first_name"]), ("LEFÈVRE", "Maëlys")
        )
        self.assertEqual((maelys["division"], maelys["mef"]), ("TMCVA", "2473121333"))
        self.assertEqual(maelys["guardian_name"], "Hélène LEFÈVRE")
        self.assertEqual(maelys["guardian_street"], "12 rue de l'Église")
        self.assertEqual(maelys["date_left"], "")
        self.assertFalse(rows["2610012346B"].get("guardian_name"), "RESP_LEGAL 0")
        self.assertEqual(
            (rows["2610012347C"]["division"], rows["2610012347C"]["date_left"]),
            ("", "15/10/2026"),
        )
        # "Inactifs" is not a class: left on the export's date
        self.assertEqual(
            (rows["2610012348D"]["division"], rows["2610012348D"]["date_left"]),
            ("", "02/09/2026"),
        )

    def test_import_zip_with_guardians(self):
        data = zipped(
            {
                "ElevesSansAdresses.xml": students_xml(_students(), UAI),
                "ResponsablesAvecAdresses.xml": guardians_xml(_students(), UAI),
            }
        )
        wizard = self._wizard(data, "ExportXML_ElevesSansAdresses.zip")
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(wizard.created_count, 2)
        maelys = self._find("2610012345A")
        self.assertEqual(maelys.name, "Maëlys LEFÈVRE")
        self.assertEqual(maelys.bde_class_id, self.tmcva)
        self.assertEqual(maelys.bde_birthdate, date(2010, 5, 14))
        guardian = maelys.bde_legal_guardian_id
        self.assertEqual(guardian.name, "Hélène LEFÈVRE")
        self.assertEqual(guardian.email, "helene.lefevre@example.com")
        self.assertEqual(guardian.phone, "06 11 22 33 44")
        self.assertEqual(
            (guardian.street, guardian.zip, guardian.city),
            ("12 rue de l'Église", "69003", "LYON"),
        )
        self.assertEqual(guardian.company_id, self.lycee)
        self.assertFalse(self._find("2610012346B").bde_legal_guardian_id)
        # Left and "Inactifs" students unknown to the lycée are not created.
        self.assertFalse(self._find("2610012347C") | self._find("2610012348D"))
        self.assertFalse(wizard.file or wizard.guardian_file)
