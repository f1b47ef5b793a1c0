"""Reading SIECLE's own XML exports (Base élèves établissement), without the
ORM: the students file ``ElevesSansAdresses.xml`` or ``ElevesAvecAdresses.xml``
(root ``BEE_ELEVES``) and the guardians file ``ResponsablesAvecAdresses.xml``
(root ``BEE_RESPONSABLES``), the divisions ``Structures.xml`` (root
``BEE_STRUCTURES``) and the MEFs ``Nomenclature.xml`` (root
``BEE_NOMENCLATURES``), each uploaded as is or in the zip SIECLE gives
(``ExportXML_ElevesSansAdresses.zip``); a zip may hold several.

SIECLE writes them in ISO-8859-15 (or ISO-8859-1), declared in the XML
prolog, which the parser honours; UTF-8 is read too. The rows produced have
the keys of the CSV import (models/bde_student_import_mixin.py), so that the
same checks and writing apply:

- the division is the student's structure of type ``D`` (groups ``G`` are
  ignored); the division "Inactifs" is not a class;
- the MEF is the first 10 of the 11 characters of ``CODE_MEF``;
- a student with a ``DATE_SORTIE``, or in "Inactifs", gets ``date_left`` (the
  export's date for "Inactifs" without one) and no division: they are no
  longer current students;
- the legal guardian is the ``RESP_LEGAL`` 1 person, else the 2 one;
- a division of Structures.xml gives its label (``LIBELLE_LONG``) and its
  MEF, the class's when its students give none; a MEF of Nomenclature.xml is
  described to the caller, which creates it when the national nomenclature
  lacks it.

Errors are :class:`SiecleError` with a ``kind`` and details, worded in the
user's language by the caller.
"""

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

STUDENTS_ROOT = "BEE_ELEVES"
GUARDIANS_ROOT = "BEE_RESPONSABLES"
STRUCTURES_ROOT = "BEE_STRUCTURES"
NOMENCLATURE_ROOT = "BEE_NOMENCLATURES"
KINDS = {
    STUDENTS_ROOT: "students",
    GUARDIANS_ROOT: "guardians",
    STRUCTURES_ROOT: "structures",
    NOMENCLATURE_ROOT: "nomenclature",
}
# A lycée's export of 3,000 students with their schooling weighs about 5 MB;
# a zip member announcing more is refused before it is inflated.
MAX_XML_SIZE = 50 * 1024 * 1024
INACTIVE_DIVISION = "inactifs"
DIVISION_TYPE = "D"
LEGAL_GUARDIAN_RANKS = ("1", "2")
MEF_LENGTH = 10
# The parser never fetches a DTD nor expands an external entity: an uploaded
# file is untrusted.
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "remove_comments": True,
}


class SiecleError(Exception):
    """A file that is not a readable SIECLE export. ``kind`` is one of
    ``bad_zip``, ``empty_zip``, ``too_big``, ``not_xml``, ``not_siecle``;
    ``details`` name the file, and the XML error or root element."""

    def __init__(self, kind, **details):
        super().__init__(kind, details)
        self.kind = kind
        self.details = details


@dataclass
class SiecleFile:
    """One SIECLE XML file read: its kind (``students``, ``guardians``,
    ``structures`` or ``nomenclature``), the UAI (``UAJ``) and school year it
    is for, and its records."""

    name: str
    kind: str
    uai: str
    school_year: str
    export_date: str
    students: list = field(default_factory=list)
    guardians: dict = field(default_factory=dict)
    # {division code: {"label": LIBELLE_LONG, "mef": its first MEF (10)}}
    divisions: dict = field(default_factory=dict)
    # {MEF (10): {Nomenclature.xml's values of the MEF}}
    mefs: dict = field(default_factory=dict)


def is_xml_export(data, file_name=""):
    """Whether ``data`` is a zip or an XML file rather than a CSV."""
    name = (file_name or "").lower()
    if name.endswith((".zip", ".xml")) or data[:4] == b"PK\x03\x04":
        return True
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") or head.startswith(b"<BEE_")


def read_files(data, file_name=""):
    """The SIECLE files of the upload ``data`` (a zip or one XML file)."""
    if data[:4] == b"PK\x03\x04" or (file_name or "").lower().endswith(".zip"):
        return _read_members(_unzip(data, file_name or "export.zip"))
    return [_parse(data, file_name or "export.xml")]


def _read_members(members):
    """The SIECLE files among a zip's XML ``members``; other XML files beside
    them are left aside."""
    files, first_error = [], None
    for name, body in members:
        try:
            files.append(_parse(body, name))
        except SiecleError as error:
            if error.kind != "not_siecle":
                raise
            first_error = first_error or error
    if not files:
        raise first_error
    return files


