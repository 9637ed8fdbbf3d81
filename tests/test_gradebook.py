"""The local gradebook: configuration, types, assignments, cells, CSV, CLI."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest

from models import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    Enrollment,
    GradebookConfig,
    GradingScale,
    Score,
    db,
)
from models.gradebook_summary import grade_points, letter_for, section_summaries
from tests.querycount import count_queries


def _book(make, *, students=2, canvas_sync=False, weighted=True):
    """A section, its teacher, students, two types and two assignments."""
    section = make.section(canvas_sync=canvas_sync, virtual_class=canvas_sync)
    teacher = make.user("teacher", person=section.teacher)
    kids = [make.student() for _ in range(students)]
    for kid in kids:
        make.enroll(kid, section)
    config = GradebookConfig.for_section(section)
    config.weighted = weighted
    homework = AssignmentType(section_id=section.id, name="Homework", weight=D(40))
    tests = AssignmentType(section_id=section.id, name="Tests", weight=D(60))
    db.session.add_all([homework, tests])
    db.session.flush()
    hw1 = Assignment(
        section_id=section.id, type_id=homework.id, title="HW 1", points=D(10),
        due_on=date(2026, 9, 1),
    )  # fmt: skip
    test1 = Assignment(
        section_id=section.id, type_id=tests.id, title="Test 1", points=D(50),
        due_on=date(2026, 9, 10),
    )  # fmt: skip
    db.session.add_all([hw1, test1])
    db.session.commit()
    return section, teacher, kids, (hw1, test1)


def _cell_url(section, assignment, student):
    return f"/sections/{section.id}/gradebook/grades/c/{assignment.id}/{student.id}"


def test_a_to_f_scale_is_there_from_the_start(app):
    scale = GradingScale.default()
    assert scale.name == "A-F"
    assert [(lv.letter, lv.min_percentage) for lv in scale.levels] == [
        ("A", D(90)), ("B", D(80)), ("C", D(70)), ("D", D(60)), ("F", D(0)),
    ]  # fmt: skip
    assert not scale.levels[-1].passing
    assert letter_for(D("89.99"), scale) == "B"


def test_grades_tab_renders_for_teacher(client, login, make):
    section, teacher, kids, _work = _book(make)
    login(teacher)
    response = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert response.status_code == 200
    assert b"HW 1" in response.data
    assert kids[0].last_name.encode() in response.data
    assert b'hx-sync="closest tr:queue all"' in response.data
    assert b"Type a score" in response.data


def test_gradebook_refuses_another_teacher(client, login, make):
    section, _teacher, kids, (hw1, _t) = _book(make)
    login("teacher")
    assert client.get(f"/sections/{section.id}/gradebook/grades/").status_code == 403
    response = client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": "9"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def _gradebook_routes(app, section, kind, assignment, student):
    """Every gradebook URL with each method it answers, filled for one section."""
    values = {
        "section_id": section.id,
        "assignment_id": assignment.id,
        "student_id": student.id,
        "kind": "grades",
        "type_id": kind.id,
    }
    urls = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("gradebook."):
            continue
        url = urls.build(rule.endpoint, {a: values[a] for a in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


@pytest.mark.parametrize("role", ["other teacher", "student"])
def test_every_gradebook_route_refuses_others(client, login, make, app, role):
    section, _teacher, kids, (hw1, _t) = _book(make)
    if role == "student":
        login(make.user("student", person=kids[0]))
    else:
        login("teacher")
    routes = list(_gradebook_routes(app, section, hw1.type, hw1, kids[0]))
    assert len(routes) >= 15
    for method, url in routes:
        response = client.htmx(method, url, {"v": "9", "name": "X", "weight": "1"})
        assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert len(AssignmentType.of_section(section.id)) == 2


def test_admin_may_view_but_not_enter(client, login, make):
    section, _teacher, kids, (hw1, _t) = _book(make)
    login("admin")
    page = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert page.status_code == 200
    assert b"View only" in page.data and b"hx-post" not in page.data
    assert b"Type a score" not in page.data  # nothing to type into
    response = client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": "9"})
    assert response.status_code == 403


def test_cell_save_stores_score_and_swaps_row_percentage(client, login, make):
    section, teacher, kids, (hw1, test1) = _book(make)
    login(teacher)
    response = client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": "8"})
    assert response.status_code == 200
    assert b'class="ok"' in response.data
    expected = f'<span id="p{kids[0].id}" hx-swap-oob="true">80.00</span>'
    assert expected.encode() in response.data
    client.htmx("POST", _cell_url(section, test1, kids[0]), {"v": "45"})
    summary = section_summaries(section.id)[kids[0].id]
    assert summary.percentage == D("86.00")  # 40% of 80 + 60% of 90
    assert summary.letter == "B"


@pytest.mark.parametrize(
    ("typed", "points", "excused", "missing"),
    [("*", None, True, False), ("ex", None, True, False), ("EX", None, True, False),
     ("m", None, False, True), ("9.5", D("9.5"), False, False)],
)  # fmt: skip
def test_cell_marks(client, login, make, typed, points, excused, missing):
    section, teacher, kids, (hw1, _t) = _book(make)
    login(teacher)
    response = client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": typed})
    assert response.status_code == 200
    score = db.session.scalar(db.select(Score))
    assert (score.points, score.excused, score.missing) == (points, excused, missing)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", b"Type a number"), ("-1", b"cannot be negative"),
     ("21", b"At most 20"), ("1.234", b"two decimals")],
)  # fmt: skip
def test_cell_refuses_bad_input_at_the_cell(client, login, make, typed, message):
    section, teacher, kids, (hw1, _t) = _book(make)
    login(teacher)
    client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": "7"})
    response = client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": typed})
    assert response.status_code == 422
    assert message in response.data and b'class="bad"' in response.data
    assert db.session.scalar(db.select(Score.points)) == D(7)


def test_clearing_a_cell_removes_the_score(client, login, make):
    section, teacher, kids, (hw1, _t) = _book(make)
    login(teacher)
    client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": "7"})
    client.htmx("POST", _cell_url(section, hw1, kids[0]), {"v": ""})
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_cell_save_without_csrf_is_refused(client, login, make):
    section, teacher, kids, (hw1, _t) = _book(make)
    login(teacher)
    response = client.post(_cell_url(section, hw1, kids[0]), data={"v": "7"})
    assert response.status_code == 400


def test_weights_must_add_up_when_weighted(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    kinds = AssignmentType.of_section(section.id)
    data = {f"w{k.id}": "30" for k in kinds}
    response = client.post_form(f"/sections/{section.id}/gradebook/types/weights", data)
    assert response.status_code == 422
    assert b"must add up to 100; they add up to 60" in response.data
    assert [k.weight for k in AssignmentType.of_section(section.id)] == [D(40), D(60)]
    # What was typed stays in the fields; the total row says what is wrong.
    assert response.data.count(b'value="30"') == 2
    assert b'id="weight-problem">With weighting on' in response.data

    data = {f"w{kinds[0].id}": "abc", f"w{kinds[1].id}": "60"}
    response = client.post_form(f"/sections/{section.id}/gradebook/types/weights", data)
    assert response.status_code == 422
    assert b'value="abc"' in response.data
    assert (
        f'<small class="error" id="e{kinds[0].id}" role="alert">The weight of '
        f"{kinds[0].name} must be a number".encode()
    ) in response.data

    data = {f"w{kinds[0].id}": "25", f"w{kinds[1].id}": "75"}
    response = client.post_form(f"/sections/{section.id}/gradebook/types/weights", data)
    assert response.status_code == 302
    page = client.get(f"/sections/{section.id}/gradebook/types")
    assert b"weight-problem" not in page.data


def test_types_page_says_when_weights_do_not_add_up(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    client.post_form(
        f"/sections/{section.id}/gradebook/types", {"name": "Quizzes", "weight": "10"}
    )
    page = client.get(f"/sections/{section.id}/gradebook/types")
    assert b"they add up to 110" in page.data


def _configure(client, section, **fields):
    data = {"rounding": "none", "scale_id": str(GradingScale.default().id)}
    data.update(fields)
    return client.post_form(f"/sections/{section.id}/gradebook/config", data)


def test_canvas_option_locks_once_saved(client, login, make):
    section, teacher, _kids, _work = _book(make, canvas_sync=True)
    login(teacher)
    assert _configure(client, section, canvas_option="1").status_code == 302
    config = GradebookConfig.for_section(section)
    assert config.canvas_option == 1 and config.locked
    assert AssignmentType.canvas_for(section.id).name == "Canvas"

    response = _configure(client, section, canvas_option="2")
    assert response.status_code == 302  # the locked option is not read back
    db.session.expire_all()
    assert GradebookConfig.for_section(section).canvas_option == 1
    page = client.get(f"/sections/{section.id}/gradebook/config")
    assert b'id="lock-reason"' in page.data
    assert b'name="canvas_option"' not in page.data


@pytest.mark.parametrize("tab", ["grades/", "assignments", "types"])
def test_synced_section_without_an_option_points_to_configuration(
    client, login, make, tab
):
    section, teacher, _kids, _work = _book(make, canvas_sync=True)
    login(teacher)
    url = f"/sections/{section.id}/gradebook/{tab}"
    assert b'id="choose-option"' in client.get(url).data

    _configure(client, section, canvas_option="1")
    assert b'id="choose-option"' not in client.get(url).data


def test_unsynced_section_has_no_option_hint(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    page = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert b'id="choose-option"' not in page.data


def test_section_without_sync_has_no_canvas_option(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    page = client.get(f"/sections/{section.id}/gradebook/config")
    assert b"does not sync with Canvas" in page.data
    _configure(client, section, canvas_option="1", weighted="y")
    config = GradebookConfig.for_section(section)
    assert config.canvas_option is None and config.weighted


def test_configuration_saves_rounding_and_missing(client, login, make):
    section, teacher, kids, (hw1, _t) = _book(make)
    login(teacher)
    _configure(client, section, rounding="up", missing_as_zero="y", weighted="y")
    db.session.add(Score(assignment_id=hw1.id, student_id=kids[0].id, points=D("8.1")))
    db.session.commit()
    assert section_summaries(section.id)[kids[0].id].percentage == D("81.00")


def test_create_assignment_form(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    kind = AssignmentType.of_section(section.id)[0]
    page = client.get(f"/sections/{section.id}/gradebook/assignments/new")
    assert page.status_code == 200 and b"Also create in Canvas" not in page.data
    response = client.post_form(
        f"/sections/{section.id}/gradebook/assignments/new",
        {"title": "Lab 1", "type_id": kind.id, "points": "20",
         "assigned_on": "2026-09-02", "due_on": "2026-09-09",
         "marking_period_id": "0", "description": "Pendulums"},
    )  # fmt: skip
    assert response.status_code == 302
    lab = db.session.scalar(db.select(Assignment).where(Assignment.title == "Lab 1"))
    assert lab.points == D(20) and lab.due_on == date(2026, 9, 9)


def test_create_assignment_refuses_due_before_assigned(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    kind = AssignmentType.of_section(section.id)[0]
    response = client.post_form(
        f"/sections/{section.id}/gradebook/assignments/new",
        {"title": "Lab 1", "type_id": kind.id, "points": "20",
         "assigned_on": "2026-09-09", "due_on": "2026-09-02", "marking_period_id": "0"},
    )  # fmt: skip
    assert response.status_code == 422
    assert b"The due date comes before the assigned date." in response.data
    assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 2


def _scores(section, kids, hw1, test1):
    db.session.add_all([
        Score(assignment_id=hw1.id, student_id=kids[0].id, points=D("9.5")),
        Score(assignment_id=test1.id, student_id=kids[0].id, excused=True),
        Score(assignment_id=hw1.id, student_id=kids[1].id, missing=True),
        Score(assignment_id=test1.id, student_id=kids[1].id, points=D(40)),
    ])  # fmt: skip
    db.session.commit()


def test_csv_export_numbers(client, login, make):
    section, teacher, kids, (hw1, test1) = _book(make)
    _scores(section, kids, hw1, test1)
    login(teacher)
    response = client.get(f"/sections/{section.id}/gradebook/grades.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["external_id", "name", "HW 1", "Test 1", "percentage", "letter"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[kids[0].external_id][2:] == ["9.5", "EX", "95.00", "A"]
    assert by_id[kids[1].external_id][2:] == ["MISSING", "40", "80.00", "B"]


def test_csv_export_keeps_formulas_out_of_names_and_titles(client, login, make):
    section, teacher, kids, (hw1, test1) = _book(make)
    hw1.title = "=HYPERLINK(1)"
    kids[0].first_name, kids[0].preferred_name = "@Evil", ""
    db.session.commit()
    login(teacher)
    response = client.get(f"/sections/{section.id}/gradebook/grades.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][2] == "'=HYPERLINK(1)"
    names = {row[0]: row[1] for row in rows[1:]}
    assert names[kids[0].external_id] == f"'@Evil {kids[0].last_name}"


def test_cli_export_matches_the_page(runner, make):
    section, _teacher, kids, (hw1, test1) = _book(make)
    _scores(section, kids, hw1, test1)
    result = runner.invoke(args=["grades", "export", "--section", section.external_id])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert len(rows) == 3 and rows[1][-2:] in (["95.00", "A"], ["80.00", "B"])


def test_cli_export_option2_adds_canvas_score(runner, make):
    section, _teacher, kids, _work = _book(make, canvas_sync=True)
    config = GradebookConfig.for_section(section)
    config.canvas_option = 2
    config.lock()
    canvas = AssignmentType.canvas_for(section.id)
    canvas.weight = D(0)
    db.session.add(
        CanvasCourseScore(
            section_id=section.id, student_id=kids[0].id,
            current_score=D("91.234"), final_score=D(70),
        )
    )  # fmt: skip
    db.session.commit()
    result = runner.invoke(args=["grades", "export", "--section", section.external_id])
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][-1] == "canvas_score"
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[kids[0].external_id][-1] == "91.23"


def test_cli_configure_sets_types_and_keeps_the_lock(runner, make):
    section, _teacher, _kids, _work = _book(make, canvas_sync=True)
    args = ["gradebook", "configure", "--section", section.external_id]
    result = runner.invoke(
        args=[*args, "--option", "1", "--weighted",
              "--types", "Homework:30,Tests:50,Canvas:20"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    kinds = {
        k.name: (k.weight, k.is_canvas) for k in AssignmentType.of_section(section.id)
    }
    assert kinds == {
        "Homework": (D(30), False), "Tests": (D(50), False), "Canvas": (D(20), True),
    }  # fmt: skip

    result = runner.invoke(args=[*args, "--option", "2"])
    assert result.exit_code != 0
    assert "fixed for this section" in result.output
    db.session.expire_all()
    assert GradebookConfig.for_section(section).canvas_option == 1


@pytest.mark.parametrize(
    ("types", "total"),
    [("Homework:30,Tests:50", "80"),
     # Tests keeps its 60 when not named: the total counts it.
     ("Homework:40,Labs:60", "160")],
)  # fmt: skip
def test_cli_configure_refuses_weights_not_adding_up(runner, make, types, total):
    section, _teacher, _kids, _work = _book(make)  # Homework 40, Tests 60
    result = runner.invoke(
        args=["gradebook", "configure", "--section", section.external_id,
              "--weighted", "--types", types]
    )  # fmt: skip
    assert result.exit_code != 0
    assert f"add up to {total}." in result.output
    kinds = AssignmentType.of_section(section.id)
    assert [(k.name, k.weight) for k in kinds] == [
        ("Homework", D(40)),
        ("Tests", D(60)),
    ]


def test_cli_unknown_section(runner, app):
    result = runner.invoke(args=["grades", "export", "--section", "nope"])
    assert result.exit_code != 0 and "no section" in result.output


def test_section_summaries_query_count_is_constant(app, make):
    section, _teacher, kids, (hw1, test1) = _book(make, students=3)
    _scores(section, kids, hw1, test1)
    db.session.expire_all()
    with count_queries() as few:
        section_summaries(section.id)
    for _ in range(5):
        kid = make.student()
        make.enroll(kid, section)
        db.session.add(Score(assignment_id=hw1.id, student_id=kid.id, points=D(5)))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        result = section_summaries(section.id)
    assert len(result) == 8
    assert len(many) == len(few)


def test_grades_tab_query_count_does_not_grow_with_students_or_work(
    client, login, make
):
    section, teacher, kids, (hw1, test1) = _book(make, students=2)
    _scores(section, kids, hw1, test1)
    login(teacher)
    url = f"/sections/{section.id}/gradebook/grades/"
    client.get(url)  # the configuration is made on the first visit
    with count_queries() as few:
        assert client.get(url).status_code == 200
    extra = []
    for n in range(6):
        extra.append(
            Assignment(section_id=section.id, type_id=hw1.type_id, title=f"More {n}",
                       points=D(10))
        )  # fmt: skip
        kid = make.student()
        make.enroll(kid, section)
        kids.append(kid)
    db.session.add_all(extra)
    db.session.flush()
    for kid in kids:
        for work in extra:
            db.session.add(Score(assignment_id=work.id, student_id=kid.id, points=D(7)))
    db.session.commit()
    with count_queries() as many:
        page = client.get(url)
    assert page.data.count(b'<tr><th scope="row"') == 8
    assert len(many) == len(few), many


def test_summary_interface_fields(app, make):
    section, _teacher, kids, (hw1, test1) = _book(make)
    _scores(section, kids, hw1, test1)
    summary = section_summaries(section.id)[kids[1].id]
    assert summary.homeroom_percentage == summary.percentage == D("80.00")
    assert summary.canvas_percentage is None and summary.canvas_course_score is None
    assert [t.name for t in summary.by_type] == ["Homework", "Tests"]
    assert [m.title for m in summary.missing] == ["HW 1"]
    assert summary.late == []


def test_teacher_home_and_section_page_link_to_the_gradebook(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    link = f"/sections/{section.id}/gradebook/grades/".encode()
    assert link in client.get("/").data
    assert link in client.get(f"/sections/{section.id}").data


def test_cell_refuses_a_student_outside_the_section(client, login, make):
    section, teacher, _kids, (hw1, _t) = _book(make)
    stranger = make.student()
    login(teacher)
    response = client.htmx("POST", _cell_url(section, hw1, stranger), {"v": "9"})
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_pull_button_without_javascript_redirects_to_the_tab(client, login, make):
    section, teacher, _kids, _work = _book(make, canvas_sync=True)
    config = GradebookConfig.for_section(section)
    config.canvas_option = 1
    config.lock()
    db.session.commit()
    login(teacher)
    response = client.post_form(f"/sections/{section.id}/gradebook/canvas/grades")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/gradebook/grades/?job=grades")
    page = client.get(response.headers["Location"])
    assert b"/gradebook/canvas/grades" in page.data


def test_canvas_buttons_need_a_canvas_option(client, login, make):
    section, teacher, _kids, _work = _book(make)
    login(teacher)
    response = client.htmx("POST", f"/sections/{section.id}/gradebook/canvas/grades")
    assert response.status_code == 409


def _quarter_holding(make, section, hw1, test1):
    """A first quarter of the section's period, holding HW 1 (Test 1 stays out)."""
    quarter = make.period(
        kind="quarter", parent_id=section.marking_period_id, title="Quarter 1",
        short_name="Q1", end_date=date(2026, 10, 30),
    )  # fmt: skip
    hw1.marking_period_id = quarter.id
    test1.marking_period_id = section.marking_period_id
    return quarter


