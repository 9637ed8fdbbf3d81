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
    assert code == 0
    assert output["dropped"]["enrollments"] == 1
    assert output["dropped"]["students"] == 1
    stint = by_external_id(Enrollment, "enr-2")
    assert stint.status == "dropped" and stint.end_date == date.today()
    assert by_external_id(Student, "stu-3").status == "inactive"
    assert User.by_email("cy.yu@maple.example.org").active is False

    code, output = import_set(fixture_files(edits))
    assert totals(output, "dropped") == 0 and totals(output, "updated") == 0


def test_tobedeleted_class_and_course_are_deactivated(import_set):
    import_set()
    code, output = import_set(
        fixture_files(
            {
                "classes.csv": [("cls-bio-2,active", "cls-bio-2,tobedeleted")],
                "courses.csv": [("crs-art,active", "crs-art,tobedeleted")],
            }
        )
    )
    assert code == 0
    assert (output["dropped"]["sections"], output["dropped"]["courses"]) == (1, 1)
    assert by_external_id(Section, "cls-bio-2").active is False
    assert by_external_id(Course, "crs-art").active is False


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
