"""Input Final Grades, period weights, completion, finalize and progress reports."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from blueprints.grades.cli import finalize_command
from jobs.enqueue import find_job
from models import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    CommentCode,
    FinalGrade,
    GradebookConfig,
    GradingScale,
    GradingScaleLevel,
    MarkingPeriod,
    PeriodWeight,
    School,
    Score,
    SectionCompletion,
    db,
)
from models.grade_reports import report_period
from tests.conftest import browser_login, screenshot

TODAY = date.today()
SCALE = [("A", 90, 4, True), ("B", 80, 3, True), ("C", 70, 2, True),
         ("D", 60, 1, True), ("F", 0, 0, False)]  # fmt: skip


def pdf_text(data):
    """All the text of a PDF."""
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def save(*records):
    db.session.add_all(records)
    db.session.commit()
    return records[0]


@pytest.fixture()
def scale(app):
    """The school's A-F scale."""
    return save(
        GradingScale(
            name="A-F",
            is_default=True,
            levels=[
                GradingScaleLevel(
                    letter=letter, min_percentage=D(low), gpa_points=D(pts), passing=ok
                )
                for letter, low, pts, ok in SCALE
            ],
        )
    )


@pytest.fixture()
def term(make, scale):
    """A semester with two quarters; Q1's posting window is open today."""
    s1 = make.period(
        kind="semester", title="Semester 1", short_name="S1", does_exams=True
    )
    window = {"post_start": TODAY - timedelta(days=1), "post_end": TODAY}
    q1 = make.period(
        kind="quarter", title="Quarter 1", short_name="Q1", parent_id=s1.id, **window
    )
    q2 = make.period(
        kind="quarter",
        title="Quarter 2",
        short_name="Q2",
        parent_id=s1.id,
        start_date=date(2026, 11, 1),
    )
    teacher = make.staff(first_name="Ada", last_name="Lovelace")
    section = make.section(
        course=make.course(code="MA1", title="Algebra I"),
        marking_period=s1,
        teacher=teacher,
    )
    ana = make.student(first_name="Ana", last_name="Alvarez")
    ben = make.student(first_name="Ben", last_name="Brook")
    for student in (ana, ben):
        make.enroll(student, section)
    return {"s1": s1, "q1": q1, "q2": q2, "teacher": teacher, "section": section,
            "ana": ana, "ben": ben}  # fmt: skip


@pytest.fixture()
def gradebook(term):
    """Tests worth 100 points in Q1: Ana scored 91.5, Ben 78 with a late quiz."""
    section = term["section"]
    tests = save(AssignmentType(section_id=section.id, name="Tests", weight=D(100)))

    def work(title, points, due, scores):
        assignment = save(
            Assignment(
                section_id=section.id,
                type_id=tests.id,
                marking_period_id=term["q1"].id,
                title=title,
                points=D(points),
                due_on=due,
            )
        )
        for student, fields in scores.items():
            save(Score(assignment_id=assignment.id, student_id=term[student].id,
                       **fields))  # fmt: skip

    work("Unit 1 test", 100, date(2026, 9, 20), {
        "ana": {"points": D("91.5")}, "ben": {"points": D(80)}})  # fmt: skip
    work("Quiz 1", 20, date(2026, 9, 27), {
        "ana": {"points": D(18)}, "ben": {"points": D(14), "late": True}})  # fmt: skip
    work("Essay", 30, date(2026, 10, 2), {"ben": {"missing": True}})
    return term


def url(term, period="q1"):
    return f"/grades/sections/{term['section'].id}/periods/{term[period].id}"


def teacher_of(make, term):
    return make.user("teacher", person=term["teacher"])


def rows(term, **by_student):
    """Form data for the table; each student's fields as keyword dicts."""
    data = {}
    for name, fields in by_student.items():
        for field, value in fields.items():
            data[f"{field}-{term[name].id}"] = value
    return data


def stored(term, student, period="q1"):
    db.session.expire_all()
    return db.session.scalar(
        db.select(FinalGrade).where(
            FinalGrade.student_id == term[student].id,
            FinalGrade.marking_period_id == term[period].id,
        )
    )