def test_grades_tab_filters_by_marking_period(client, login, make):
    section, teacher, _kids, (hw1, test1) = _book(make)
    quarter = _quarter_holding(make, section, hw1, test1)
    db.session.commit()
    login(teacher)
    page = client.get(f"/sections/{section.id}/gradebook/grades/?mp={quarter.id}")
    assert b"HW 1" in page.data and b"Test 1" not in page.data
    page = client.get(f"/sections/{section.id}/gradebook/grades/")
    assert b"HW 1" in page.data and b"Test 1" in page.data
    csv_text = client.get(
        f"/sections/{section.id}/gradebook/grades.csv?mp={quarter.id}"
    ).get_data(as_text=True)
    assert csv_text.splitlines()[0] == "external_id,name,HW 1,percentage,letter"


def test_a_period_counts_the_work_of_the_periods_inside_it(client, login, make):
    section, teacher, kids, (hw1, test1) = _book(make)
    _quarter_holding(make, section, hw1, test1)
    db.session.add_all(
        [
            Score(assignment_id=hw1.id, student_id=kids[0].id, points=D(10)),
            Score(assignment_id=test1.id, student_id=kids[0].id, points=D(25)),
        ]
    )
    db.session.commit()
    login(teacher)
    page = client.get(
        f"/sections/{section.id}/gradebook/grades/?mp={section.marking_period_id}"
    )
    assert b"HW 1" in page.data and b"Test 1" in page.data
    summary = section_summaries(section.id, section.marking_period_id)[kids[0].id]
    assert summary.percentage == D("70.00")  # HW 100% at 40, Tests 50% at 60


