"""SIECLE XML exports (BEE) built for the import's tests and benchmark, in
the structure SIECLE writes: ``ElevesSansAdresses.xml`` (root BEE_ELEVES),
``ResponsablesAvecAdresses.xml`` (root BEE_RESPONSABLES), ``Structures.xml``
(BEE_STRUCTURES) and ``Nomenclature.xml`` (BEE_NOMENCLATURES), encoded as
asked (SIECLE writes ISO-8859-15). Students are dicts with the keys of
:func:`student`; every value is escaped."""

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr


def student(
    eleve_id,
    ine,
    last_name,
    first_name,
    birthdate,
    division,
    mef="",
    date_left="",
    groups=(),
    email="",
    guardians=(),
):
    """One student; ``guardians`` are ``(rank, person)`` pairs, ``person`` a
    dict of :func:`person`, ``rank`` the RESP_LEGAL code (1, 2 or 0)."""
    return locals()


def person(person_id, last_name, first_name, email="", phone="", address=None):
    """A responsable; ``address`` is ``(line1, zip, city)`` or None."""
    return locals()


def _element(tag, value):
    return f"<{tag}>{escape(value)}</{tag}>" if value else ""


def _params(uai, year):
    return (
        "<PARAMETRES>"
        f"<UAJ>{escape(uai)}</UAJ><ANNEE_SCOLAIRE>{year}</ANNEE_SCOLAIRE>"
        "<DATE_EXPORT>02/09/2026</DATE_EXPORT>"
        "<HORODATAGE>02/09/2026 08:15:42</HORODATAGE>"
        "</PARAMETRES>"
    )


def _eleve(values):
    return (
        f"<ELEVE ELEVE_ID={quoteattr(values['eleve_id'])} "
        f"ELENOET={quoteattr(values['eleve_id'][-5:])}>"
        + _element("ID_NATIONAL", values["ine"])
        + _element("ELENOET", values["eleve_id"][-5:])
        + _element("NOM_DE_FAMILLE", values["last_name"])
        + _element("PRENOM", values["first_name"])
        + _element("DATE_NAISS", values["birthdate"])
        + "<CODE_SEXE>2</CODE_SEXE>"
        + _element("MEL", values["email"])
        + _element("CODE_MEF", values["mef"])
        + "<CODE_STATUT>ST</CODE_STATUT><DATE_ENTREE>01/09/2026</DATE_ENTREE>"
        + _element("DATE_SORTIE", values["date_left"])
        + "</ELEVE>"
    )


def _structures(values):
    structures = [(values["division"], "D")] if values["division"] else []
    # SIECLE lists groups and the division in any order.
    structures = [(group, "G") for group in values["groups"]] + structures
    return (
        f"<STRUCTURES_ELEVE ELEVE_ID={quoteattr(values['eleve_id'])}>"
        + "".join(
            "<STRUCTURE>"
            f"<CODE_STRUCTURE>{escape(code)}</CODE_STRUCTURE>"
            f"<TYPE_STRUCTURE>{kind}</TYPE_STRUCTURE>"
            "</STRUCTURE>"
            for code, kind in structures
        )
        + "</STRUCTURES_ELEVE>"
    )


def _document(root, version, body, encoding):
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<{root} VERSION="{version}">' + body + f"</{root}>"
    )
    return text.encode(encoding)


def students_xml(students, uai, year=2026, encoding="ISO-8859-15"):
    """Bytes of ElevesSansAdresses.xml for ``students``, one line each."""
    body = (
        _params(uai, year)
        + "<DONNEES><ELEVES>\n"
        + "\n".join(_eleve(values) for values in students)
        + "\n</ELEVES><OPTIONS/><STRUCTURES>\n"
        + "\n".join(_structures(values) for values in students)
        + "\n</STRUCTURES></DONNEES>"
    )
    return _document("BEE_ELEVES", "3.1", body, encoding)


def _personne(values):
    return (
        f"<PERSONNE PERSONNE_ID={quoteattr(values['person_id'])}>"
        "<LC_CIVILITE>MME</LC_CIVILITE>"
        + _element("NOM_DE_FAMILLE", values["last_name"])
        + _element("PRENOM", values["first_name"])
        + _element("TEL_PORTABLE", values["phone"])
        + _element("MEL", values["email"])
        + (
            f"<ADRESSE_ID>A{values['person_id']}</ADRESSE_ID>"
            if values["address"]
            else ""
        )
        + "</PERSONNE>"
    )


def _adresse(values):
    line1, zip_code, city = values["address"]
    return (
        f'<ADRESSE ADRESSE_ID="A{values["person_id"]}">'
        + _element("LIGNE1_ADRESSE", line1)
        + _element("CODE_POSTAL", zip_code)
        + _element("LIBELLE_POSTAL", city)
        + "<CODE_PAYS>100</CODE_PAYS>"
        + "</ADRESSE>"
    )