def test_page_shows_each_students_merged_grade(client, login, make, gradebook):
    login(teacher_of(make, gradebook))

    page = client.get(url(gradebook)).get_data(as_text=True)

    # Ana: (91.5 + 18) / 120 = 91.25 -> A; Ben: 94 / 120 = 78.33 -> C
    assert "Input Final Grades" in page
    assert "91.25" in page and "78.33" in page
    assert 'name="override-' in page and 'name="csrf_token"' in page


# override typed, final %, final letter, source, gpa points, credits earned
MERGE_CASES = [
    ("", D("91.25"), "A", "merged", D(4), D(1)),
    ("b", D("91.25"), "B", "overridden", D(3), D(1)),
    ("85", D("85.00"), "B", "overridden", D(3), D(1)),
    ("55.5%", D("55.50"), "F", "overridden", D(0), D(0)),
    ("F", D("91.25"), "F", "overridden", D(0), D(0)),
]


@pytest.mark.parametrize(
    ("override", "percentage", "letter", "source", "points", "earned"), MERGE_CASES
)
def test_submit_saves_merged_or_overridden_grade(
    client, login, make, gradebook, override, percentage, letter, source, points,
    earned,
):  # fmt: skip
    login(teacher_of(make, gradebook))

    response = client.post_form(
        url(gradebook), rows(gradebook, ana={"override": override})
    )

    assert response.status_code == 302
    grade = stored(gradebook, "ana")
    assert (grade.percentage, grade.letter, grade.source) == (
        percentage,
        letter,
        source,
    )
    assert grade.computed_percentage == D("91.25") and grade.computed_letter == "A"
    assert (grade.gpa_points, grade.credits_attempted, grade.credits_earned) == (
        points,
        D(1),
        earned,
    )


def test_submit_records_completion_and_resubmit_updates(client, login, make, gradebook):
    db.session.add(CommentCode(code="E1", text="Excellent effort"))
    db.session.commit()
    teacher = login(teacher_of(make, gradebook))

    client.post_form(url(gradebook), rows(gradebook, ana={"override": "B"}))
    client.post_form(
        url(gradebook),
        rows(gradebook, ana={"override": "", "codes": "e1", "comment": "Well done."}),
    )

    grades = db.session.scalars(db.select(FinalGrade)).all()
    assert len(grades) == 2  # one per student, updated in place
    grade = stored(gradebook, "ana")
    assert (grade.letter, grade.source, grade.override_letter) == ("A", "merged", None)
    assert (grade.comment_codes, grade.comment) == ("E1", "Well done.")
    completion = db.session.scalar(db.select(SectionCompletion))
    assert completion.section_id == gradebook["section"].id
    assert completion.completed_by_id == teacher.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("override", "Z", "Use a letter of the scale"),
        ("override", "250", "between 0 and 200"),
        ("codes", "XX", "Unknown comment code: XX."),
    ],
)
def test_bad_row_is_refused_and_nothing_is_saved(
    client, login, make, gradebook, field, value, message
):
    login(teacher_of(make, gradebook))

    response = client.post_form(
        url(gradebook), rows(gradebook, ana={"override": "B"}, ben={field: value})
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(FinalGrade.id))) == 0
    assert db.session.scalar(db.select(db.func.count(SectionCompletion.id))) == 0


@pytest.mark.parametrize(
    ("role", "window", "get_status", "post_status"),
    [
        ("teacher", (-1, 0), 200, 302),
        ("teacher", (-10, -2), 200, 403),
        ("teacher", (1, 5), 200, 403),
        ("teacher", None, 200, 403),
        ("admin", (-10, -2), 200, 302),
        ("admin", None, 200, 302),
    ],
)
def test_posting_window(
    client, login, make, gradebook, role, window, get_status, post_status
):
    q1 = gradebook["q1"]
    if window is None:
        q1.post_start = q1.post_end = None
    else:
        q1.post_start = TODAY + timedelta(days=window[0])
        q1.post_end = TODAY + timedelta(days=window[1])
    db.session.commit()
    login(teacher_of(make, gradebook) if role == "teacher" else "admin")

    page = client.get(url(gradebook))
    response = client.post_form(url(gradebook), {})

    assert page.status_code == get_status
    closed = "posting window for Quarter 1 is closed" in page.get_data(as_text=True)
    assert closed == (role == "teacher" and post_status == 403)
    assert response.status_code == post_status