def test_cell_save_answers_the_shown_marking_periods_percentage(client, login, make):
    section, teacher, kids, (hw1, test1) = _book(make)
    quarter = _quarter_holding(make, section, hw1, test1)
    db.session.add(Score(assignment_id=test1.id, student_id=kids[0].id, points=D(50)))
    db.session.commit()
    login(teacher)
    page = client.get(f"/sections/{section.id}/gradebook/grades/?mp={quarter.id}")
    assert f"hx-vals='{{\"mp\": {quarter.id}}}'".encode() in page.data

    url = _cell_url(section, hw1, kids[0])
    answer = client.htmx("POST", url, {"v": "5", "mp": str(quarter.id)})
    assert f'<span id="p{kids[0].id}" hx-swap-oob="true">50.00<'.encode() in answer.data
    answer = client.htmx("POST", url, {"v": "5"})  # all periods: 40% of 50 + 60% of 100
    assert f'<span id="p{kids[0].id}" hx-swap-oob="true">80.00<'.encode() in answer.data


def test_section_summaries_roster_as_of_a_date(app, make):
    section, _teacher, kids, (hw1, test1) = _book(make, students=3)
    _scores(section, kids, hw1, test1)
    stint = db.session.scalar(
        db.select(Enrollment).where(Enrollment.student_id == kids[1].id)
    )
    stint.status, stint.end_date = "dropped", date(2026, 10, 1)
    db.session.commit()
    assert set(section_summaries(section.id, as_of=date(2026, 9, 15))) == {
        k.id for k in kids
    }
    assert set(section_summaries(section.id, as_of=date(2026, 11, 1))) == {
        kids[0].id, kids[2].id,
    }  # fmt: skip
    # Without a date: those in the section now, and a dropped student's work.
    assert set(section_summaries(section.id)) == {k.id for k in kids}
    assert grade_points("B", GradingScale.default()) == D("3.0")


@pytest.mark.parametrize("raw", ["90.525", "91.715", "88.8249999999999999999999"])
def test_type_percentages_round_like_the_grade(raw):
    from models import grade_math
    from models.gradebook_summary import _cents

    assert _cents(D(raw)) == grade_math.round_percentage(D(raw), "none")
