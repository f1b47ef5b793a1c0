"""Builders of a network of lycées for the benchmarks (not collected: no
``test_`` nor ``bench_`` prefix).

One lycée is what issue 14 measured: 1,200 students in 3 bac pro formations ×
3 years of study over 3 school years (27 classes), 250 host companies with 4
tutors each, shared with the next lycée of the network (a lycée places its
students in its own hosts and in those of the lycée before it), 250 offers of
places for the current school year, about 9,600 placements, 3,700 host
ratings, 400 alumni with 1,100 situations. ``scale`` shrinks every count but
the classes. Everything goes through the ORM's batch create, in the caller's
transaction.
"""

import random
from datetime import date

from odoo.tests import new_test_user

from odoo.addons.bde_lycee.models.res_company import uai_check_letter

# Creation context: no chatter messages nor tracking for generated records.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
STUDENTS = 1200
HOSTS = 250
TUTORS_PER_HOST = 4
ALUMNI = 400
# A teacher rates the host of this share of the ended placements (~3,700).
RATED_SHARE = 0.52
BATCH = 2000
# The current school year of the benchmarks (today is in it) and the two
# before; placements of past years and of past windows are done.
SCHOOL_YEARS = ("2024-2025", "2025-2026", "2026-2027")
FORMATIONS = (
    ("Bac pro Métiers du commerce et de la vente", "MCV", "24731213"),
    ("Bac pro Métiers de l'électricité", "MELEC", "24025510"),
    ("Bac pro Logistique", "LOG", "24031105"),
)
# Bac pro levels: 2nde, 1re, Tle.
LEVELS = ("2381", "2382", "2383")
LEVEL_NAMES = ("2", "1", "T")
# Placement windows, as (year offset, month, day) from the school year's
# start: November, February, May; 4 weeks each.
WINDOWS = (((0, 11, 3), (0, 11, 28)), ((1, 2, 1), (1, 2, 26)), ((1, 5, 3), (1, 5, 28)))
RATES = {"2381": (2.1, 525.0), "2382": (2.8, 560.0), "2383": (3.5, 700.0)}


