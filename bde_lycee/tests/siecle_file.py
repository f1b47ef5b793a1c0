"""SIECLE-like CSV files of any size, for the student import's tests and
benchmark: students spread over the classes given, most with a legal
guardian, every tenth sharing the guardian of the student before it
(siblings)."""

import csv
import io

HEADER = (
    "INE",
    "NOM",
    "PRENOM",
    "DATE NAISS",
    "DIVISION",
    "EMAIL",
    "TEL PORTABLE",
    "ADRESSE",
    "CODE POSTAL",
    "COMMUNE",
    "NOM REPRESENTANT LEGAL",
    "EMAIL REPRESENTANT LEGAL",
    "TEL REPRESENTANT LEGAL",
)


def make_classes(env, company, count, school_year="2026-2027"):
    """``count`` classes of ``company`` for ``school_year``, on one formation."""
    formation = env["bde.formation"].create(
        {"name": f"Bac pro test {company.id}", "level": "bac_pro", "duration_years": 3}
    )
    return env["bde.class"].create(
        [
            {
                "name": f"C{index:03d}",
                "formation_id": formation.id,
                "school_year": school_year,
                "company_id": company.id,
            }
            for index in range(count)
        ]
    )


def student_row(index, class_names, suffix=""):
    """The cells of student ``index``; ``suffix`` changes their e-mail."""
    guardian = index - 1 if index % 10 == 9 else index
    return [
        f"{index:010d}S",
        f"NOM{index:05d}",
        f"Prénom{index}",
        f"{1 + index % 28:02d}/{1 + index % 12:02d}/{2009 + index % 3}",
        class_names[index % len(class_names)],
        f"eleve{index}{suffix}@example.com",
        f"06 00 {index % 100:02d} {index // 100 % 100:02d} 00",
        f"{index} rue de l'École",
        "69003",
        "Lyon",
        f"Parent{guardian} NOM{guardian:05d}",
        f"parent{guardian}@example.com",
        "04 72 00 00 00",
    ]


def make_siecle_csv(count, class_names, start=0, suffix=""):
    """Bytes of a SIECLE CSV of ``count`` students from number ``start``."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(
        student_row(index, class_names, suffix) for index in range(start, start + count)
    )
    return output.getvalue().encode()