@pytest.mark.parametrize("who", ["other teacher", "student"])
def test_others_cannot_open_or_submit(client, login, make, gradebook, who):
    login("teacher" if who == "other teacher" else "student")
    assert client.get(url(gradebook)).status_code == 403
    assert client.post_form(url(gradebook), {}).status_code == 403


def test_period_outside_the_section_is_not_found(client, login, make, gradebook):
    other = make.period(kind="quarter", title="Elsewhere", short_name="X")
    login("admin")
    response = client.get(
        f"/grades/sections/{gradebook['section'].id}/periods/{other.id}"
    )
    assert response.status_code == 404


def canvas_scores(gradebook):
    """Canvas work under option 1: Ana's type 80.00 to a course score of 86.00."""
    section = gradebook["section"]
    save(GradebookConfig(section_id=section.id, canvas_option=1))
    canvas = save(AssignmentType(section_id=section.id, name="Canvas", is_canvas=True))
    work = save(
        Assignment(section_id=section.id, type_id=canvas.id, title="Canvas quiz",
                   points=D(10), from_canvas=True)
    )  # fmt: skip
    save(
        Score(assignment_id=work.id, student_id=gradebook["ana"].id, points=D(8)),
        Score(assignment_id=work.id, student_id=gradebook["ben"].id, points=D(9)),
        CanvasCourseScore(
            section_id=section.id, student_id=gradebook["ana"].id,
            current_score=D("86.00"),
        ),
        CanvasCourseScore(
            section_id=section.id, student_id=gradebook["ben"].id,
            current_score=D("90.20"),
        ),
    )  # fmt: skip


def test_canvas_and_homeroom_disagreeing_is_shown(client, login, make, gradebook):
    canvas_scores(gradebook)
    login("admin")

    page = client.get(url(gradebook, "s1")).get_data(as_text=True)

    # Ana's Canvas type is 80.00 against a course score of 86.00: flagged.
    assert "Canvas's course score is <strong>86.00</strong>" in page
    # Ben's 90.00 against 90.20 is within the tolerance.
    assert "90.20" not in page


def test_canvas_course_score_is_not_compared_with_a_quarter(
    client, login, make, gradebook
):
    canvas_scores(gradebook)
    login("admin")

    page = client.get(url(gradebook, "q1")).get_data(as_text=True)

    # The course score covers the whole semester, not Quarter 1 alone.
    assert "80.00" in page
    assert "course score" not in page and "86.00" not in page


def test_semester_grade_from_weighted_quarters_and_exam(client, login, make, gradebook):
    g = gradebook
    for student, q1, q2 in (("ana", "90", "80"), ("ben", "70", None)):
        for period, pct in (("q1", q1), ("q2", q2)):
            if pct is not None:
                save(
                    FinalGrade(
                        school_id=g["section"].school_id,
                        student_id=g[student].id,
                        section_id=g["section"].id,
                        marking_period_id=g[period].id,
                        percentage=D(pct),
                        letter="B",
                    )
                )
    PeriodWeight.replace(
        g["s1"].id, {g["q1"].id: D(40), g["q2"].id: D(40), None: D(20)}
    )
    db.session.commit()
    login("admin")

    page = client.get(url(g, "s1")).get_data(as_text=True)
    assert "85.00" in page  # Ana before the exam: (90*40 + 80*40) / 80
    client.post_form(url(g, "s1"), rows(g, ana={"exam": "70"}, ben={"exam": "100"}))

    ana, ben = stored(g, "ana", "s1"), stored(g, "ben", "s1")
    assert (ana.percentage, ana.letter, ana.exam_percentage) == (D("82.00"), "B", D(70))
    # Ben has no Q2 grade: Q1 and the exam renormalised, (70*40 + 100*20) / 60
    assert (ben.percentage, ben.letter) == (D("80.00"), "B")


@pytest.mark.parametrize(
    ("weights", "status", "message"),
    [
        ({"q1": "40", "q2": "40", "exam": "20"}, 302, None),
        ({"q1": "40", "q2": "40", "exam": "10"}, 422, "they must add up to 100"),
        ({"q1": "forty", "q2": "60", "exam": ""}, 422, "must be a number"),
    ],
)
def test_admin_sets_period_weights(client, login, term, weights, status, message):
    login("admin")
    data = {
        ("weight-exam" if key == "exam" else f"weight-{term[key].id}"): value
        for key, value in weights.items()
    }

    response = client.post_form(f"/grades/weights/{term['s1'].id}", data)

    assert response.status_code == status
    saved = PeriodWeight.of(term["s1"].id)
    if message:
        assert message in response.get_data(as_text=True)
        assert saved == {}
    else:
        assert saved == {term["q1"].id: D(40), term["q2"].id: D(40), None: D(20)}


