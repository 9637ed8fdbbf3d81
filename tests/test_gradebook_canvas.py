"""Canvas coursework and grades against the simulator, through a real worker."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
import requests

from models import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    CanvasGroup,
    GradebookConfig,
    Score,
    SyncState,
    db,
)
from models.gradebook_summary import section_summaries
from tests.canvas_helpers import canvas as canvas_fixture  # noqa: F401
from tests.canvas_helpers import simulator as simulator_fixture  # noqa: F401

STUDENTS = 4


def _synced_book(make, sim, option=1, autofill=True, students=STUDENTS, **fields):
    """A synced section whose Canvas course (in the simulator) has coursework."""
    section = make.section(canvas_sync=True, virtual_class=True, **fields)
    teacher = make.user("teacher", person=section.teacher)
    kids = [make.student() for _ in range(students)]
    for kid in kids:
        make.enroll(kid, section)
    created = sim.seed(
        users=[
            {"name": k.full_name, "login_id": k.email, "sis_user_id": k.external_id}
            for k in kids
        ],
        courses=[
            {
                "name": section.name,
                "sis_course_id": section.external_id,
                "published": True,
                "autofill": autofill,
                "sections": [{"name": section.name,
                              "sis_section_id": section.external_id}],
                "enrollments": [{"user": k.external_id} for k in kids],
            }
        ],
    )  # fmt: skip
    course_id = created["courses"][0]
    state = SyncState.ensure("section", section.id, state="synced")
    state.canvas_id = course_id
    config = GradebookConfig.for_section(section)
    config.canvas_option = option
    config.weighted = True
    config.lock()
    AssignmentType.canvas_for(section.id).weight = D(100)
    db.session.commit()
    return section, teacher, kids, course_id


def _api(sim, method, path, **data):
    """Call the simulator's Canvas API as a teacher would in Canvas."""
    response = requests.request(
        method,
        f"{sim.url}/api/v1/{path}",
        data=data,
        headers={"Authorization": f"Bearer {sim.token}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def _start(client, section, kind):
    return client.htmx("POST", f"/sections/{section.id}/gradebook/canvas/{kind}")


def _finish(client, section, kind, run_jobs):
    run_jobs()
    return client.htmx("GET", f"/sections/{section.id}/gradebook/canvas/{kind}")


def _canvas_assignments(section):
    return db.session.scalars(
        db.select(Assignment)
        .where(Assignment.section_id == section.id, Assignment.from_canvas)
        .order_by(Assignment.canvas_assignment_id)
    ).all()


def test_get_canvas_assignments_is_idempotent_and_picks_up_changes(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, _kids, course_id = _synced_book(make, canvas)
    login(teacher)

    started = _start(client, section, "coursework")
    assert started.status_code == 200
    assert "HX-Trigger" not in started.headers
    page = _finish(client, section, "coursework", run_jobs)
    # the assignment list hears this and reloads itself
    assert page.headers["HX-Trigger"] == "coursework-done"
    first = _canvas_assignments(section)
    # twelve assignments and two quizzes, less the one omitted from the grade
    assert len(first) == 13
    assert sum(a.is_quiz for a in first) == 2
    assert all(a.canvas_url and a.type.is_canvas for a in first)
    assert b"13 added, 0 updated, 0 marked, 0 left alone" in page.data
    groups = db.session.scalars(
        db.select(CanvasGroup).where(CanvasGroup.section_id == section.id)
    ).all()
    assert sorted(g.weight for g in groups) == [D(20), D(20), D(25), D(35)]
    assert GradebookConfig.for_section(section).canvas_weights_groups
    types_page = client.get(f"/sections/{section.id}/gradebook/types")
    assert b'id="canvas-groups"' in types_page.data
    assert b'<td>Tests</td><td class="num">35</td>' in types_page.data
    config_page = client.get(f"/sections/{section.id}/gradebook/config")
    assert b'id="canvas-groups-weighted"' in config_page.data

    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert b"0 added, 0 updated, 0 marked, 13 left alone" in page.data

    target = first[0]
    path = f"courses/{course_id}/assignments/{target.canvas_assignment_id}"
    _api(canvas, "PUT", path, **{"assignment[name]": "Homework 1: Renamed"})
    _api(canvas, "POST", f"courses/{course_id}/quizzes",
         **{"quiz[title]": "Pop Quiz", "quiz[quiz_type]": "assignment",
            "quiz[points_possible]": "15", "quiz[published]": "true",
            "quiz[due_at]": "2026-11-20T23:59:00Z"})  # fmt: skip
    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert b"1 added, 1 updated, 0 marked, 12 left alone" in page.data
    assert b"Updated: Homework 1: Renamed" in page.data
    titles = {a.title: a for a in _canvas_assignments(section)}
    assert "Homework 1: Renamed" in titles
    assert titles["Pop Quiz"].is_quiz and titles["Pop Quiz"].points == D(15)
    assert len(titles) == 14


def test_assignment_gone_from_canvas_is_marked_not_dropped(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas)
    login(teacher)
    _start(client, section, "grades")
    _finish(client, section, "grades", run_jobs)
    graded = next(
        a for a in _canvas_assignments(section)
        if db.session.scalar(db.select(Score.id).where(Score.assignment_id == a.id))
    )  # fmt: skip
    path = f"courses/{course_id}/assignments/{graded.canvas_assignment_id}"
    _api(canvas, "PUT", path, **{"assignment[published]": "false"})

    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert b"unpublished in Canvas" in page.data
    db.session.expire_all()
    kept = db.session.get(Assignment, graded.id)
    assert kept.state == "unpublished"
    assert db.session.scalar(db.select(Score.id).where(Score.assignment_id == kept.id))
    grid = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert kept.title.encode() in grid.data


def test_assignment_no_longer_graded_in_canvas_is_marked_so(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas)
    login(teacher)
    _start(client, section, "grades")
    _finish(client, section, "grades", run_jobs)
    work = _canvas_assignments(section)[0]
    path = f"courses/{course_id}/assignments/{work.canvas_assignment_id}"
    _api(canvas, "PUT", path, **{"assignment[omit_from_final_grade]": "true"})

    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert f"{work.title} (not graded in Canvas)".encode() in page.data
    assert b"deleted in Canvas" not in page.data
    db.session.expire_all()
    assert db.session.get(Assignment, work.id).state == "ungraded"

    _api(canvas, "PUT", path, **{"assignment[omit_from_final_grade]": "false"})
    _start(client, section, "coursework")
    _finish(client, section, "coursework", run_jobs)
    db.session.expire_all()
    assert db.session.get(Assignment, work.id).state == "active"


def test_pull_from_a_chosen_marking_period_reloads_that_period(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas)
    login(teacher)
    period = section.marking_period_id
    url = f"/sections/{section.id}/gradebook/canvas/grades?mp={period}"
    started = client.htmx("POST", url)
    assert f"canvas/grades?mp={period}".encode() in started.data

    run_jobs()
    done = client.htmx("GET", url).get_data(as_text=True)
    assert f"/gradebook/grades/?mp={period}" in done
    plain = client.post_form(url)
    assert plain.status_code == 303 and f"mp={period}" in plain.location


def _sim_submissions(sim, section):
    """The simulator's submissions as (canvas assignment id, sis user id) -> row."""
    logins = {row["user_id"]: row["sis_user_id"] for row in sim.users()}
    return {
        (row["assignment_id"], logins.get(row["user_id"])): row
        for row in sim.state("submissions")
    }


def test_pull_grades_counts_marks_and_asks_only_for_changes(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas)
    login(teacher)
    canvas.clear_requests()
    _start(client, section, "grades")
    page = _finish(client, section, "grades", run_jobs)
    counts = canvas.request_counts()
    assert sum(counts.values()) == 4  # course, groups, quizzes, one page of scores
    scores = db.session.scalars(db.select(Score)).all()
    changed = len(scores)
    assert f"<strong>{changed}</strong> scores changed".encode() in page.data
    assert any(s.excused for s in scores) or any(s.missing for s in scores)
    assert all(s.source == "canvas" for s in scores)
    marked = [s for s in scores if s.excused or s.missing]
    assert all(s.points is None or not s.excused for s in marked)

    truth = _sim_submissions(canvas, section)
    by_student = {k.id: k.external_id for k in kids}
    canvas_ids = {a.id: a.canvas_assignment_id for a in _canvas_assignments(section)}
    for score in scores:
        row = truth[(canvas_ids[score.assignment_id], by_student[score.student_id])]
        if row["score"] is not None:
            assert score.points == D(str(row["score"])).quantize(D("0.01"))
        assert score.excused == bool(row["excused"])

    canvas.clear_requests()
    _start(client, section, "grades")
    page = _finish(client, section, "grades", run_jobs)
    assert b"<strong>0</strong> scores changed" in page.data
    log = canvas.requests_log()["requests"]
    pulls = [r for r in log if r["path"].endswith("/students/submissions")]
    assert pulls and all("graded_since" in str(r.get("query")) for r in pulls)

    work = _canvas_assignments(section)[0]
    before = truth[(work.canvas_assignment_id, kids[0].external_id)]["score"]
    _api(canvas, "PUT",
         f"courses/{course_id}/assignments/{work.canvas_assignment_id}/submissions/"
         f"sis_user_id:{kids[0].external_id}",
         **{"submission[posted_grade]": "1" if before != 1 else "2"})  # fmt: skip
    _start(client, section, "grades")
    page = _finish(client, section, "grades", run_jobs)
    assert b"<strong>1</strong> score changed" in page.data


def _graded_in_canvas(canvas, section, kid):
    """A Canvas assignment of the section that holds a score for the student."""
    truth = _sim_submissions(canvas, section)
    return next(
        a
        for a in _canvas_assignments(section)
        if a.state == "active"
        and truth[(a.canvas_assignment_id, kid.external_id)]["score"] is not None
    )


def _grade_in_canvas(canvas, course_id, work, kid, posted):
    """Grade a submission in Canvas as its teacher would there."""
    path = (
        f"courses/{course_id}/assignments/{work.canvas_assignment_id}/submissions/"
        f"sis_user_id:{kid.external_id}"
    )
    _api(canvas, "PUT", path, **{"submission[posted_grade]": posted})


def _score_of(assignment, kid):
    db.session.expire_all()
    return db.session.scalar(
        db.select(Score).where(
            Score.assignment_id == assignment.id, Score.student_id == kid.id
        )
    )


def test_changes_pull_catches_a_cleared_grade_canvas_leaves_undated(make, canvas):
    from jobs.gradebook_canvas import pull_grades

    section, _teacher, kids, course_id = _synced_book(make, canvas)
    pull_grades(section.id)
    work = _graded_in_canvas(canvas, section, kids[0])
    assert _score_of(work, kids[0]).points is not None

    # Clearing a grade leaves graded_at as it was, so graded_since skips it.
    _grade_in_canvas(canvas, course_id, work, kids[0], "")
    canvas.clear_requests()
    result = pull_grades(section.id)

    assert not result["full"] and result["rechecked"] == 1
    assert result["requests"] == 5  # course, groups, quizzes, changes, one student
    assert _score_of(work, kids[0]) is None or _score_of(work, kids[0]).points is None


def test_changes_pull_uses_canvas_clock_not_ours(make, canvas, monkeypatch):
    from jobs import gradebook_canvas

    section, _teacher, kids, course_id = _synced_book(make, canvas)
    real = gradebook_canvas.utcnow
    # Homeroom's clock an hour ahead of Canvas's: a mark taken from it would
    # ask Canvas for grades given after a time that has not come yet there.
    monkeypatch.setattr(gradebook_canvas, "utcnow", lambda: real() + timedelta(hours=1))
    gradebook_canvas.pull_grades(section.id)
    work = _graded_in_canvas(canvas, section, kids[1])
    before = _score_of(work, kids[1]).points

    new = "1" if before != 1 else "2"
    _grade_in_canvas(canvas, course_id, work, kids[1], new)
    result = gradebook_canvas.pull_grades(section.id)

    assert not result["full"]
    assert _score_of(work, kids[1]).points == D(new)


def test_canvas_type_matches_canvas_course_score_under_option_1(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas)
    login(teacher)
    _start(client, section, "grades")
    _finish(client, section, "grades", run_jobs)
    enrollments = _api(canvas, "GET", f"courses/{course_id}/enrollments?per_page=100")
    canvas_scores = {
        e["sis_user_id"]: e["grades"]["current_score"]
        for e in enrollments
        if e["type"] == "StudentEnrollment"
    }
    summaries = section_summaries(section.id)
    for kid in kids:
        ours = summaries[kid.id].canvas_percentage
        theirs = canvas_scores[kid.external_id]
        assert abs(ours - D(str(theirs))) <= D("0.01"), kid.external_id

    for kid in kids:
        assert summaries[kid.id].canvas_course_score == D(
            str(canvas_scores[kid.external_id])
        ).quantize(D("0.01"))
    grid = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert b'class="dv"' not in grid.data

    response = client.get(f"/sections/{section.id}/gradebook/grades.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    by_id = {row[0]: row for row in rows[1:]}
    for kid in kids:
        assert by_id[kid.external_id][-2] == f"{summaries[kid.id].percentage:.2f}"
    assert all(cell in ("", "EX", "MISSING") or D(cell) >= 0
               for row in rows[1:] for cell in row[2:-2])  # fmt: skip


def test_pull_grades_option_2_fetches_course_scores(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, kids, course_id = _synced_book(make, canvas, option=2)
    login(teacher)
    canvas.clear_requests()
    _start(client, section, "grades")
    page = _finish(client, section, "grades", run_jobs)
    assert sum(canvas.request_counts().values()) == 1
    assert f"<strong>{len(kids)}</strong> scores changed".encode() in page.data
    rows = db.session.scalars(db.select(CanvasCourseScore)).all()
    assert len(rows) == len(kids)
    summaries = section_summaries(section.id)
    for row in rows:
        summary = summaries[row.student_id]
        assert summary.canvas_course_score == row.current_score
        assert summary.percentage == row.current_score.quantize(D("0.01"))
    grid = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert b'title="The course score Canvas computed' in grid.data


def test_coursework_refused_under_option_2(client, login, make, canvas, run_jobs):
    section, teacher, _kids, _course = _synced_book(make, canvas, option=2)
    login(teacher)
    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert b"only the course grade is pulled" in page.data


def test_canvas_cells_are_read_only(client, login, make, canvas, run_jobs):
    section, teacher, kids, _course = _synced_book(make, canvas)
    login(teacher)
    _start(client, section, "grades")
    _finish(client, section, "grades", run_jobs)
    work = _canvas_assignments(section)[0]
    url = f"/sections/{section.id}/gradebook/grades/c/{work.id}/{kids[0].id}"
    assert client.htmx("POST", url, {"v": "1"}).status_code == 403
    grid = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert f'hx-post="c/{work.id}/'.encode() not in grid.data


def test_another_teacher_cannot_pull(client, login, make, canvas, run_jobs):
    section, _teacher, _kids, _course = _synced_book(make, canvas)
    login("teacher")
    assert _start(client, section, "grades").status_code == 403


def _also_in_canvas(client, section, title):
    """Make a Homeroom assignment with "Also create in Canvas" ticked."""
    homework = AssignmentType(section_id=section.id, name="Homework", weight=D(0))
    db.session.add(homework)
    db.session.commit()
    return client.post_form(
        f"/sections/{section.id}/gradebook/assignments/new",
        {"title": title, "type_id": homework.id, "points": "25",
         "due_on": "2026-10-01", "marking_period_id": "0", "also_in_canvas": "y"},
    )  # fmt: skip


def test_also_create_in_canvas_publishes_and_links(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, _kids, course_id = _synced_book(make, canvas, autofill=False)
    login(teacher)
    response = _also_in_canvas(client, section, "Essay")
    assert response.status_code == 302
    run_jobs()
    essay = db.session.scalar(db.select(Assignment).where(Assignment.title == "Essay"))
    assert essay.canvas_assignment_id and not essay.from_canvas
    remote = _api(canvas, "GET", f"courses/{course_id}/assignments/"
                  f"{essay.canvas_assignment_id}")  # fmt: skip
    assert remote["name"] == "Essay" and remote["points_possible"] == 25

    _start(client, section, "coursework")
    page = _finish(client, section, "coursework", run_jobs)
    assert b"0 added" in page.data
    assert len(_canvas_assignments(section)) == 0


def test_also_create_in_canvas_makes_one_despite_a_lost_answer(
    client,
    login,
    make,
    canvas,
    run_jobs,
):
    section, teacher, _kids, course_id = _synced_book(make, canvas, autofill=False)
    login(teacher)
    # Canvas makes the assignment, then the answer is lost to a 500.
    canvas.set_fault(
        f"/api/v1/courses/{course_id}/assignments",
        method="POST",
        action="commit_then_500",
        times=1,
    )
    canvas.clear_requests()
    _also_in_canvas(client, section, "Essay")
    run_jobs()

    assert canvas.faults()[0]["fired"] == 1
    assert canvas.request_counts()["POST /api/v1/courses/:id/assignments"] == 1
    remote = canvas.state("assignments", course_id=course_id)
    assert len(remote) == 1
    essay = db.session.scalar(db.select(Assignment).where(Assignment.title == "Essay"))
    assert essay.canvas_assignment_id == remote[0]["id"]
    assert remote[0]["integration_id"] == f"homeroom-assignment-{essay.id}"


def _fall_with_quarters(make):
    """A fall semester with two quarters and a progress period that has no grades."""
    fall = make.period(
        kind="semester", title="Fall", short_name="S1",
        start_date=date(2026, 8, 20), end_date=date(2027, 1, 15),
    )  # fmt: skip
    q1 = make.period(
        kind="quarter", title="Q1", short_name="Q1", parent_id=fall.id,
        start_date=date(2026, 8, 20), end_date=date(2026, 10, 30),
    )  # fmt: skip
    q2 = make.period(
        kind="quarter", title="Q2", short_name="Q2", parent_id=fall.id,
        start_date=date(2026, 11, 2), end_date=date(2027, 1, 15),
    )  # fmt: skip
    make.period(
        kind="progress", title="P1", short_name="P1", parent_id=fall.id,
        does_grades=False, start_date=date(2026, 8, 20), end_date=date(2026, 9, 25),
    )  # fmt: skip
    return fall, q1, q2


def _in_period(section, period):
    """Titles of the section's assignments that count in a marking period."""
    return {a.title for a in Assignment.of_section(section.id, period.id)}


def test_canvas_work_counts_in_the_quarter_it_is_due_in(client, login, make, canvas):
    from jobs.gradebook_canvas import get_canvas_assignments

    fall, q1, q2 = _fall_with_quarters(make)
    section, teacher, _kids, course_id = _synced_book(
        make, canvas, autofill=False, marking_period=fall
    )
    path = f"courses/{course_id}/assignments"
    due = {"Lab 1": "2026-09-10T23:59:00Z", "Between quarters": "2026-10-31T12:00:00Z",
           "Reading log": None}  # fmt: skip
    made = {}
    for title, due_at in due.items():
        fields = {"assignment[name]": title, "assignment[points_possible]": "10",
                  "assignment[published]": "true"}  # fmt: skip
        if due_at:
            fields["assignment[due_at]"] = due_at
        made[title] = _api(canvas, "POST", path, **fields)["id"]

    result = get_canvas_assignments(section.id)
    assert sorted(result["added"]) == sorted(due)
    assert _in_period(section, q1) == {"Lab 1"}
    assert _in_period(section, q2) == set()
    # Fall holds what no quarter does, and counts its quarters' work too.
    in_fall_only = {a.title for a in Assignment.of_section(section.id)
                    if a.marking_period_id == fall.id}  # fmt: skip
    assert in_fall_only == {"Between quarters", "Reading log"}
    assert _in_period(section, fall) == set(due)
    login(teacher)
    grid = f"/sections/{section.id}/gradebook/grades/"
    assert b"Lab 1" in client.get(f"{grid}?mp={q1.id}").data
    assert b"Lab 1" not in client.get(f"{grid}?mp={q2.id}").data

    assert get_canvas_assignments(section.id)["unchanged"] == len(due)
    _api(canvas, "PUT", f"{path}/{made['Lab 1']}",
         **{"assignment[due_at]": "2026-12-01T23:59:00Z"})  # fmt: skip
    result = get_canvas_assignments(section.id)
    assert result["updated"] == ["Lab 1"]
    db.session.expire_all()
    assert _in_period(section, q1) == set()
    assert _in_period(section, q2) == {"Lab 1"}


@pytest.mark.parametrize("option", [1, 2])
def test_cli_canvas_pull_enqueues(runner, make, canvas, run_jobs, option):
    section, _teacher, _kids, _course = _synced_book(make, canvas, option=option)
    result = runner.invoke(args=["canvas", "pull", "--section", section.external_id])
    assert result.exit_code == 0, result.output
    assert "queued" in result.output
    run_jobs()
    pulled = GradebookConfig.for_section(section).grades_pulled_at
    assert pulled is not None


def test_option_1_shows_both_figures_when_canvas_differs(
    client, login, make, canvas, run_jobs
):
    section, teacher, _kids, _course = _synced_book(make, canvas, students=6)
    login(teacher)
    _start(client, section, "grades")
    _finish(client, section, "grades", run_jobs)
    # Counting the Canvas type by points while Canvas weights its groups
    # makes the two figures part.
    GradebookConfig.for_section(section).canvas_weights_groups = False
    db.session.commit()
    grid = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert b'class="dv"' in grid.data
    assert b"Canvas&#39;s own course score" in grid.data