def _unzip(data, file_name):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SiecleError("bad_zip", file=file_name) from error
    members = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".xml") and not info.is_dir()
    ]
    if not members:
        raise SiecleError("empty_zip", file=file_name)
    # The sizes the zip announces bound what is inflated (zipfile reads no
    # more than them): their sum is checked, not each alone.
    if sum(info.file_size for info in members) > MAX_XML_SIZE:
        raise SiecleError("too_big", file=file_name)
    return [(info.filename, archive.read(info)) for info in members]


def _parse(data, name):
    if len(data) > MAX_XML_SIZE:
        raise SiecleError("too_big", file=name)
    try:
        root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise SiecleError("not_xml", file=name, error=str(error)) from error
    if root.tag not in KINDS:
        raise SiecleError("not_siecle", file=name, root=str(root.tag))
    params = root.find("PARAMETRES")
    siecle_file = SiecleFile(
        name=name,
        kind=KINDS[root.tag],
        uai=_text(params, "UAJ").upper(),
        school_year=_text(params, "ANNEE_SCOLAIRE"),
        export_date=_text(params, "DATE_EXPORT"),
    )
    data_node = root.find("DONNEES")
    if data_node is None:
        return siecle_file
    if siecle_file.kind == "students":
        siecle_file.students = _read_students(data_node, siecle_file.export_date)
    elif siecle_file.kind == "guardians":
        siecle_file.guardians = _read_guardians(data_node)
    elif siecle_file.kind == "structures":
        siecle_file.divisions = _read_structure_divisions(data_node)
    else:
        siecle_file.mefs = _read_nomenclature_mefs(data_node)
    return siecle_file


def _text(node, tag):
    """The stripped text of ``node``'s child ``tag``, "" when absent."""
    if node is None:
        return ""
    return (node.findtext(tag) or "").strip()


def _children(node):
    """``{tag: stripped text}`` of ``node``'s children, read in one pass
    (faster than a lookup per tag); the first of a repeated tag counts."""
    values = {}
    for child in node:
        values.setdefault(child.tag, (child.text or "").strip())
    return values


def _read_addresses(data_node):
    """``{ADRESSE_ID: (street, zip, city)}`` of the file's ADRESSES."""
    addresses = {}
    for node in data_node.iterfind("ADRESSES/ADRESSE"):
        values = _children(node)
        lines = (values.get(f"LIGNE{index}_ADRESSE") for index in range(1, 5))
        addresses[node.get("ADRESSE_ID", "")] = (
            ", ".join(line for line in lines if line),
            values.get("CODE_POSTAL", ""),
            values.get("LIBELLE_POSTAL") or values.get("COMMUNE_ETRANGERE", ""),
        )
    return addresses


def _read_divisions(data_node):
    """``{ELEVE_ID: division code}``: each student's structure of type D."""
    divisions = {}
    for node in data_node.iterfind("STRUCTURES/STRUCTURES_ELEVE"):
        for structure in node.iterfind("STRUCTURE"):
            if _text(structure, "TYPE_STRUCTURE") == DIVISION_TYPE:
                divisions[node.get("ELEVE_ID", "")] = _text(structure, "CODE_STRUCTURE")
                break
    return divisions


def _read_students(data_node, export_date):
    """The students as ``(line, values)``, ``values`` keyed as the CSV rows
    (without the guardian), in the file's order."""
    divisions = _read_divisions(data_node)
    addresses = _read_addresses(data_node)
    students = []
    for node in data_node.iterfind("ELEVES/ELEVE"):
        values = _children(node)
        student_id = node.get("ELEVE_ID", "")
        division = divisions.get(student_id, "")
        date_left = values.get("DATE_SORTIE", "")
        if not date_left and division.lower() == INACTIVE_DIVISION:
            date_left = export_date
        street, zip_code, city = addresses.get(values.get("ADRESSE_ID"), ("", "", ""))
        students.append(
            (
                node.sourceline,
                {
                    "siecle_id": student_id,
                    "ine": values.get("ID_NATIONAL", ""),
                    "last_name": values.get("NOM_DE_FAMILLE") or values.get("NOM", ""),
                    "first_name": values.get("PRENOM", ""),
                    "birthdate": values.get("DATE_NAISS", ""),
                    "division": "" if date_left else division,
                    "mef": values.get("CODE_MEF", "")[:MEF_LENGTH],
                    "email": values.get("MEL", ""),
                    "mobile": values.get("TEL_PORTABLE", ""),
                    "street": street,
                    "zip": zip_code,
                    "city": city,
                    "date_left": date_left,
                },
            )
        )
    return _drop_left_duplicates(students)