def test_weights_are_for_admins(client, login, term):
    login("teacher")
    assert client.get(f"/grades/weights/{term['s1'].id}").status_code == 403


def test_completion_report_lists_who_has_and_has_not(client, login, make, gradebook):
    other = make.section(
        course=make.course(code="EN1", title="English"),
        marking_period=gradebook["s1"],
        teacher=make.staff(first_name="Zed", last_name="Zimmer"),
    )
    SectionCompletion.record(gradebook["section"], gradebook["q1"].id, None)
    db.session.commit()
    login("admin")

    page = client.get(f"/grades/completion?period={gradebook['q1'].id}").get_data(
        as_text=True
    )

    assert "1 of 2 sections submitted for Quarter 1." in page
    lovelace, zimmer = page.index("Ada Lovelace"), page.index("Zed Zimmer")
    assert page.index("Submitted", lovelace) < zimmer
    assert "Not submitted" in page[zimmer:]
    assert other.name in page


def test_completion_report_shows_the_open_period_by_default(client, login, gradebook):
    login("admin")

    page = client.get("/grades/completion").get_data(as_text=True)

    # Quarter 1's posting window is open today.
    assert f'<option value="{gradebook["q1"].id}" selected>' in page
    assert "0 of 1 sections submitted for Quarter 1." in page


def test_completion_report_says_when_no_section_is_graded_in_a_period(
    client, login, make, gradebook
):
    year = make.period(title="2026-27", short_name="26-27")
    gradebook["s1"].parent_id = year.id
    make.period(kind="semester", title="Semester 2", parent_id=year.id,
                start_date=date(2027, 1, 20))  # fmt: skip
    login("admin")

    page = client.get(f"/grades/completion?period={year.id}").get_data(as_text=True)

    assert f'<option value="{year.id}" selected>' in page
    assert "No section is graded in 2026-27; choose Semester 1 or Semester 2." in page
    assert "sections submitted" not in page


def test_completion_report_refuses_an_unknown_period(client, login, gradebook):
    login("admin")
    assert client.get("/grades/completion?period=999999").status_code == 404


def period_on(pk, end, post=None):
    """An unsaved grading period ending on `end`, posting in `post` if given."""
    start, stop = post or (None, None)
    return MarkingPeriod(id=pk, title=f"P{pk}", does_grades=True,
                         end_date=end, post_start=start, post_end=stop)  # fmt: skip


JAN, MAR, JUN = date(2027, 1, 20), date(2027, 3, 30), date(2027, 6, 10)


@pytest.mark.parametrize(
    ("windows", "today", "expected"),
    [
        # Two windows open: the one closing first.
        ({1: (JAN, JUN), 2: (JAN, MAR)}, date(2027, 2, 1), 2),
        # None open: the period that ended last.
        ({}, date(2027, 4, 1), 2),
        # Nothing has ended: the period in progress that ends first.
        ({}, date(2026, 9, 1), 1),
    ],
)
def test_report_period_defaults(windows, today, expected):
    tree = [
        (period_on(3, JUN, windows.get(3)), 0),
        (period_on(1, JAN, windows.get(1)), 1),
        (period_on(2, MAR, windows.get(2)), 1),
    ]
    assert report_period(tree, None, today).id == expected
    assert report_period(tree, 1, today).id == 1
    assert report_period(tree, 99, today) is None


def test_final_grades_index_names_the_term_and_orders_by_it(
    client, login, make, gradebook
):
    s2 = make.period(kind="semester", title="Semester 2", short_name="S2",
                     start_date=date(2027, 1, 20))  # fmt: skip
    teacher = gradebook["teacher"]
    course = gradebook["section"].course
    make.section(course=course, marking_period=s2, teacher=teacher, period="1")
    geometry = make.course(code="GEO", title="Geometry")
    make.section(
        course=geometry, marking_period=gradebook["s1"], teacher=teacher, period="2"
    )
    login(teacher_of(make, gradebook))

    page = client.get("/grades").get_data(as_text=True)

    body = page[page.index("<tbody>") :]
    rows = [body.index(text) for text in ("MA1", "GEO", "<td>Semester 2</td>")]
    assert rows == sorted(rows)
    assert body.count("<td>Semester 1</td>") == 2


