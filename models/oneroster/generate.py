"""Made-up but plausible OneRoster 1.1 sets, for the demo school and the benchmark.

Plain values in, CSV texts out: the same seed gives the same set, byte for byte.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date

COLUMNS = {
    "orgs.csv": (
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
    ),
    "academicSessions.csv": (
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
        "parentSourcedId,schoolYear"
    ),
    "courses.csv": (
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,"
        "grades,orgSourcedId,subjects,subjectCodes"
    ),
    "classes.csv": (
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
        "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,"
        "periods"
    ),
    "users.csv": (
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
        "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
        "agentSourcedIds,grades,password"
    ),
    "enrollments.csv": (
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
        "userSourcedId,role,primary,beginDate,endDate"
    ),
}

CATALOGUE = (
    ("ALG1", "Algebra I", "Math"),
    ("GEOM", "Geometry", "Math"),
    ("ALG2", "Algebra II", "Math"),
    ("PCAL", "Precalculus", "Math"),
    ("STAT", "Statistics", "Math"),
    ("ENG9", "English 9", "English"),
    ("ENG10", "English 10", "English"),
    ("AMLIT", "American Literature", "English"),
    ("BRLIT", "British Literature", "English"),
    ("CWRI", "Creative Writing", "English"),
    ("BIO", "Biology", "Science"),
    ("CHEM", "Chemistry", "Science"),
    ("PHYS", "Physics", "Science"),
    ("ENVS", "Environmental Science", "Science"),
    ("ANAT", "Anatomy and Physiology", "Science"),
    ("WHIS", "World History", "Social Studies"),
    ("USHIS", "US History", "Social Studies"),
    ("GOVT", "Government", "Social Studies"),
    ("ECON", "Economics", "Social Studies"),
    ("PSYC", "Psychology", "Social Studies"),
    ("SPAN1", "Spanish I", "World Languages"),
    ("SPAN2", "Spanish II", "World Languages"),
    ("FREN1", "French I", "World Languages"),
    ("ART1", "Studio Art", "Arts"),
    ("MUS", "Concert Band", "Arts"),
    ("THEA", "Theatre", "Arts"),
    ("PE", "Physical Education", "Health and PE"),
    ("HLTH", "Health", "Health and PE"),
    ("CSP", "Computer Science Principles", "Technology"),
    ("WEB", "Web Design", "Technology"),
)
_FIRST_NAMES = (
    "Ava Liam Olivia Noah Emma Elijah Sophia Mateo Isabella Lucas Mia Levi "
    "Amelia Ezra Harper Asher Evelyn Leo Abigail Kai Emily Aiden Ella Jayden "
    "Chloe Santiago Aria Hudson Layla Nolan Zoe Rowan Nora Miles Lily Jude "
    "Hazel Ivan Aurora Omar Grace Theo Maya Felix Priya Samir Mei Diego Amara "
    "Tomas Nadia Ravi Yara Hugo Lena Kofi Ingrid Arjun Rosa Malik"
)
_LAST_NAMES = (
    "Smith Johnson Garcia Brown Lee Nguyen Patel Kim Martinez Davis Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris "
    "Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams "
    "Nelson Hill Ramirez Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Torres Parker Collins Edwards Stewart Morris Murphy Cook Rogers "
    "Okafor Schmidt Rossi Novak Haddad Sato Costa Jensen"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
LAST_NAMES = tuple(_LAST_NAMES.split())
GRADES = ("09", "10", "11", "12")
PERIODS = 7


@dataclass(frozen=True)
class RosterShape:
    """How big a set to make, and the names and dates it uses."""

    students: int = 300
    teachers: int = 15
    administrators: int = 1
    sections: int = 60
    classes_per_term: int = 3
    school_year: int = 2026
    password: str = ""
    seed: int = 2026
    prefix: str = "demo"
    domain: str = "demo.example.org"
    school_name: str = "Lincoln Demo High School"


def school_calendar(year):
    """The year, two semesters and four quarters: (key, title, parent, start, end)."""
    d = date
    return (
        ("sy", f"{year}-{(year + 1) % 100:02d}", None, d(year, 8, 24),
         d(year + 1, 6, 11)),
        ("s1", "Semester 1", "sy", d(year, 8, 24), d(year + 1, 1, 15)),
        ("s2", "Semester 2", "sy", d(year + 1, 1, 19), d(year + 1, 6, 11)),
        ("q1", "Quarter 1", "s1", d(year, 8, 24), d(year, 10, 30)),
        ("q2", "Quarter 2", "s1", d(year, 11, 2), d(year + 1, 1, 15)),
        ("q3", "Quarter 3", "s2", d(year + 1, 1, 19), d(year + 1, 3, 26)),
        ("q4", "Quarter 4", "s2", d(year + 1, 3, 29), d(year + 1, 6, 11)),
    )  # fmt: skip


def generate_roster(shape=None):
    """Return a OneRoster 1.1 set as {file name: CSV text}."""
    return _Generator(shape or RosterShape()).files()


class _Generator:
    """Builds each file's rows from the shape, with one seeded random source."""

    def __init__(self, shape):
        self.shape = shape
        self.random = random.Random(shape.seed)
        self.emails = set()
        self.school = f"{shape.prefix}-school"
        self.terms = (f"{shape.prefix}-s1", f"{shape.prefix}-s2")

    def files(self):
        """Every file of the set, as CSV text."""
        sections = self._sections()
        users, students, teachers = self._users()
        rows = {
            "orgs.csv": [[self.school, "active", "", self.shape.school_name, "school",
                          "LDHS", ""]],
            "academicSessions.csv": self._sessions(),
            "courses.csv": self._courses(),
            "classes.csv": [section["row"] for section in sections],
            "users.csv": users,
            "enrollments.csv": self._enrollments(sections, students, teachers),
        }  # fmt: skip
        files = {name: _csv(COLUMNS[name], rows[name]) for name in COLUMNS}
        manifest = [["manifest.version", "1.0"], ["oneroster.version", "1.1"]]
        manifest += [[f"file.{name[:-4]}", "bulk"] for name in COLUMNS]
        files["manifest.csv"] = _csv("propertyName,value", manifest)
        return files

    def _id(self, key):
        return f"{self.shape.prefix}-{key}"

    def _sessions(self):
        year = self.shape.school_year
        types = {"sy": "schoolYear", "s": "semester", "q": "gradingPeriod"}
        return [
            [
                self._id(key),
                "active",
                "",
                title,
                types[key if key == "sy" else key[0]],
                start.isoformat(),
                end.isoformat(),
                self._id(parent) if parent else "",
                str(year + 1),
            ]
            for key, title, parent, start, end in school_calendar(year)
        ]

    def _catalogue(self):
        per_term = max(1, self.shape.sections // 2)
        return CATALOGUE[: min(len(CATALOGUE), per_term)]

    def _courses(self):
        return [
            [
                self._id(f"crs-{code.lower()}"),
                "active",
                "",
                self._id("sy"),
                title,
                code,
                "09,10,11,12",
                self.school,
                subject,
                "",
            ]
            for code, title, subject in self._catalogue()
        ]

    def _sections(self):
        """Sections split over the semesters; each teacher's periods differ.

        A teacher's k-th class in a term meets in period (teacher + k), so the
        classes of a term spread over every period and nobody teaches two at
        once; a co-teacher is the next colleague free in that period.
        """
        catalogue = self._catalogue()
        teachers = max(1, self.shape.teachers)
        sections, busy = [], set()
        for number in range(self.shape.sections):
            term, slot = number % 2, number // 2
            code, title, subject = catalogue[slot % len(catalogue)]
            teacher = slot % teachers
            period = (teacher + slot // teachers) % PERIODS + 1
            busy.add((term, period, teacher))
            sourced_id = self._id(f"sec-{number + 1:04d}")
            # Every tenth section is team-taught.
            co_teacher = None
            if number % 10 == 9:
                co_teacher = self._free_teacher(busy, term, period, teacher)
            row = [
                sourced_id, "active", "", f"{title} P{period}", "",
                self._id(f"crs-{code.lower()}"), f"{code}-{number + 1}", "scheduled",
                str(101 + teacher), self.school, self.terms[term], subject, "",
                str(period),
            ]  # fmt: skip
            sections.append(
                {
                    "id": sourced_id,
                    "term": term,
                    "course": code,
                    "period": period,
                    "teacher": teacher,
                    "co_teacher": co_teacher,
                    "row": row,
                }
            )
        return sections

    def _free_teacher(self, busy, term, period, teacher):
        """The next colleague with no class in the term's period, or None."""
        teachers = max(1, self.shape.teachers)
        for step in range(1, teachers):
            other = (teacher + step) % teachers
            if (term, period, other) not in busy:
                busy.add((term, period, other))
                return other
        return None

    def _person(self, kind):
        """A name and an email nobody else in the set has."""
        first = self.random.choice(FIRST_NAMES)
        last = self.random.choice(LAST_NAMES)
        base = f"{first}.{last}".lower()
        email, n = f"{base}@{self.shape.domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{self.shape.domain}"
        self.emails.add(email)
        return first, last, email

    def _users(self):
        rows, students, teachers = [], [], []
        shape = self.shape
        for n in range(1, shape.administrators + 1):
            first, last, _ = self._person("admin")
            email = f"admin@{shape.domain}" if n == 1 else f"admin{n}@{shape.domain}"
            self.emails.add(email)
            rows.append(self._user(f"adm-{n:03d}", "administrator", first, last,
                                   email, f"A{n:03d}", ""))  # fmt: skip
        for n in range(1, shape.teachers + 1):
            first, last, email = self._person("teacher")
            teachers.append(self._id(f"tch-{n:04d}"))
            rows.append(self._user(f"tch-{n:04d}", "teacher", first, last, email,
                                   f"T{n:04d}", ""))  # fmt: skip
        for n in range(1, shape.students + 1):
            first, last, email = self._person("student")
            students.append(self._id(f"stu-{n:05d}"))
            grade = GRADES[(n - 1) % len(GRADES)]
            rows.append(self._user(f"stu-{n:05d}", "student", first, last, email,
                                   f"S{n:05d}", grade))  # fmt: skip
        return rows, students, teachers

    def _user(self, key, role, first, last, email, identifier, grade):
        return [
            self._id(key), "active", "", "true", self.school, role, email, "",
            first, last, "", identifier, email, "", "", "", grade, self.shape.password,
        ]  # fmt: skip

    def _enrollments(self, sections, students, teachers):
        rows = []
        for section in sections:
            rows.append(self._teacher_row(section, teachers[section["teacher"]], True))
            if section["co_teacher"] is not None and len(teachers) > 1:
                co_teacher = teachers[section["co_teacher"]]
                rows.append(self._teacher_row(section, co_teacher, False))
        by_term = [[s for s in sections if s["term"] == term] for term in (0, 1)]
        number = 0
        for student in students:
            for offered in by_term:
                for section in self._timetable(offered):
                    number += 1
                    rows.append(
                        [self._id(f"enr-{number:06d}"), "active", "", section["id"],
                         self.school, student, "student", "false", "", ""]
                    )  # fmt: skip
        return rows

    def _teacher_row(self, section, teacher, primary):
        key = "p" if primary else "c"
        return [
            self._id(f"tenr-{section['id'][-4:]}-{key}"), "active", "", section["id"],
            self.school, teacher, "teacher", "true" if primary else "false", "", "",
        ]  # fmt: skip

    def _timetable(self, offered):
        """Pick a term's classes: different periods and courses where possible."""
        count = min(self.shape.classes_per_term, len(offered))
        picked = self.random.sample(offered, count)
        for _ in range(50):
            periods = {section["period"] for section in picked}
            courses = {section["course"] for section in picked}
            if len(periods) == len(courses) == count:
                break
            picked = self.random.sample(offered, count)
        return picked


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue()