def _drop_left_duplicates(students):
    """A student who left and came back may appear twice; the current
    record is the one that counts."""
    current = {
        values["ine"].upper()
        for _line, values in students
        if values["ine"] and not values["date_left"]
    }
    return [
        (line, values)
        for line, values in students
        if not (values["date_left"] and values["ine"].upper() in current)
    ]


def _code(node, tag):
    """SIECLE writes a record's code as an attribute (``<DIVISION
    CODE_STRUCTURE="TMCVA">``); some exports write it as a child element."""
    return (node.get(tag) or _text(node, tag)).strip()


def _read_structure_divisions(data_node):
    """``{division code: {"label", "mef"}}`` of Structures.xml's DIVISIONS
    (its GROUPES are not classes); the first MEF a division belongs to."""
    divisions = {}
    for node in data_node.iterfind("DIVISIONS/DIVISION"):
        code = _code(node, "CODE_STRUCTURE")
        if code:
            mef = node.findtext("MEFS_APPARTENANCE/MEF_APPARTENANCE/CODE_MEF") or ""
            divisions[code] = {
                "label": _text(node, "LIBELLE_LONG"),
                "mef": mef.strip()[:MEF_LENGTH],
            }
    return divisions


def _read_nomenclature_mefs(data_node):
    """``{MEF (10 characters): values}`` of Nomenclature.xml's MEFS."""
    mefs = {}
    for node in data_node.iterfind("MEFS/MEF"):
        code = _code(node, "CODE_MEF")[:MEF_LENGTH]
        if not code:
            continue
        values = _children(node)
        mefs[code] = {
            "formation": values.get("FORMATION", ""),
            "speciality": values.get("SPECIALITE", ""),
            "long_label": values.get("LIBELLE_LONG", ""),
            "edition_label": values.get("LIBELLE_EDITION", ""),
            "mef_stat_11": values.get("CODE_MEFSTAT", ""),
        }
    return mefs


def _read_guardians(data_node):
    """``{ELEVE_ID: guardian values}``: the legal guardian of rank 1, else 2,
    with their name, e-mail, phone and address."""
    addresses = _read_addresses(data_node)
    people = {
        node.get("PERSONNE_ID", ""): node
        for node in data_node.iterfind("PERSONNES/PERSONNE")
    }
    chosen = {}
    for node in data_node.iterfind("RESPONSABLES/RESPONSABLE_ELEVE"):
        link = _children(node)
        rank = link.get("RESP_LEGAL")
        student_id = link.get("ELEVE_ID", "")
        person = people.get(link.get("PERSONNE_ID"))
        if rank not in LEGAL_GUARDIAN_RANKS or person is None:
            continue
        if student_id not in chosen or rank < chosen[student_id][0]:
            chosen[student_id] = (rank, person)
    return {
        student_id: _guardian_values(person, addresses)
        for student_id, (_rank, person) in chosen.items()
    }


def _guardian_values(person, addresses):
    values = _children(person)
    last_name = values.get("NOM_DE_FAMILLE") or values.get("NOM", "")
    street, zip_code, city = addresses.get(values.get("ADRESSE_ID"), ("", "", ""))
    return {
        "guardian_name": " ".join(filter(None, (values.get("PRENOM"), last_name))),
        "guardian_email": values.get("MEL", ""),
        "guardian_phone": values.get("TEL_PORTABLE")
        or values.get("TEL_PERSONNEL")
        or values.get("TEL_PROFESSIONNEL", ""),
        "guardian_street": street,
        "guardian_zip": zip_code,
        "guardian_city": city,
    }


def to_rows(students_file, guardians_file=None, structures_file=None, mefs_file=None):
    """The rows of ``students_file`` as ``[(line, values)]``, with the legal
    guardian of ``guardians_file``, the division's label and MEF of
    ``structures_file`` (``division_label``, ``division_mef``; the row's own
    MEF is left as the student's file gives it), and under
    ``nomenclature_mef`` the description of the row's MEF (else the
    division's) in ``mefs_file`` (a :class:`SiecleFile` each; the description
    is shared by the rows, not copied)."""
    guardians = guardians_file.guardians if guardians_file else {}
    divisions = structures_file.divisions if structures_file else {}
    mefs = mefs_file.mefs if mefs_file else {}
    rows = []
    for line, values in students_file.students:
        row = dict(values)
        row.update(guardians.get(row.pop("siecle_id"), {}))
        division = divisions.get(row["division"])
        if division:
            row["division_label"] = division["label"]
            row["division_mef"] = division["mef"]
        description = mefs.get(row["mef"] or row.get("division_mef"))
        if description:
            row["nomenclature_mef"] = description
        rows.append((line, row))
    return rows