def test_completion_report_is_for_admins(client, login, term):
    login("teacher")
    assert client.get("/grades/completion").status_code == 403


def test_finalize_fills_only_missing_grades(runner, client, login, make, gradebook):
    login(teacher_of(make, gradebook))
    client.post_form(url(gradebook), rows(gradebook, ana={"override": "C"}))
    db.session.delete(stored(gradebook, "ben"))
    db.session.commit()

    result = runner.invoke(finalize_command, ["--period", gradebook["q1"].external_id])

    assert result.exit_code == 0, result.output
    assert "MA1 Algebra I (P1): 1 finalized, 1 left as they were." in result.output
    assert "finalized Brook, Ben: 78.33 C" in result.output
    assert "left Alvarez, Ana: already has a grade" in result.output
    ana, ben = stored(gradebook, "ana"), stored(gradebook, "ben")
    assert (ana.letter, ana.source) == ("C", "overridden")
    assert (ben.letter, ben.source, ben.percentage) == ("C", "finalized", D("78.33"))

    again = runner.invoke(finalize_command, ["--period", gradebook["q1"].external_id])
    assert "0 grades finalized in 1 sections." in again.output


def test_finalize_one_section_checks_the_period(runner, make, gradebook):
    other = make.period(kind="quarter", title="Elsewhere", short_name="X")
    result = runner.invoke(
        finalize_command,
        ["--period", other.external_id, "--section", gradebook["section"].external_id],
    )
    assert result.exit_code != 0
    assert "is not graded in Elsewhere" in result.output


def test_finalize_refuses_a_period_that_takes_no_grades(runner, make, gradebook):
    gradebook["q1"].does_grades = False
    db.session.commit()
    for extra in ([], ["--section", gradebook["section"].external_id]):
        result = runner.invoke(
            finalize_command, ["--period", gradebook["q1"].external_id, *extra]
        )
        assert result.exit_code != 0
        assert "Quarter 1 takes no grades." in result.output
    assert db.session.scalar(db.select(db.func.count(FinalGrade.id))) == 0


def test_fetch_canvas_grades_queues_one_job(client, login, make, gradebook):
    gradebook["section"].canvas_sync = True
    save(GradebookConfig(section_id=gradebook["section"].id, canvas_option=1))
    login(teacher_of(make, gradebook))
    fetch = f"/grades/sections/{gradebook['section'].id}/fetch-canvas"

    first = client.htmx("POST", fetch, data={"period": gradebook["q1"].id})
    second = client.htmx("POST", fetch, data={"period": gradebook["q1"].id})

    assert first.status_code == second.status_code == 200
    assert "Fetching" in first.get_data(as_text=True)
    job = find_job(f"canvas:grades:section:{gradebook['section'].id}")
    assert job.func_name == "jobs.gradebook_canvas.pull_grades"
    assert job.args == (gradebook["section"].id,)


def canvas_ready(gradebook):
    """Let the section fetch Canvas grades; returns the fetch URL."""
    gradebook["section"].canvas_sync = True
    save(GradebookConfig(section_id=gradebook["section"].id, canvas_option=1))
    return f"/grades/sections/{gradebook['section'].id}/fetch-canvas"


def test_fetch_without_javascript_returns_to_the_page_with_the_job(
    client, login, make, gradebook
):
    fetch = canvas_ready(gradebook)
    login(teacher_of(make, gradebook))

    response = client.post_form(fetch, {"period": gradebook["q1"].id})

    job = find_job(f"canvas:grades:section:{gradebook['section'].id}")
    assert response.status_code == 302
    assert response.location.endswith(f"{url(gradebook)}?job={job.id}")