def guardians_xml(students, uai, year=2026, encoding="ISO-8859-15"):
    """Bytes of ResponsablesAvecAdresses.xml for the students' guardians."""
    people, links = {}, []
    for values in students:
        for rank, responsable in values["guardians"]:
            people[responsable["person_id"]] = responsable
            links.append(
                "<RESPONSABLE_ELEVE>"
                f"<ELEVE_ID>{escape(values['eleve_id'])}</ELEVE_ID>"
                f"<PERSONNE_ID>{escape(responsable['person_id'])}</PERSONNE_ID>"
                f"<RESP_LEGAL>{rank}</RESP_LEGAL><CODE_PARENTE>20</CODE_PARENTE>"
                "</RESPONSABLE_ELEVE>"
            )
    body = (
        _params(uai, year)
        + "<DONNEES><PERSONNES>\n"
        + "\n".join(_personne(values) for values in people.values())
        + "\n</PERSONNES><RESPONSABLES>\n"
        + "\n".join(links)
        + "\n</RESPONSABLES><ADRESSES>\n"
        + "\n".join(_adresse(v) for v in people.values() if v["address"])
        + "\n</ADRESSES></DONNEES>"
    )
    return _document("BEE_RESPONSABLES", "1.7", body, encoding)


def structures_xml(divisions, uai, year=2026, encoding="ISO-8859-15"):
    """Bytes of Structures.xml for ``divisions``: ``(code, label, mef11)``."""
    body = (
        _params(uai, year)
        + "<DONNEES><DIVISIONS>\n"
        + "\n".join(
            f"<DIVISION CODE_STRUCTURE={quoteattr(code)}>"
            + _element("LIBELLE_LONG", label)
            + "<MEFS_APPARTENANCE><MEF_APPARTENANCE>"
            + _element("CODE_MEF", mef)
            + "</MEF_APPARTENANCE></MEFS_APPARTENANCE></DIVISION>"
            for code, label, mef in divisions
        )
        + "\n</DIVISIONS><GROUPES/></DONNEES>"
    )
    return _document("BEE_STRUCTURES", "1.2", body, encoding)


def nomenclature_xml(mefs, uai, year=2026, encoding="ISO-8859-15"):
    """Bytes of Nomenclature.xml for ``mefs``: ``(mef11, formation,
    speciality, long label, edition label, CODE_MEFSTAT)``."""
    body = (
        _params(uai, year)
        + "<DONNEES><MEFS>\n"
        + "\n".join(
            f"<MEF CODE_MEF={quoteattr(code)}>"
            + _element("FORMATION", formation)
            + _element("SPECIALITE", speciality)
            + _element("LIBELLE_LONG", long_label)
            + _element("LIBELLE_EDITION", edition_label)
            + "<STATUT_MEF>4</STATUT_MEF>"
            + _element("MEF_RATTACHEMENT", code)
            + _element("CODE_MEFSTAT", mefstat)
            + "<DATE_OUVERTURE>01/09/2026</DATE_OUVERTURE></MEF>"
            for code, formation, speciality, long_label, edition_label, mefstat in mefs
        )
        + "\n</MEFS><MATIERES/></DONNEES>"
    )
    return _document("BEE_NOMENCLATURES", "1.2", body, encoding)


def zipped(files):
    """Bytes of a zip holding ``{name: bytes}``."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return output.getvalue()


def many_students(count, divisions, start=0):
    """``count`` students spread over ``divisions`` (``(code, mef11)``), each
    with two legal guardians, every tenth a sibling of the one before."""
    result = []
    for index in range(start, start + count):
        family = index - 1 if index % 10 == 9 else index
        division, mef = divisions[index % len(divisions)]
        result.append(
            student(
                eleve_id=f"{100000 + index}",
                ine=f"{index:010d}X",
                last_name=f"NOM{family:05d}",
                first_name=f"Prénom{index}",
                birthdate=f"{1 + index % 28:02d}/{1 + index % 12:02d}/"
                f"{2009 + index % 3}",
                division=division,
                mef=mef,
                email=f"eleve{index}@example.com",
                guardians=[
                    (
                        "1",
                        person(
                            f"P{family}",
                            f"NOM{family:05d}",
                            f"Mère{family}",
                            email=f"parent{family}@example.com",
                            phone="06 11 22 33 44",
                            address=(f"{family} rue de la République", "69003", "LYON"),
                        ),
                    ),
                    ("2", person(f"Q{family}", f"NOM{family:05d}", f"Père{family}")),
                ],
            )
        )
    return result
