import base64
from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..siecle_xml import read_files, to_rows
from .common import BdeLyceeCase
from .siecle_xml_file import (
    guardians_xml,
    many_students,
    nomenclature_xml,
    person,
    student,
    students_xml,
    zipped,
)

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
                "Nomenclature.xml": nomenclature_xml([], UAI),
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

    def _known(self, ine, **values):
        """A student of the lycée known before the import."""
        return self.env["res.partner"].create(
            {
                "name": f"Known {ine}",
                "bde_is_student": True,
                "bde_ine": ine,
                "bde_birthdate": "2009-01-01",
                "bde_class_id": self.tmcva.id,
                "company_id": self.lycee.id,
                **values,
            }
        )

    def test_file_of_another_lycee_imports_nothing(self):
        data = students_xml(_students(), OTHER_UAI)
        wizard = self._wizard(data)
        with self.assertRaisesRegex(UserError, OTHER_UAI) as caught:
            wizard.action_import()
        self.assertIn(UAI, str(caught.exception))
        self.assertFalse(self._find("2610012345A"))
        # The same file is lycée 2's: its officer imports it there, and the
        # class of lycée 1 is not theirs.
        other_class = self.tmcva.copy({"company_id": self.other_lycee.id})
        wizard = self._wizard(data, user=self.user_other_lycee)
        self.assertEqual(wizard.company_id, self.other_lycee)
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        maelys = self._find("2610012345A", self.other_lycee)
        self.assertEqual(maelys.bde_class_id, other_class)
        self.assertFalse(self._find("2610012345A"))

    def test_guardians_file_of_another_lycee_imports_nothing(self):
        wizard = self._wizard(
            students_xml(_students(), UAI),
            guardians=guardians_xml(_students(), OTHER_UAI),
        )
        with self.assertRaisesRegex(UserError, OTHER_UAI):
            wizard.action_import()
        self.assertFalse(self._find("2610012345A"))

    def test_file_of_another_school_year_imports_nothing(self):
        wizard = self._wizard(students_xml(_students(), UAI, year=2025))
        with self.assertRaisesRegex(UserError, "2025-2026"):
            wizard.action_import()
        self.assertFalse(self._find("2610012345A"))

    def test_eleven_character_mef_matches_the_class(self):
        """CODE_MEF 24731213330 is the class's MEF 2473121333: with the 11
        characters compared, the row would be an error."""
        self.tmcva.copy({"name": "TMCVA", "mef_code": "2473121433"})
        wizard = self._wizard(students_xml(_students()[:1], UAI))
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(self._find("2610012345A").bde_class_id, self.tmcva)

    def test_left_and_inactive_students_known_are_marked_left(self):
        leo = self._known("2610012347C")
        zoe = self._known("2610012348D")
        wizard = self._wizard(students_xml(_students(), UAI))
        wizard.action_check()
        self.assertIn("2 students will be created and 0 updated", wizard.result)
        self.assertIn("2 student(s) left the lycée", wizard.result)
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(
            (leo.bde_date_left, leo.bde_class_id.id), (date(2026, 10, 15), False)
        )
        self.assertEqual(
            (zoe.bde_date_left, zoe.bde_class_id.id), (date(2026, 9, 2), False)
        )
        self.assertTrue(leo.active and leo.bde_is_student)
        self.assertIn("Marked as having left: 2.", wizard.result)
        self.assertEqual((wizard.created_count, wizard.updated_count), (2, 2))

    def test_reimport_updates_restores_and_marks_left(self):
        students = _students()
        self._wizard(students_xml(students, UAI)).action_import()
        maelys = self._find("2610012345A")
        anais = self._find("2610012346B")
        absent = self._known("2610012399Z")
        # Since the first export: Maëlys archived by hand, then back in
        # class; Anaïs left; Léo came back in class.
        maelys.action_archive()
        maelys.bde_date_left = "2026-09-30"
        students[0]["email"] = "maelys@lycee.example.com"
        students[1]["date_left"] = "20/11/2026"
        students[2]["date_left"] = ""
        wizard = self._wizard(students_xml(students, UAI))
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertTrue(maelys.active)
        self.assertFalse(maelys.bde_date_left)
        self.assertEqual(maelys.email, "maelys@lycee.example.com")
        self.assertEqual(maelys.bde_class_id, self.tmcva)
        self.assertEqual(anais.bde_date_left, date(2026, 11, 20))
        self.assertFalse(anais.bde_class_id)
        self.assertEqual(self._find("2610012347C").bde_class_id, self.tmcva)
        # Nothing is deleted: the student missing from the export stays.
        self.assertTrue(absent.exists() and absent.active)
        self.assertEqual(absent.bde_class_id, self.tmcva)

    def test_encodings(self):
        for encoding in ("ISO-8859-15", "ISO-8859-1", "UTF-8"):
            with self.subTest(encoding=encoding):
                data = students_xml(_students()[:1], UAI, encoding=encoding)
                guardians = guardians_xml(_students()[:1], UAI, encoding=encoding)
                self.assertEqual(b"\xeb" in data, encoding != "UTF-8")
                self._wizard(data, guardians=guardians).action_import()
                maelys = self._find("2610012345A")
                self.assertEqual(maelys.name, "Maëlys LEFÈVRE")
                self.assertEqual(
                    maelys.bde_legal_guardian_id.street, "12 rue de l'Église"
                )
                maelys.unlink()

    def test_files_that_are_no_siecle_export(self):
        cases = (
            (
                b"<?xml version='1.0'?><BEE_ELEVES><oops></BEE_ELEVES>",
                "x.xml",
                "not valid XML",
            ),
            (b"<?xml version='1.0'?><html/>", "x.xml", "not a SIECLE export"),
            (zipped({"readme.txt": b"hello"}), "x.zip", "holds no XML file"),
            (zipped({"page.xml": b"<html/>"}), "x.zip", "not a SIECLE"),
            (
                zipped({"Nomenclature.xml": nomenclature_xml([], UAI)}),
                "x.zip",
                "holds no students",
            ),
            (b"PK\x03\x04broken", "x.zip", "not a readable zip"),
            (self._zip_bomb(), "x.zip", "too big"),
            (
                guardians_xml(_students(), UAI),
                "ResponsablesAvecAdresses.xml",
                "holds no students",
            ),
        )
        for data, name, message in cases:
            with self.subTest(name=name, message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._wizard(data, name).action_check()

    def _zip_bomb(self):
        """Two files that inflate to 30 MB each from a few kB."""
        padding = b" " * (30 * 1024 * 1024)
        return zipped({"a.xml": b"<BEE_ELEVES/>" + padding, "b.xml": padding})

    def test_external_entities_are_not_read(self):
        data = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<BEE_ELEVES><PARAMETRES><UAJ>&e;</UAJ></PARAMETRES></BEE_ELEVES>"
        )
        files = read_files(data, "ElevesSansAdresses.xml")
        self.assertNotIn("root", files[0].uai)

    def test_csv_still_imports(self):
        data = (
            "INE;NOM;PRENOM;DATE NAISS;DIVISION;MEF\n"
            "2610012345A;LEFÈVRE;Maëlys;14/05/2010;T MCV A;2473121333\n"
        ).encode()
        wizard = self._wizard(data, "siecle.csv")
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(self._find("2610012345A").bde_class_id, self.tmcva)

    def test_big_export_runs_as_a_job(self):
        """Above the wizard's limit the XML goes to the job, which re-reads
        it per batch with its guardians file."""
        students = many_students(5, [("TMCVA", "24731213330")])
        Job = self.env["bde.student.import.job"]
        self.enterContext(
            patch.object(
                type(self.env["bde.student.import"]), "_bde_import_now_max_rows", 2
            )
        )
        self.enterContext(patch.object(type(Job), "_bde_batch_size", 2))
        wizard = self._wizard(
            zipped({"ElevesSansAdresses.xml": students_xml(students, UAI)}),
            "ExportXML_ElevesSansAdresses.zip",
            guardians=guardians_xml(students, UAI),
        )
        wizard.action_import()
        job = wizard.job_id.sudo()
        self.assertTrue(job.guardian_file)
        while job.state in ("queued", "running"):
            job._process_next_batch()
        self.assertEqual(job.state, "done", job.error)
        self.assertEqual(job.created_count, 5)
        self.assertFalse(job.file or job.guardian_file)
        first = self._find("0000000000X")
        self.assertEqual(first.bde_legal_guardian_id.name, "Mère0 NOM00000")

    def test_left_record_of_a_student_back_in_class_is_ignored(self):
        """SIECLE may list a student twice: left, then enrolled again."""
        students = _students()[:1]
        students.append(dict(students[0], eleve_id="5009", date_left="01/09/2026"))
        self._wizard(students_xml(students, UAI)).action_import()
        maelys = self._find("2610012345A")
        self.assertEqual(maelys.bde_class_id, self.tmcva)
        self.assertFalse(maelys.bde_date_left)

    def _queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_the_students(self):
        divisions = [("TMCVA", "24731213330")]
        # The first import makes what every later one reuses (lists, caches).
        self._import_many(many_students(5, divisions, start=9000))
        small = many_students(40, divisions)
        big = many_students(200, divisions, start=1000)
        counts = [self._queries(lambda s=s: self._import_many(s)) for s in (small, big)]
        # The only growth: the ORM inserts 100 rows per statement.
        self.assertLess(counts[1] - counts[0], 30, counts)
        self.assertEqual(len(self._find("0000001199X").bde_legal_guardian_id), 1)

    def _import_many(self, students):
        wizard = self._wizard(
            students_xml(students, UAI), guardians=guardians_xml(students, UAI)
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)

    def test_students_file_with_addresses(self):
        """ElevesAvecAdresses.xml: the student's ADRESSE_ID points into the
        file's ADRESSES."""
        data = (
            '<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<BEE_ELEVES VERSION="3.1"><PARAMETRES><UAJ>0750655E</UAJ>'
            "<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>"
            '<ELEVE ELEVE_ID="7"><ID_NATIONAL>2610012345A</ID_NATIONAL>'
            "<NOM_DE_FAMILLE>GARÇON</NOM_DE_FAMILLE><PRENOM>Zoé</PRENOM>"
            "<DATE_NAISS>14/05/2010</DATE_NAISS><ADRESSE_ID>91</ADRESSE_ID>"
            "</ELEVE></ELEVES><STRUCTURES/><ADRESSES>"
            '<ADRESSE ADRESSE_ID="91"><LIGNE1_ADRESSE>Bât. B</LIGNE1_ADRESSE>'
            "<LIGNE2_ADRESSE>3 place Bellecour</LIGNE2_ADRESSE>"
            "<CODE_POSTAL>69002</CODE_POSTAL><LIBELLE_POSTAL>LYON</LIBELLE_POSTAL>"
            "</ADRESSE></ADRESSES></DONNEES></BEE_ELEVES>"
        ).encode("iso-8859-1")
        ((_line, row),) = to_rows(read_files(data, "ElevesAvecAdresses.xml")[0])
        self.assertEqual(
            (row["last_name"], row["street"], row["zip"], row["city"]),
            ("GARÇON", "Bât. B, 3 place Bellecour", "69002", "LYON"),
        )

    def test_missing_division_created_from_the_nomenclature(self):
        """TCUI is no class yet: the check lists it from its MEF (the 11
        characters' first 10), the import creates it; Inactifs never."""
        students = _students() + [
            student(
                "5010",
                "2610012349E",
                "ÉTIENNE",
                "Noé",
                "06/06/2009",
                "TCUI",
                mef="24722106330",
            )
        ]
        wizard = self._wizard(students_xml(students, UAI))
        wizard.action_check()
        self.assertEqual(wizard.planned_class_count, 1, wizard.result)
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.result)
        tcui = self._find("2610012349E").bde_class_id
        self.assertEqual((tcui.name, tcui.mef_code), ("TCUI", "2472210633"))
        self.assertEqual(tcui.company_id, self.lycee)
        self.assertFalse(self.env["bde.class"].search([("name", "ilike", "inactifs")]))