@pytest.mark.parametrize(
    ("done", "total", "message", "shown"),
    [
        (0, 0, "", None),
        (1, 2, "Reading scores", "Reading scores"),
        (1, 1, "Done", None),
    ],
)
def test_running_fetch_reads_plainly_on_every_tab(
    client, login, make, gradebook, done, total, message, shown
):
    fetch = canvas_ready(gradebook)
    login(teacher_of(make, gradebook))
    client.htmx("POST", fetch, data={"period": gradebook["q1"].id})
    job = find_job(f"canvas:grades:section:{gradebook['section'].id}")
    job.meta.update({"done": done, "total": total, "message": message})
    job.save_meta()

    for period in ("q1", "q2"):
        page = client.get(url(gradebook, period)).get_data(as_text=True)
        assert "Fetching Canvas grades…" in page
        assert "Fetching:" not in page and "Done" not in page
        if shown:
            assert f'<small class="muted">{shown}</small>' in page


def test_finished_fetch_is_shown_only_where_it_was_started(
    client, login, make, gradebook, run_jobs
):
    fetch = canvas_ready(gradebook)
    login(teacher_of(make, gradebook))
    started = client.htmx("POST", fetch, data={"period": gradebook["q1"].id})
    job = find_job(f"canvas:grades:section:{gradebook['section'].id}")
    run_jobs()
    # The section has no Canvas course, so the job finishes with a reason.
    reason = "This section has no Canvas course yet"

    polled = client.htmx("GET", f"{fetch}?period={gradebook['q1'].id}&job={job.id}")
    returned = client.get(f"{url(gradebook)}?job={job.id}")
    later = [client.get(url(gradebook, p)) for p in ("q1", "q2")]
    status = client.htmx("GET", f"{fetch}?period={gradebook['q1'].id}")

    assert f"job={job.id}" in started.get_data(as_text=True)
    assert reason in polled.get_data(as_text=True)
    assert reason in returned.get_data(as_text=True)
    for response in (*later, status):
        text = response.get_data(as_text=True)
        assert reason not in text and "Fetching Canvas grades…" not in text
        assert "Fetch Canvas grades" in text


def test_progress_report_for_a_section_page_and_pdf(client, login, make, gradebook):
    login(teacher_of(make, gradebook))
    query = f"section={gradebook['section'].id}&on={TODAY.isoformat()}"

    page = client.get(f"/reports/progress?{query}").get_data(as_text=True)
    text = pdf_text(client.get(f"/reports/progress.pdf?{query}").data)

    for document in (page.replace("<strong>", "").replace("</strong>", ""), text):
        assert "Ana Alvarez" in document and "Ben Brook" in document
        assert "Grade to date: 91.25 A" in document
        assert "Grade to date: 78.33 C" in document
        assert "Missing: Essay (due 2 October 2026)" in document
        assert "Late: Quiz 1 (due 27 September 2026)" in document


@pytest.mark.parametrize("by", ["section", "student"])
def test_progress_report_counts_only_work_due_by_its_date(
    client, login, make, gradebook, by
):
    login(teacher_of(make, gradebook))
    target = gradebook["section"] if by == "section" else gradebook["ben"]
    query = f"{by}={target.id}&on=2026-09-21"

    page = client.get(f"/reports/progress?{query}").get_data(as_text=True)
    text = pdf_text(client.get(f"/reports/progress.pdf?{query}").data)

    for document in (page.replace("<strong>", "").replace("</strong>", ""), text):
        assert "Grade to date: 80.00 B" in document
        assert "Essay" not in document and "Quiz 1" not in document


def test_student_sees_only_her_own_progress(client, login, make, gradebook):
    login(make.user("student", person=gradebook["ana"]))
    own = client.get(f"/reports/progress?student={gradebook['ana'].id}")
    assert own.status_code == 200
    assert "91.25" in own.get_data(as_text=True)
    assert (
        client.get(f"/reports/progress?student={gradebook['ben'].id}").status_code
        == 403
    )
    section = client.get(f"/reports/progress?section={gradebook['section'].id}")
    assert section.status_code == 403


# --- the browser: screenshots ----------------------------------------------------


