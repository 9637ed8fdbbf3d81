"""OneRoster 1.1 CSV import: parsing, the CLI, re-imports, and the admin page."""

import io
import itertools
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

import jobs.roster
from models import (
    Course,
    Enrollment,
    MarkingPeriod,
    Section,
    Staff,
    Student,
    User,
    db,
)
from models.oneroster import KINDS, parse_roster
from models.oneroster.generate import RosterShape, generate_roster
from tests.conftest import browser_login, screenshot, wait_until

FIXTURE = Path(__file__).parent / "data" / "oneroster"
MODELS = (MarkingPeriod, Course, Section, Student, Staff, User, Enrollment)
_folders = itertools.count(1)


def fixture_files(edits=None, drop=()):
    """The fixture set as {name: text}, with (old, new) text edits per file."""
    files = {}
    for source in sorted(FIXTURE.glob("*.csv")):
        if source.name in drop:
            continue
        text = source.read_text()
        for old, new in (edits or {}).get(source.name, []):
            assert old in text, f"{old!r} not in {source.name}"
            text = text.replace(old, new)
        files[source.name] = text
    return files


def write_folder(tmp_path, files):
    """Write a set to a fresh folder; return its path."""
    folder = tmp_path / f"set{next(_folders)}"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def zip_bytes(files, inside="export/"):
    """A zip of a set, its files in a subfolder as SIS exports often put them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(inside + name, text)
    return buffer.getvalue()


def row_counts():
    """How many rows each table the import writes holds."""
    return {
        model.__tablename__: db.session.scalar(
            db.select(db.func.count()).select_from(model)
        )
        for model in MODELS
    }


@pytest.fixture()
def import_set(runner, tmp_path):
    """Run `flask roster import --json` on a set; return (exit code, output)."""

    def run(files=None, *options, path=None):
        path = path or write_folder(tmp_path, files or fixture_files())
        args = ["roster", "import", str(path), "--json", *options]
        result = runner.invoke(args=args)
        db.session.expire_all()
        return result.exit_code, json.loads(result.stdout)

    return run


def by_external_id(model, external_id):
    return db.session.scalar(db.select(model).where(model.external_id == external_id))


def totals(output, outcome):
    return sum(output[outcome].values())


# Parsing alone: every kind of bad row names its file, line, column and fault.

BAD_ROWS = [
    ("enrollments.csv", "enr-5,active,,cls-bio-2", "enr-5,active,,cls-nope",
     10, "classSourcedId", "no class has sourcedId 'cls-nope'"),
    ("enrollments.csv", "cls-art-y,org-1,stu-4", "cls-art-y,org-1,stu-9",
     11, "userSourcedId", "no user has sourcedId 'stu-9'"),
    ("enrollments.csv", "stu-3,student", "stu-3,teacher",
     10, "role", "user 'stu-3' is a student, not a staff member"),
    ("classes.csv", "crs-bio,BIO-2", "crs-chem,BIO-2",
     3, "courseSourcedId", "no course has sourcedId 'crs-chem'"),
    ("classes.csv", '"sem-1,sem-2"', '"sem-1,sem-9"',
     4, "termSourcedIds", "no academic session has sourcedId 'sem-9'"),
    ("classes.csv", "cls-bio-2,active", "cls-bio-2,archived",
     3, "status", "'archived' is not one of active, tobedeleted"),
    ("users.csv", "stu-3,active", "stu-2,active",
     7, "sourcedId", "'stu-2' is also on line 6"),
    ("users.csv", "cy.yu@maple", "ann.lee@maple",
     7, "email", "ann.lee@maple.example.org is also on line 5"),
    ("users.csv", "cy.yu@maple.example.org", "cy.yu@",
     7, "email", "'cy.yu@' is not a valid email"),
    ("users.csv", "org-1,student,cyu", "org-1,wizard,cyu",
     7, "role", "'wizard' is not one of student, teacher, administrator"),
    ("users.csv", '"9,10"', "13",
     8, "grades", "'13' is not a grade Homeroom keeps"),
    ("users.csv", "stu-4,active,,false", "stu-4,active,,maybe",
     8, "enabledUser", "'maybe' is not true or false"),
    ("users.csv", "stu-1,active,,true,org-1", "stu-1,active,,true,org-9",
     5, "orgSourcedIds", "no org has sourcedId 'org-9'"),
    ("academicSessions.csv", "Quarter 2,gradingPeriod,2026-11-02",
     "Quarter 2,gradingPeriod,2026-11-31",
     6, "startDate", "'2026-11-31' is not a date in the form YYYY-MM-DD"),
    ("academicSessions.csv", "2026-09-14,2026-09-25", "2026-09-14,2026-09-10",
     7, "endDate", "is before startDate"),
    ("academicSessions.csv", "2026-09-14,2026-09-25", "2026-08-01,2026-09-25",
     7, "parentSourcedId", "its dates fall outside its parent"),
    ("academicSessions.csv", "Semester 2,semester", "Semester 2,trimester",
     4, "type", "'trimester' is not one of schoolYear"),
    ("academicSessions.csv", "2027-01-15,sy-2026", "2027-01-15,sy-1999",
     3, "parentSourcedId", "no academic session has sourcedId 'sy-1999'"),
    ("academicSessions.csv", "2027-06-11,,2027", "2027-06-11,q-1,2027",
     3, "parentSourcedId", "its parents form a loop"),
    ("courses.csv", "Biology,BIO,", "Biology,ALG1,",
     3, "courseCode", "'ALG1' is also on line 2"),
    ("courses.csv", "schoolYearSourcedId,title,", "schoolYearSourcedId,name,",
     1, "title", "this column is missing from the header"),
    ("courses.csv", "Biology,BIO,", "Biology,alg1,",
     3, "courseCode", "'alg1' is also on line 2, as 'ALG1'"),
    ("users.csv", ",S2002,", ",s2001,",
     6, "identifier", "'s2001' is also on line 5, as 'S2001'"),
    ("users.csv", ",S2004,", ",S 2004,",
     8, "identifier", "may hold only letters, digits, dots, dashes and underscores"),
    ("orgs.csv", "2026-08-01T12:00:00.000Z", "yesterday",
     2, "dateLastModified", "'yesterday' is not an ISO 8601 time"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column", "message"),
    BAD_ROWS,
    ids=[f"{case[0]}-{case[4]}-{case[3]}" for case in BAD_ROWS],
)
def test_parse_bad_row_names_file_line_column(name, old, new, line, column, message):
    parsed = parse_roster(fixture_files({name: [(old, new)]}))
    found = [
        e for e in parsed.errors if (e.file, e.line, e.column) == (name, line, column)
    ]
    assert found, parsed.errors
    assert message in found[0].message


# An active row may not lean on a row the same set marks tobedeleted.
DELETED_REFERENCES = [
    ("academicSessions.csv", "sem-1,active", "academicSessions.csv", 5,
     "parentSourcedId", "session 'sem-1' is marked tobedeleted in academicSessions"),
    ("academicSessions.csv", "sem-2,active", "classes.csv", 4,
     "termSourcedIds", "session 'sem-2' is marked tobedeleted in academicSessions"),
    ("academicSessions.csv", "sy-2026,active", "courses.csv", 2,
     "schoolYearSourcedId", "session 'sy-2026' is marked tobedeleted"),
    ("courses.csv", "crs-bio,active", "classes.csv", 3,
     "courseSourcedId", "course 'crs-bio' is marked tobedeleted in courses.csv"),
    ("classes.csv", "cls-bio-2,active", "enrollments.csv", 7,
     "classSourcedId", "class 'cls-bio-2' is marked tobedeleted in classes.csv"),
    ("users.csv", "stu-4,active", "enrollments.csv", 11,
     "userSourcedId", "user 'stu-4' is marked tobedeleted in users.csv"),
    ("users.csv", "tch-2,active", "enrollments.csv", 4,
     "userSourcedId", "user 'tch-2' is marked tobedeleted in users.csv"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "active", "file", "line", "column", "message"),
    DELETED_REFERENCES,
    ids=[f"{case[1]}-{case[2]}-{case[4]}" for case in DELETED_REFERENCES],
)
def test_parse_refuses_an_active_row_naming_a_deleted_one(
    name, active, file, line, column, message
):
    deleted = active.replace(",active", ",tobedeleted")
    parsed = parse_roster(fixture_files({name: [(active, deleted)]}))
    found = [
        e for e in parsed.errors if (e.file, e.line, e.column) == (file, line, column)
    ]
    assert found, parsed.errors
    assert message in found[0].message


def test_parse_lets_a_deleted_row_name_a_deleted_one():
    edits = {
        "classes.csv": [("cls-bio-2,active", "cls-bio-2,tobedeleted")],
        "enrollments.csv": [
            ("enr-t2,active", "enr-t2,tobedeleted"),
            ("enr-2,active", "enr-2,tobedeleted"),
            ("enr-5,active", "enr-5,tobedeleted"),
        ],
    }
    assert parse_roster(fixture_files(edits)).errors == []


@pytest.mark.parametrize(
    ("grades", "level", "message"),
    [
        ("PK", "PK", None),
        ("TK", "PK", None),
        ("PR", "PK", None),
        ("KG", "KG", None),
        ("9", "09", None),
        ("12", "12", None),
        ("", None, "a new student needs a grade level"),
        ("13", None, "'13' is not a grade Homeroom keeps (PK-12)"),
        ("UG", None, "'UG' is not a grade Homeroom keeps (PK-12)"),
        ("Other", None, "'Other' is not a grade Homeroom keeps (PK-12)"),
        ("PS", None, "'PS' is not a grade Homeroom keeps (PK-12)"),
        ("IT", None, "'IT' is not a grade Homeroom keeps (PK-12)"),
    ],
)
def test_parse_maps_oneroster_grades_to_homeroom_levels(grades, level, message):
    parsed = parse_roster(fixture_files({"users.csv": [('"9,10"', grades)]}))
    if message is None:
        assert parsed.errors == []
        student = next(row for row in parsed.users if row.sourced_id == "stu-4")
        assert student.grade_level == level
    else:
        assert [(e.line, e.column, e.message) for e in parsed.errors] == [
            (8, "grades", message)
        ]


def test_parse_fixture_set_is_clean_and_maps_kinds():
    parsed = parse_roster(fixture_files())
    assert parsed.errors == []
    kinds = {row.sourced_id: row.kind for row in parsed.sessions}
    assert kinds == {
        "sy-2026": "year",
        "sem-1": "semester",
        "sem-2": "semester",
        "q-1": "quarter",
        "q-2": "quarter",
        "pr-1": "progress",
    }
    art = next(row for row in parsed.classes if row.sourced_id == "cls-art-y")
    assert (art.term, art.period, art.room) == ("sy-2026", "3, 4", "Art Room")
    assert "par-1" not in {row.sourced_id for row in parsed.users}


def test_parse_reports_a_wrong_parent_once_not_on_every_child():
    edit = {"academicSessions.csv": [("2027-06-11,,2027", "2027-06-31,,2027")]}
    parsed = parse_roster(fixture_files(edit))
    assert [(e.file, e.line, e.column) for e in parsed.errors] == [
        ("academicSessions.csv", 2, "endDate")
    ]


def test_parse_missing_column_is_one_error_not_one_per_reference():
    edit = {"courses.csv": [("schoolYearSourcedId,title,", "schoolYearSourcedId,x,")]}
    parsed = parse_roster(fixture_files(edit))
    assert [(e.file, e.line, e.column) for e in parsed.errors] == [
        ("courses.csv", 1, "title")
    ]


def test_parse_refuses_a_line_with_the_wrong_number_of_fields():
    edit = {"courses.csv": [("Studio Art,,,org-1,,", "Studio Art,,,org-1,")]}
    parsed = parse_roster(fixture_files(edit))
    assert [e.as_dict() for e in parsed.errors] == [
        {
            "file": "courses.csv",
            "line": 4,
            "column": "",
            "message": "the line has 9 fields; the header has 10",
        }
    ]


def test_parse_refuses_a_column_named_twice():
    edit = {"orgs.csv": [("name,type,identifier", "name,type,name")]}
    parsed = parse_roster(fixture_files(edit))
    assert [(e.line, e.column) for e in parsed.errors] == [(1, "name")]


def test_parse_reports_text_that_is_not_utf8_with_its_line():
    files = fixture_files()
    files["courses.csv"] = (
        files["courses.csv"].encode() + b"crs-x,active,,,Caf\xe9,X,,,,\n"
    )
    parsed = parse_roster(files)
    assert [(e.file, e.line) for e in parsed.errors] == [("courses.csv", 5)]


def test_parse_notes_a_third_teacher_and_keeps_two():
    extra = "enr-t5,active,,cls-art-y,org-1,adm-1,teacher,false,,\n"
    files = fixture_files()
    files["enrollments.csv"] += extra
    parsed = parse_roster(files)
    assert parsed.errors == []
    assert [(n.file, n.line) for n in parsed.notes] == [("enrollments.csv", 12)]


def test_parse_refuses_a_file_the_manifest_lists_but_the_set_lacks():
    parsed = parse_roster(fixture_files(drop=("classes.csv",)))
    error = next(e for e in parsed.errors if e.file == "manifest.csv")
    assert (error.line, error.column) == (7, "value")
    assert "lists classes.csv" in error.message


def test_parse_without_any_oneroster_file_says_so():
    parsed = parse_roster({"readme.csv": "a,b\n"})
    assert "no OneRoster files found" in parsed.errors[0].message


def test_generated_sets_parse_clean_at_the_benchmark_size():
    shape = RosterShape(
        students=2000, teachers=115, administrators=5, sections=400, prefix="b"
    )
    parsed = parse_roster(generate_roster(shape))
    assert parsed.errors == []
    students = [row for row in parsed.enrollments if row.role == "student"]
    assert len(students) == 12000
    assert len(parsed.users) == 2120
    assert len(parsed.classes) == 400


# The CLI against a real database.


def test_import_folder_creates_every_kind(import_set):
    code, output = import_set()
    assert code == 0, output
    assert output["created"] == {
        "marking_periods": 6,
        "courses": 3,
        "sections": 3,
        "students": 4,
        "staff": 3,
        "enrollments": 6,
    }
    assert output["errors"] == []

    progress = by_external_id(MarkingPeriod, "pr-1")
    assert (progress.kind, progress.parent.external_id) == ("progress", "q-1")
    art = by_external_id(Section, "cls-art-y")
    assert art.marking_period.external_id == "sy-2026"
    assert (art.teacher.external_id, art.co_teacher.external_id) == ("tch-1", "tch-2")
    assert (art.period, art.room) == ("3, 4", "Art Room")
    assert by_external_id(Course, "crs-art").code == "crs-art"
    assert by_external_id(Course, "crs-bio").subject == "Science"


def test_import_makes_people_with_logins(import_set):
    import_set()
    cy = by_external_id(Student, "stu-3")
    assert cy.local_id == "S00001" and cy.grade_level == "11"
    assert by_external_id(Student, "stu-4").grade_level == "09"
    principal = by_external_id(Staff, "adm-1")
    assert principal.role == "admin"
    assert User.by_email("admin@maple.example.org").role == "admin"
    teacher = User.by_email("tina.turing@maple.example.org")
    assert (teacher.role, teacher.staff.external_id) == ("teacher", "tch-1")
    assert User.by_email("bo.diaz@maple.example.org").student.local_id == "S2002"
    assert User.by_email("dee.kim@maple.example.org").active is False
    assert User.by_email("gil.lee@maple.example.org") is None
    stint = by_external_id(Enrollment, "enr-3")
    assert stint.start_date == date(2026, 9, 1)
    assert by_external_id(Enrollment, "enr-1").start_date == date(2026, 8, 24)


def test_reimporting_the_same_files_changes_nothing(import_set):
    import_set()
    before = db.session.scalar(db.select(db.func.max(Student.updated_at)))
    code, output = import_set()
    assert code == 0
    for outcome in ("created", "updated", "dropped"):
        assert totals(output, outcome) == 0, output
    assert output["unchanged"]["enrollments"] == 6
    assert output["unchanged"]["students"] == 4
    assert db.session.scalar(db.select(db.func.max(Student.updated_at))) == before


def test_changed_rows_update_their_records(import_set):
    import_set()
    code, output = import_set(
        fixture_files(
            {
                "users.csv": [(",Cy,Yu,", ",Cy,Yu-Park,")],
                "classes.csv": [("scheduled,202,", "scheduled,B12,")],
            }
        )
    )
    assert code == 0
    assert output["updated"]["students"] == 1
    assert output["updated"]["sections"] == 1
    assert totals(output, "updated") == 2
    assert by_external_id(Student, "stu-3").last_name == "Yu-Park"
    assert by_external_id(Section, "cls-bio-2").room == "B12"


def test_tobedeleted_drops_enrollment_and_deactivates_user(import_set):
    import_set()
    edits = {
        "enrollments.csv": [("enr-2,active,,", "enr-2,tobedeleted,,")],
        "users.csv": [("stu-3,active,", "stu-3,tobedeleted,")],
    }
    code, output = import_set(fixture_files(edits))
    assert code == 1
    assert [(e["line"], e["column"]) for e in output["errors"]] == [
        (10, "userSourcedId")
    ]
    edits["enrollments.csv"].append(("enr-5,active,,", "enr-5,tobedeleted,,"))
    code, output = import_set(fixture_files(edits))
    assert code == 0
    assert output["dropped"]["enrollments"] == 2
    assert output["dropped"]["students"] == 1
    stint = by_external_id(Enrollment, "enr-2")
    assert stint.status == "dropped" and stint.end_date == date.today()
    assert by_external_id(Student, "stu-3").status == "inactive"
    assert User.by_email("cy.yu@maple.example.org").active is False

    code, output = import_set(fixture_files(edits))
    assert totals(output, "dropped") == 0 and totals(output, "updated") == 0


def test_tobedeleted_class_and_course_are_deactivated(import_set):
    import_set()
    edits = {
        "courses.csv": [("crs-bio,active", "crs-bio,tobedeleted")],
        "classes.csv": [("cls-bio-2,active", "cls-bio-2,tobedeleted")],
        "enrollments.csv": [
            (f"{enrollment},active", f"{enrollment},tobedeleted")
            for enrollment in ("enr-t2", "enr-2", "enr-5")
        ],
    }
    code, output = import_set(fixture_files(edits))
    assert code == 0, output
    assert (output["dropped"]["sections"], output["dropped"]["courses"]) == (1, 1)
    assert output["dropped"]["enrollments"] == 2
    assert by_external_id(Section, "cls-bio-2").active is False
    assert by_external_id(Course, "crs-bio").active is False


def test_teacher_made_administrator_gets_an_admin_login(import_set):
    import_set()
    code, output = import_set(
        fixture_files(
            {"users.csv": [("org-1,teacher,ccurie", "org-1,administrator,ccurie")]}
        )
    )
    assert code == 0
    assert output["updated"]["staff"] == 1
    assert by_external_id(Staff, "tch-2").role == "admin"
    assert User.by_email("carl.curie@maple.example.org").role == "admin"


def test_dropped_enrollment_listed_again_opens_a_new_stint(import_set):
    import_set()
    import_set(
        fixture_files({"enrollments.csv": [("enr-2,active,,", "enr-2,tobedeleted,,")]})
    )
    code, output = import_set()
    assert output["created"]["enrollments"] == 1
    stints = db.session.scalars(
        db.select(Enrollment.status)
        .where(Enrollment.external_id == "enr-2")
        .order_by(Enrollment.id)
    ).all()
    assert stints == ["dropped", "active"]


def test_teacher_enrollment_removed_in_a_delta_file(import_set):
    import_set()
    delta = fixture_files(
        {"enrollments.csv": [("enr-t3,active,,", "enr-t3,tobedeleted,,")]},
        drop=(
            "manifest.csv",
            "classes.csv",
            "users.csv",
            "courses.csv",
            "academicSessions.csv",
        ),
    )
    delta["enrollments.csv"] = "\n".join(delta["enrollments.csv"].splitlines()[:5])
    code, output = import_set(delta)
    assert code == 0, output
    assert output["updated"]["sections"] == 1
    art = by_external_id(Section, "cls-art-y")
    assert (art.teacher.external_id, art.co_teacher) == ("tch-1", None)


def delta_enrollments(*lines):
    """A delta set of enrollment rows alone, as a SIS sends between bulk sets."""
    header = FIXTURE.joinpath("enrollments.csv").read_text().splitlines()[0]
    return {
        "manifest.csv": "propertyName,value\n"
        "manifest.version,1.0\noneroster.version,1.1\nfile.enrollments,delta\n",
        "enrollments.csv": "\n".join((header, *lines)) + "\n",
    }


def teachers_of(external_id):
    section = by_external_id(Section, external_id)
    return tuple(
        person.external_id if person else None
        for person in (section.teacher, section.co_teacher)
    )


@pytest.mark.parametrize(
    ("lines", "teachers"),
    [
        (["enr-t9,active,,cls-bio-2,org-1,tch-1,teacher,false,,"], ("tch-2", "tch-1")),
        (["enr-t9,active,,cls-bio-2,org-1,tch-1,teacher,true,,"], ("tch-1", "tch-2")),
        (
            [
                "enr-t9,active,,cls-art-y,org-1,adm-1,teacher,false,,",
                "enr-t3,tobedeleted,,cls-art-y,org-1,tch-2,teacher,false,,",
            ],
            ("tch-1", "adm-1"),
        ),
    ],
    ids=["co-teacher-added", "primary-added", "co-teacher-replaced"],
)
def test_delta_teacher_rows_merge_with_the_section_teachers(
    import_set, lines, teachers
):
    import_set()
    code, output = import_set(delta_enrollments(*lines))
    assert code == 0, output
    assert output["updated"]["sections"] == 1
    class_id = lines[0].split(",")[3]
    assert teachers_of(class_id) == teachers


def test_bulk_teacher_rows_replace_the_section_teachers(import_set):
    import_set()
    edit = {"enrollments.csv": [("cls-art-y,org-1,tch-2", "cls-art-y,org-1,adm-1")]}
    code, output = import_set(fixture_files(edit))
    assert code == 0, output
    assert teachers_of("cls-art-y") == ("tch-1", "adm-1")


@pytest.mark.parametrize(
    ("sourced_id", "old", "new", "before", "after"),
    [
        ("enr-5", "enr-5,active,,cls-bio-2", "enr-5,active,,cls-alg-1",
         ("stu-3", "cls-bio-2"), ("stu-3", "cls-alg-1")),
        ("enr-6", "cls-art-y,org-1,stu-4", "cls-art-y,org-1,stu-3",
         ("stu-4", "cls-art-y"), ("stu-3", "cls-art-y")),
    ],
    ids=["class-changed", "user-changed"],
)  # fmt: skip
def test_enrollment_moved_ends_the_old_stint_and_opens_a_new_one(
    import_set, sourced_id, old, new, before, after
):
    import_set()
    files = fixture_files({"enrollments.csv": [(old, new)]})
    _, dry_run = import_set(files, "--dry-run")
    code, output = import_set(files)
    assert code == 0, output
    assert dry_run == output
    assert output["dropped"]["enrollments"] == output["created"]["enrollments"] == 1
    stints = db.session.scalars(
        db.select(Enrollment)
        .where(Enrollment.external_id == sourced_id)
        .order_by(Enrollment.id)
    ).all()
    assert [
        (s.student.external_id, s.section.external_id, s.status, s.end_date)
        for s in stints
    ] == [(*before, "dropped", date.today()), (*after, "active", None)]

    code, output = import_set(files)
    assert totals(output, "created") == totals(output, "dropped") == 0, output
    assert totals(output, "updated") == 0, output


def test_tobedeleted_student_is_dropped_from_her_sections(import_set):
    import_set()
    edits = {
        "users.csv": [("stu-1,active,", "stu-1,tobedeleted,")],
        "enrollments.csv": [("enr-1,active", "enr-1,tobedeleted")],
    }
    files = fixture_files(edits)
    # enr-2 is left out: deleting the student is what ends it.
    files["enrollments.csv"] = files["enrollments.csv"].replace(
        "enr-2,active,,cls-bio-2,org-1,stu-1,student,false,,\n", ""
    )
    code, output = import_set(files)
    assert code == 0, output
    assert output["dropped"]["enrollments"] == 2
    stint = by_external_id(Enrollment, "enr-2")
    assert (stint.status, stint.end_date) == ("dropped", date.today())

    code, output = import_set(files)
    assert totals(output, "dropped") == 0, output


EMAIL_MOVES = [
    (
        [
            ("Tina.Turing@maple", "carl.curie@maple"),
            ("M,T101,carl.curie@maple", "M,T101,tina.turing@maple"),
        ],
        {"carl.curie": "tch-1", "tina.turing": "tch-2"},
    ),
    (
        [("ann.lee@maple", "cy.yu@maple"), (",,cy.yu@maple", ",,cy.new@maple")],
        {"cy.yu": "stu-1", "cy.new": "stu-3"},
    ),
]


@pytest.mark.parametrize(("edits", "holders"), EMAIL_MOVES, ids=["swap", "hand-off"])
def test_emails_change_hands_in_one_import(import_set, edits, holders):
    import_set()
    files = fixture_files({"users.csv": edits})
    _, dry_run = import_set(files, "--dry-run")
    code, output = import_set(files)
    assert code == 0, output
    assert dry_run == output
    for name, sourced_id in holders.items():
        account = User.by_email(f"{name}@maple.example.org")
        assert (account.student or account.staff).external_id == sourced_id
        assert (account.student or account.staff).email == account.email


def test_email_handed_to_a_new_person_in_one_import(import_set):
    import_set()
    files = fixture_files({"users.csv": [(",,cy.yu@maple", ",,cy.new@maple")]})
    files["users.csv"] += (
        "stu-5,active,,true,org-1,student,eve,,Eve,Ng,,S2005,"
        "cy.yu@maple.example.org,,,,12,\n"
    )
    code, output = import_set(files)
    assert code == 0, output
    assert User.by_email("cy.yu@maple.example.org").student.external_id == "stu-5"
    assert User.by_email("cy.new@maple.example.org").student.external_id == "stu-3"


def test_local_id_and_course_code_clash_with_homeroom_ignoring_case(import_set, make):
    make.student(local_id="s2001")
    make.course(code="alg1", external_id="crs-old")
    code, output = import_set()
    assert code == 1
    assert [(e["file"], e["line"], e["column"]) for e in output["errors"]] == [
        ("courses.csv", 2, "courseCode"),
        ("users.csv", 5, "identifier"),
    ]
    assert (
        "'ALG1' already belongs to course 'crs-old'" in output["errors"][0]["message"]
    )


def test_grading_period_under_a_year_is_a_quarter_the_form_saves(
    import_set, client, login
):
    edit = {
        "academicSessions.csv": [("2027-01-15,sem-1,2027", "2027-01-15,sy-2026,2027")]
    }
    code, output = import_set(fixture_files(edit))
    assert code == 0, output
    quarter = by_external_id(MarkingPeriod, "q-2")
    assert (quarter.kind, quarter.parent.external_id) == ("quarter", "sy-2026")

    login("admin")
    data = {
        "title": "Quarter 2",
        "short_name": "Q2",
        "kind": "quarter",
        "parent_id": str(quarter.parent_id),
        "start_date": "2026-11-02",
        "end_date": "2027-01-15",
        "post_start": "",
        "post_end": "",
        "does_grades": "y",
    }
    response = client.post_form(f"/marking-periods/{quarter.id}/edit", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/marking-periods")


def test_bad_file_writes_nothing_and_exits_1(import_set):
    before = row_counts()
    files = fixture_files(
        {"enrollments.csv": [("enr-5,active,,cls-bio-2", "enr-5,active,,cls-nope")]}
    )
    code, output = import_set(files)
    assert code == 1
    assert output["errors"] == [
        {
            "file": "enrollments.csv",
            "line": 10,
            "column": "classSourcedId",
            "message": "no class has sourcedId 'cls-nope'",
        }
    ]
    assert totals(output, "created") == 0
    assert row_counts() == before


def test_bad_update_leaves_earlier_import_untouched(import_set):
    import_set()
    before = row_counts()
    files = fixture_files(
        {
            "users.csv": [(",Cy,Yu,", ",Cy,Changed,")],
            "academicSessions.csv": [("2027-06-11,,2027", "2027-06-31,,2027")],
        }
    )
    code, output = import_set(files)
    assert code == 1
    assert output["errors"][0]["column"] == "endDate"
    assert row_counts() == before
    assert by_external_id(Student, "stu-3").last_name == "Yu"


def test_email_of_an_existing_person_is_refused_by_name(import_set, make):
    make.student(email="cy.yu@maple.example.org", local_id="S07777")
    code, output = import_set()
    assert code == 1
    (error,) = output["errors"]
    assert (error["file"], error["line"], error["column"]) == ("users.csv", 7, "email")
    assert "already belongs to student S07777" in error["message"]


def test_existing_admin_account_with_the_same_email_is_linked(import_set, make):
    account = make.user("admin", email="admin@maple.example.org")
    code, output = import_set()
    assert code == 0, output
    db.session.refresh(account)
    assert account.staff.external_id == "adm-1"


def test_student_cannot_become_staff(import_set):
    import_set()
    code, output = import_set(
        fixture_files({"users.csv": [("org-1,student,cyu", "org-1,teacher,cyu")]})
    )
    assert code == 1
    assert any(
        e["column"] == "role" and "is a student in Homeroom" in e["message"]
        for e in output["errors"]
    )


def test_zip_imports_like_a_folder(import_set, tmp_path):
    path = tmp_path / "roster.zip"
    path.write_bytes(zip_bytes(fixture_files()))
    code, output = import_set(path=path)
    assert code == 0
    assert output["created"]["enrollments"] == 6


def test_file_that_is_not_a_zip_is_an_error(import_set, tmp_path):
    path = tmp_path / "roster.zip"
    path.write_text("not a zip")
    code, output = import_set(path=path)
    assert code == 1
    assert output["errors"][0]["message"] == "roster.zip is not a zip file"


def test_dry_run_counts_and_writes_nothing(import_set):
    before = row_counts()
    code, output = import_set(None, "--dry-run")
    assert code == 0
    assert output["created"]["students"] == 4
    assert row_counts() == before


def test_json_output_shape(import_set):
    code, output = import_set()
    assert set(output) == {"created", "updated", "dropped", "unchanged", "errors"}
    for outcome in ("created", "updated", "dropped", "unchanged"):
        assert list(output[outcome]) == list(KINDS)


def test_plain_output_is_a_table_of_counts(runner, tmp_path):
    folder = write_folder(tmp_path, fixture_files())
    result = runner.invoke(args=["roster", "import", str(folder), "--dry-run"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["created", "updated", "dropped", "unchanged"]
    assert lines[1].split() == ["marking", "periods", "6", "0", "0", "0"]
    assert lines[-1] == "Dry run: nothing was written."


def test_plain_output_lists_errors_with_their_place(runner, tmp_path):
    files = fixture_files({"users.csv": [("cy.yu@maple", "ann.lee@maple")]})
    folder = write_folder(tmp_path, files)
    result = runner.invoke(args=["roster", "import", str(folder)])
    assert result.exit_code == 1
    assert "users.csv:7 email: ann.lee@maple.example.org is also on line 5" in (
        result.output
    )
    assert "nothing was written" in result.output


# The admin page.


@pytest.fixture()
def uploads(app, tmp_path):
    """Keep uploaded zips in the test's own folder."""
    folder = tmp_path / "uploads"
    app.config["ROSTER_UPLOAD_FOLDER"] = str(folder)
    return folder