def chunks(values, size=BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class NetworkBuilder:
    """Grows a network lycée by lycée; ``lycees[0]`` is the measured one."""

    def __init__(self, env, scale=1.0, seed=2026):
        self.env = env(context=dict(env.context, **QUIET))
        self.random = random.Random(seed)
        self.students_per_lycee = max(int(STUDENTS * scale), 27)
        self.hosts_per_lycee = max(int(HOSTS * scale), 4)
        self.alumni_per_lycee = max(int(ALUMNI * scale), 20)
        self.lycees = self.env["res.company"]
        self.hosts = []  # per lycée: [(host, tutors)]
        self.counts = dict.fromkeys(
            (
                "students",
                "hosts",
                "tutors",
                "placements",
                "ratings",
                "alumni",
                "situations",
            ),
            0,
        )
        self.formations = self.env["bde.formation"].create(
            [
                {"name": name, "level": "bac_pro", "duration_years": 3}
                for name, _short, _prefix in FORMATIONS
            ]
        )
        self._create_rates()
        self.teacher = self.officer = self.network_user = self.admin = None

    def _create_rates(self):
        Rate = self.env["bde.allowance.rate"]
        existing = {
            (rate.school_year, rate.mef_code or rate.mef_stat4)
            for rate in Rate.search([("school_year", "in", SCHOOL_YEARS)])
        }
        values = [
            {
                "school_year": year,
                "mef_code": f"{prefix}3{study}",
                "mef_stat4": level,
                "daily_rate": RATES[level][0],
                "yearly_cap": RATES[level][1],
            }
            for year in SCHOOL_YEARS
            for _name, _short, prefix in FORMATIONS
            for study, level in enumerate(LEVELS, start=1)
            if (year, f"{prefix}3{study}") not in existing
        ]
        Rate.create(values)

    # The network

    def add_lycees(self, count):
        for _index in range(count):
            self.add_lycee()

    def add_lycee(self):
        index = len(self.lycees)
        digits = f"{9700000 + index:07d}"
        lycee = self.env["res.company"].create(
            {
                "name": f"LP Réseau {index + 1:02d}",
                "bde_uai": digits + uai_check_letter(digits),
            }
        )
        position = (43.0 + (index % 5) * 1.2, 0.5 + (index // 5) * 1.2)
        lycee.partner_id.write(
            {"partner_latitude": position[0], "partner_longitude": position[1]}
        )
        self.lycees |= lycee
        env = self.env(context=dict(self.env.context, allowed_company_ids=lycee.ids))
        classes = self._create_classes(env, lycee)
        if index == 0:
            self._create_users(classes)
        students = self._create_students(env, lycee, classes)
        self.hosts.append(self._create_hosts(env, position, index))
        hosts = self.hosts[index] + (self.hosts[index - 1] if index else [])
        self._create_offers(env, lycee, self.hosts[index])
        placements = self._create_placements(env, classes, students, hosts)
        self._create_ratings(env, placements)
        self._create_alumni(env, lycee)
        if index:
            # The network's manager and administrator belong to every lycée.
            (self.network_user | self.admin).company_ids = [(4, lycee.id)]
        return lycee

    def _create_classes(self, env, lycee):
        values = [
            {
                "name": f"{level_name} {short} {year}",
                "formation_id": formation.id,
                "school_year": year,
                "mef_code": f"{prefix}3{study}",
                "mef_stat4": level,
                "company_id": lycee.id,
            }
            for year in SCHOOL_YEARS
            for formation, (_name, short, prefix) in zip(
                self.formations, FORMATIONS, strict=True
            )
            for study, (level, level_name) in enumerate(
                zip(LEVELS, LEVEL_NAMES, strict=True), start=1
            )
        ]
        return env["bde.class"].create(values)

    def _create_users(self, classes):
        """The measured lycée's teacher (main teacher of its first formation's
        classes), its BDE manager, a BDE manager of every lycée, and an
        administrator of the database of every lycée."""
        lycee = classes.company_id
        self.teacher = new_test_user(
            self.env,
            login="bench_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=lycee.id,
            company_ids=lycee.ids,
        )
        self.officer = new_test_user(
            self.env,
            login="bench_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=lycee.id,
            company_ids=lycee.ids,
        )
        self.network_user = new_test_user(
            self.env,
            login="bench_network",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=lycee.id,
            company_ids=lycee.ids,
        )
        self.admin = new_test_user(
            self.env,
            login="bench_admin",
            groups="base.group_user,base.group_system,bde_lycee.group_bde_officer",
            company_id=lycee.id,
            company_ids=lycee.ids,
        )
        classes.filtered(
            lambda c: c.formation_id == self.formations[0]
        ).teacher_id = self.teacher

    def _create_students(self, env, lycee, classes):
        current = classes.filtered(lambda c: c.school_year == SCHOOL_YEARS[-1])
        uai = lycee.bde_uai[:7]
        values = [
            {
                "name": f"Élève{index} Réseau{uai}",
                "bde_is_student": True,
                "bde_ine": f"{uai[3:]}{index:06d}S",
                "bde_birthdate": date(2008 + index % 3, 1 + index % 12, 1 + index % 28),
                "bde_class_id": current[index % len(current)].id,
                "email": f"eleve{index}.{uai}@example.com",
                "street": f"{index} rue de l'École",
                "zip": "75011",
                "city": "Paris",
                "company_id": lycee.id,
            }
            for index in range(self.students_per_lycee)
        ]
        self.counts["students"] += len(values)
        return env["res.partner"].concat(
            *(env["res.partner"].create(batch) for batch in chunks(values))
        )

    def _create_hosts(self, env, position, index):
        """Companies of the address book, shared by every lycée (no lycée),
        around the lycée's position (within about 30 km)."""
        Partner = env["res.partner"]
        hosts = Partner.create(
            [
                {
                    "name": f"Entreprise {index + 1:02d}-{number:03d}",
                    "is_company": True,
                    "bde_partner_status": "active",
                    "email": f"contact.{index}.{number}@example.com",
                    "city": "Ville",
                    "partner_latitude": position[0] + self.random.uniform(-0.25, 0.25),
                    "partner_longitude": position[1] + self.random.uniform(-0.3, 0.3),
                    "bde_accepts_minors": bool(number % 2),
                }
                for number in range(self.hosts_per_lycee)
            ]
        )
        tutors = Partner.create(
            [
                {
                    "name": f"Tuteur {turn} {host.name}",
                    "parent_id": host.id,
                    "email": f"tuteur{turn}.{host.id}@example.com",
                }
                for host in hosts
                for turn in range(TUTORS_PER_HOST)
            ]
        )
        self.counts["hosts"] += len(hosts)
        self.counts["tutors"] += len(tutors)
        by_host = tutors.grouped("parent_id")
        return [(host, by_host[host]) for host in hosts]

    def _create_offers(self, env, lycee, hosts):
        env["bde.pfmp.host.offer"].create(
            [
                {
                    "partner_id": host.id,
                    "company_id": lycee.id,
                    "school_year": SCHOOL_YEARS[-1],
                    "formation_id": self.formations[number % 3].id,
                    "places": 1 + number % 4,
                    "state": "confirmed",
                }
                for number, (host, _tutors) in enumerate(hosts)
            ]
        )

    def _placement_values(self, classes, students, hosts):
        today = date.today()
        by_year = {
            year: classes.filtered(lambda c, y=year: c.school_year == y)
            for year in SCHOOL_YEARS
        }
        for year in SCHOOL_YEARS:
            start_year = int(year[:4])
            year_classes = by_year[year]
            for index, student in enumerate(students):
                school_class = year_classes[index % len(year_classes)]
                for start, end in WINDOWS[: 3 if index % 3 else 2]:
                    date_start = date(start_year + start[0], start[1], start[2])
                    date_end = date(start_year + end[0], end[1], end[2])
                    host, tutors = self.random.choice(hosts)
                    values = {
                        "student_id": student.id,
                        "class_id": school_class.id,
                        "date_start": date_start,
                        "date_end": date_end,
                        "state": "host_found",
                    }
                    if date_end < today:
                        values.update(
                            state="done", days_done=self.random.randint(10, 20)
                        )
                    elif index % 10 == 0:
                        values["state"] = "searching"
                        yield values
                        continue
                    values.update(
                        partner_id=host.id, tutor_id=self.random.choice(tutors).id
                    )
                    yield values

    def _create_placements(self, env, classes, students, hosts):
        Placement = env["bde.pfmp.placement"]
        values = list(self._placement_values(classes, students, hosts))
        placements = Placement.concat(
            *(Placement.create(batch) for batch in chunks(values))
        )
        self.counts["placements"] += len(placements)
        return placements

    def _create_ratings(self, env, placements):
        ended = placements.filtered(lambda p: p.state == "done")
        rated = ended[: int(len(ended) * RATED_SHARE)]
        values = [
            {
                "placement_id": placement.id,
                "rater_type": "teacher",
                "date": placement.date_end,
                "score": 1 + placement.id % 5,
            }
            for placement in rated
        ]
        for batch in chunks(values):
            env["bde.host.rating"].create(batch)
        self.counts["ratings"] += len(values)

    def _create_alumni(self, env, lycee):
        """Alumni of the last three exit years, followed up at 6 to 24 months:
        about 2.75 situations each."""
        uai = lycee.bde_uai[:7]
        alumni = env["res.partner"].create(
            [
                {
                    "name": f"Ancien{index} Réseau{uai}",
                    "email": f"ancien{index}.{uai}@example.com",
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": self.formations[index % 3].id,
                    "bde_exit_year": 2023 + index % 3,
                    "bde_exit_date": date(2023 + index % 3, 7, 4),
                    "company_id": lycee.id,
                }
                for index in range(self.alumni_per_lycee)
            ]
        )
        statuses = ("employed", "studies", "seeking", "other", "employed")
        values = []
        for number, partner in enumerate(alumni):
            points = (6, 12, 18, 24)[: 2 + number % 3 + (number % 4 == 0)]
            exit_date = partner.bde_exit_date
            for months in points:
                when = date(
                    exit_date.year + (6 + months) // 12, 1 + (6 + months) % 12, 4
                )
                if when > date.today():
                    continue
                values.append(
                    {
                        "partner_id": partner.id,
                        "date": when,
                        "months_after_exit": months,
                        "status": statuses[(number + months) % 5],
                    }
                )
        env["bde.alumni.situation"].create(values)
        self.counts["alumni"] += len(alumni)
        self.counts["situations"] += len(values)

    def analyze(self):
        """Statistics of the tables the network filled, as PostgreSQL's
        autovacuum keeps them on a live database (it cannot see rows of an
        uncommitted transaction): the planner then plans for the network's
        sizes, not for the empty tables of the template."""
        self.env.flush_all()
        self.env.cr.execute(
            "ANALYZE res_partner, bde_class, bde_pfmp_placement, "
            "bde_pfmp_host_offer, bde_host_rating, bde_alumni_situation, "
            "mailing_contact, mailing_subscription"
        )

    def describe(self):
        return f"{len(self.lycees)} lycées: " + ", ".join(
            f"{count:,} {name}" for name, count in self.counts.items()
        )