@pytest.mark.browser
def test_screenshots_of_final_grades_and_documents(
    app, live_server, page, make, gradebook
):
    g = gradebook
    school = School.current()
    school.address, school.phone = "12 Elm Street, Springfield", "555-0123"
    db.session.add(CommentCode(code="E1", text="Excellent effort and participation"))
    g["section"].canvas_sync = True
    save(GradebookConfig(section_id=g["section"].id, canvas_option=1))
    teacher = teacher_of(make, g)
    browser_login(page, live_server, teacher.email)

    page.goto(f"{live_server}{url(g)}")
    page.fill(f"input[name=override-{g['ben'].id}]", "B")
    page.fill(f"input[name=codes-{g['ana'].id}]", "E1")
    page.fill(f"textarea[name=comment-{g['ana'].id}]", "A strong start.")
    page.click("button:has-text('Submit final grades')")
    page.wait_for_selector("text=Saved 2 final grades")
    screenshot(page, "input-final-grades")

    for student, pct in (("ana", "91.25"), ("ben", "81.00")):
        save(
            FinalGrade(
                school_id=school.id, student_id=g[student].id,
                section_id=g["section"].id, marking_period_id=g["s1"].id,
                percentage=D(pct), letter="A" if pct > "90" else "B",
                gpa_points=D(4) if pct > "90" else D(3), credits_attempted=D(1),
                credits_earned=D(1),
            )
        )  # fmt: skip
    page.goto(
        f"{live_server}/reports/report-cards?period={g['q1'].id}&student={g['ana'].id}"
    )
    page.wait_for_selector("text=Period GPA")
    screenshot(page, "report-card")
    page.goto(f"{live_server}/reports/transcripts/{g['ana'].id}")
    page.wait_for_selector("text=Cumulative GPA")
    screenshot(page, "transcript")


@pytest.mark.browser
def test_screenshots_of_a_quarter_fetch_and_completion(
    app, live_server, page, make, gradebook, run_jobs
):
    g = gradebook
    canvas_scores(g)
    g["section"].canvas_sync = True
    db.session.commit()
    browser_login(page, live_server, teacher_of(make, g).email)

    page.goto(f"{live_server}{url(g)}")
    assert page.locator(".diverges").count() == 0
    assert page.locator(".fetch-canvas .badge").count() == 0
    screenshot(page, "input-final-grades-quarter")
    page.click("button:has-text('Fetch Canvas grades')")
    page.wait_for_selector("text=Fetching Canvas grades…")
    screenshot(page, "input-final-grades-fetching")
    run_jobs()
    page.wait_for_selector("text=no Canvas course yet", timeout=10000)
    screenshot(page, "input-final-grades-fetched")
    page.goto(f"{live_server}{url(g, 's1')}")
    assert page.locator(".diverges").count() == 1
    assert page.locator(".fetch-canvas .badge").count() == 0
    screenshot(page, "input-final-grades-semester")

    page.context.clear_cookies()
    browser_login(page, live_server, make.user("admin").email)
    page.goto(f"{live_server}/grades/completion")
    page.wait_for_selector("text=sections submitted for Quarter 1")
    screenshot(page, "completion-report")
    year = make.period(title="2026-27", short_name="26-27")
    g["s1"].parent_id = year.id
    db.session.commit()
    page.reload()
    page.select_option("select#period", str(year.id))
    page.click("button:has-text('Show')")
    page.wait_for_selector("text=No section is graded in 2026-27")
    screenshot(page, "completion-report-year")
    page.goto(f"{live_server}/grades")
    screenshot(page, "final-grades-index")


@pytest.mark.parametrize(
    ("code", "text", "status", "message"),
    [
        ("hw1", "Homework is often incomplete", 302, None),
        ("E1", "Twice", 422, "E1 is already a comment code."),
        ("A B", "Spaces", 422, "Letters and digits only."),
        ("", "No code", 422, "This field is required."),
    ],
)
def test_admin_adds_comment_codes(client, login, app, code, text, status, message):
    db.session.add(CommentCode(code="E1", text="Excellent effort"))
    db.session.commit()
    login("admin")

    response = client.post_form("/grades/comment-codes", {"code": code, "text": text})

    assert response.status_code == status
    codes = CommentCode.available(School.current().id)
    if message:
        assert message in response.get_data(as_text=True)
        assert list(codes) == ["E1"]
    else:
        assert codes["HW1"] == text


def test_retired_code_is_refused_on_new_grades(client, login, make, gradebook):
    code = save(CommentCode(code="E1", text="Excellent effort"))
    login("admin")
    client.post_form(f"/grades/comment-codes/{code.id}/toggle")

    response = client.post_form(url(gradebook), rows(gradebook, ana={"codes": "E1"}))

    assert response.status_code == 422
    assert "Unknown comment code: E1." in response.get_data(as_text=True)


def test_comment_codes_are_for_admins(client, login, app):
    login("teacher")
    assert client.get("/grades/comment-codes").status_code == 403