def upload(client, data, name="roster.zip"):
    return client.post_form(
        "/roster/import",
        {"archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_admin_uploads_previews_and_applies(client, login, uploads, run_jobs):
    login("admin")
    assert client.get("/roster/import").status_code == 200
    response = upload(client, zip_bytes(fixture_files()))
    assert response.status_code == 303
    preview_url = response.headers["Location"]

    page = client.get(preview_url).get_data(as_text=True)
    assert "Apply import" in page
    assert row_counts()["students"] == 0

    response = client.post_form(preview_url + "/apply")
    assert response.status_code == 303
    status_url = response.headers["Location"]
    waiting = client.htmx("GET", status_url).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in waiting

    run_jobs()
    done = client.htmx("GET", status_url).get_data(as_text=True)
    assert "The import is applied." in done
    assert "hx-trigger" not in done
    assert row_counts()["students"] == 4
    assert by_external_id(Section, "cls-art-y").teacher.external_id == "tch-1"


def test_apply_refuses_a_file_that_no_longer_checks_out(
    client, login, uploads, run_jobs, make
):
    login("admin")
    preview_url = upload(client, zip_bytes(fixture_files())).headers["Location"]
    make.student(email="cy.yu@maple.example.org", local_id="S07777")
    status_url = client.post_form(preview_url + "/apply").headers["Location"]
    run_jobs()
    body = client.get(status_url).get_data(as_text=True)
    assert "nothing was written" in body
    assert "already belongs to student S07777" in body
    assert row_counts()["students"] == 1


def test_failed_import_job_says_so(client, login, uploads, run_jobs, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs.roster, "import_path", explode)
    login("admin")
    preview_url = upload(client, zip_bytes(fixture_files())).headers["Location"]
    status_url = client.post_form(preview_url + "/apply").headers["Location"]
    run_jobs()
    body = client.get(status_url).get_data(as_text=True)
    assert "The import failed and nothing was written" in body
    assert "hx-trigger" not in body


def test_apply_by_htmx_swaps_in_the_progress(client, login, uploads):
    login("admin")
    preview_url = upload(client, zip_bytes(fixture_files())).headers["Location"]
    response = client.htmx("POST", preview_url + "/apply")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="roster-progress"' in body and 'hx-trigger="every 1s"' in body
    assert "<html" not in body


def test_preview_lists_errors_and_offers_no_apply(client, login, uploads):
    login("admin")
    files = fixture_files({"users.csv": [("cy.yu@maple", "ann.lee@maple")]})
    page = client.get(upload(client, zip_bytes(files)).headers["Location"])
    body = page.get_data(as_text=True)
    assert "users.csv" in body and "<code>email</code>" in body
    assert "ann.lee@maple.example.org is also on line 5" in body
    assert "Apply import" not in body


def test_uploads_older_than_a_week_are_deleted(client, login, uploads):
    login("admin")
    upload(client, zip_bytes(fixture_files()))
    (old,) = uploads.glob("*.zip")
    week_ago = old.stat().st_mtime - 8 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    upload(client, zip_bytes(fixture_files(drop=("orgs.csv",))))
    assert not old.exists()
    assert len(list(uploads.glob("*.zip"))) == 1


def test_upload_that_is_not_a_zip_is_refused(client, login, uploads):
    login("admin")
    response = upload(client, b"a,b\n", name="users.csv")
    assert response.status_code == 422
    assert b"Upload a .zip" in response.data


def test_unknown_upload_is_404(client, login, uploads):
    login("admin")
    assert client.get("/roster/import/" + "0" * 64).status_code == 404
    assert client.get("/roster/import/not-a-digest").status_code == 404


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_roster_import_is_for_admins_only(client, login, uploads, role):
    login(role)
    assert client.get("/roster/import").status_code == 403
    assert upload(client, zip_bytes(fixture_files())).status_code == 403
    assert client.post_form("/roster/import/" + "0" * 64 + "/apply").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/roster/import")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# The page in a browser, at a Chromebook's size.


@pytest.mark.browser
def test_import_page_in_a_browser(app, live_server, page, make, uploads, run_jobs):
    admin = make.user("admin")
    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/roster/import")
    page.click("text=Upload and preview")
    page.wait_for_selector(".field.has-error")
    screenshot(page, "roster-upload")
    bad = fixture_files(
        {
            "users.csv": [("cy.yu@maple", "ann.lee@maple")],
            "enrollments.csv": [("enr-5,active,,cls-bio-2", "enr-5,active,,cls-x")],
            "academicSessions.csv": [("2027-06-11,,2027", "2027-06-31,,2027")],
        }
    )
    for name, files in (("roster-preview-errors", bad), ("roster-preview", None)):
        page.goto(f"{live_server}/roster/import")
        page.set_input_files(
            "input[name=archive]",
            files=[
                {
                    "name": "roster.zip",
                    "mimeType": "application/zip",
                    "buffer": zip_bytes(files or fixture_files()),
                }
            ],
        )
        page.click("text=Upload and preview")
        page.wait_for_selector("h1:text('Roster import preview')")
        screenshot(page, name)
    assert page.locator("table.roster-counts").is_visible()

    page.click("text=Apply import")
    page.wait_for_selector("#roster-progress progress")
    screenshot(page, "roster-progress-waiting")
    run_jobs()
    wait_until(lambda: page.locator("text=The import is applied.").is_visible())
    screenshot(page, "roster-progress-done")
    assert row_counts()["students"] == 4
