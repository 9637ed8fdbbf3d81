"""Report cards, transcripts and progress: the page, the PDF, roles, the picker."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from models import (
    Assignment,
    AssignmentType,
    CommentCode,
    Enrollment,
    FinalGrade,
    GradebookConfig,
    Score,
    db,
)
from tests.conftest import browser_login, screenshot


def pdf_text(data):
    """All the text of a PDF, page after page."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def grade(student, section, period, letter, pct, points, credits="1", **fields):
    """Store a submitted final grade as Input Final Grades would."""
    passing = letter != "F"
    values = {
        "school_id": student.school_id,
        "student_id": student.id,
        "section_id": section.id,
        "marking_period_id": period.id,
        "computed_percentage": D(pct),
        "computed_letter": letter,
        "percentage": D(pct),
        "letter": letter,
        "gpa_points": D(points),
        "gpa_bonus": section.course.gpa_bonus,
        "passing": passing,
        "credits_attempted": D(credits),
        "credits_earned": D(credits) if passing else D(0),
    }
    values.update(fields)
    record = FinalGrade(**values)
    db.session.add(record)
    db.session.commit()
    return record


@pytest.fixture()
def school_year(app, make):
    """A year with one semester of two quarters; three courses; two students."""
    year = make.period(title="2026-2027", short_name="26-27")
    s1 = make.period(
        kind="semester",
        title="Semester 1",
        short_name="S1",
        parent_id=year.id,
        end_date=date(2027, 1, 20),
    )
    q1 = make.period(
        kind="quarter",
        title="Quarter 1",
        short_name="Q1",
        parent_id=s1.id,
        end_date=date(2026, 10, 30),
    )
    teacher = make.staff(first_name="Ada", last_name="Lovelace")
    algebra = make.section(
        course=make.course(code="MA1", title="Algebra I", credits=D(1)),
        marking_period=year,
        teacher=teacher,
        period="1",
    )
    honours = make.section(
        course=make.course(
            code="EN1H", title="Honours English", credits=D(1), gpa_bonus=D(1)
        ),
        marking_period=year,
        period="2",
    )
    art = make.section(
        course=make.course(code="AR1", title="Art", credits=D("0.5")),
        marking_period=s1,
        period="3",
    )
    ana = make.student(first_name="Ana", last_name="Alvarez", grade_level="09")
    ben = make.student(first_name="Ben", last_name="Brook", grade_level="09")
    for student in (ana, ben):
        for section in (algebra, honours, art):
            make.enroll(student, section)
    return {
        "year": year, "s1": s1, "q1": q1, "teacher": teacher, "algebra": algebra,
        "honours": honours, "art": art, "ana": ana, "ben": ben,
    }  # fmt: skip


@pytest.fixture()
def graded(school_year):
    """Quarter 1 grades for both students; Ana fails Art."""
    y = school_year
    grade(y["ana"], y["algebra"], y["q1"], "A", "93.40", "4", comment_codes="E1")
    grade(y["ana"], y["honours"], y["q1"], "B", "84.00", "3")
    grade(y["ana"], y["art"], y["q1"], "F", "51.00", "0", credits="0.5")
    grade(y["ben"], y["algebra"], y["q1"], "C", "74.25", "2", comment="Keep going.")
    return y


def card_url(period, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/reports/report-cards?period={period.id}&{query}"


def test_report_card_page_shows_grades_gpa_and_comments(client, login, graded):
    db.session.add(CommentCode(code="E1", text="Excellent effort"))
    db.session.commit()
    login("admin")

    response = client.get(card_url(graded["q1"], student=graded["ana"].id))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Report card · Quarter 1" in page
    assert "Ana Alvarez" in page and "Ada Lovelace" in page
    assert "93.40" in page and "51.00" in page
    assert "E1: Excellent effort" in page
    assert (
        "GPA <strong>2.80</strong> unweighted, <strong>3.20</strong> weighted" in page
    )
    assert "credits attempted 2.5, earned 2" in page


def test_report_card_pdf_holds_the_same_numbers(client, login, graded):
    login("admin")

    response = client.get(
        f"/reports/report-cards.pdf?period={graded['q1'].id}&student={graded['ana'].id}"
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data)
    assert "Report card · Quarter 1" in text
    assert "Ana Alvarez" in text
    assert "93.40" in text and "84.00" in text and "51.00" in text
    assert "Period GPA 2.80 unweighted, 3.20 weighted" in text
    assert "credits attempted 2.5, earned 2" in text


def test_report_cards_for_a_grade_level_one_page_each(client, login, graded, make):
    make.student(first_name="Cal", last_name="Other", grade_level="10")
    login("admin")

    response = client.get(
        f"/reports/report-cards.pdf?period={graded['q1'].id}&grade_level=09"
    )

    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "Ana Alvarez" in first and "Period GPA 2.80" in first
    assert "Ben Brook" in second and "Period GPA 2.00" in second
    assert "Cal Other" not in first + second


def test_report_card_leaves_out_a_dropped_section(client, login, graded):
    grade(graded["ben"], graded["honours"], graded["q1"], "F", "40.00", "0")
    stint = db.session.scalar(
        db.select(Enrollment).where(
            Enrollment.student_id == graded["ben"].id,
            Enrollment.section_id == graded["honours"].id,
        )
    )
    stint.status, stint.end_date = "dropped", date(2026, 10, 1)
    db.session.commit()
    login("admin")

    page = client.get(card_url(graded["q1"], student=graded["ben"].id)).get_data(
        as_text=True
    )

    assert "Honours English" not in page
    assert "GPA <strong>2.00</strong> unweighted" in page


def test_dropping_after_the_period_ended_keeps_its_grade(client, login, graded):
    y = graded
    grade(y["ben"], y["honours"], y["q1"], "B", "85.00", "3")
    grade(y["ben"], y["art"], y["s1"], "C", "75.00", "2", credits="0.5")
    for section in (y["honours"], y["art"]):
        stint = db.session.scalar(
            db.select(Enrollment).where(
                Enrollment.student_id == y["ben"].id,
                Enrollment.section_id == section.id,
            )
        )
        stint.status, stint.end_date = "dropped", date(2027, 3, 1)
    db.session.commit()
    login("admin")

    card = client.get(card_url(y["q1"], student=y["ben"].id)).get_data(as_text=True)
    assert "Honours English" in card
    transcript = client.get(f"/reports/transcripts/{y['ben'].id}").get_data(
        as_text=True
    )
    assert "Art" in transcript and "75.00" in transcript


def test_transcript_uses_each_sections_own_period(client, login, graded):
    y = graded
    grade(y["ana"], y["algebra"], y["year"], "A", "95.00", "4")
    grade(y["ana"], y["honours"], y["year"], "B", "85.00", "3")
    grade(y["ana"], y["art"], y["s1"], "C", "75.00", "2", credits="0.5")
    login("admin")

    page = client.get(f"/reports/transcripts/{y['ana'].id}").get_data(as_text=True)
    text = pdf_text(client.get(f"/reports/transcripts/{y['ana'].id}.pdf").data)

    # (4 + 3 + 2 * 0.5) / 2.5 = 3.20; weighted adds honours' bonus: 3.60
    for document in (page.replace("<strong>", "").replace("</strong>", ""), text):
        assert "2026-2027" in document
        assert "95.00" in document and "75.00" in document
        assert "93.40" not in document  # a quarter grade is not a final grade
        assert "Cumulative GPA 3.20 unweighted, 3.60 weighted" in document
        assert "credits attempted 2.5, earned 2.5" in document


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("self", 200),
        ("other student", 403),
        ("teacher of a section", 200),
        ("another teacher", 403),
    ],
)
def test_report_card_and_transcript_access(client, login, make, graded, who, status):
    if who == "self":
        login(make.user("student", person=graded["ana"]))
    elif who == "other student":
        login(make.user("student", person=graded["ben"]))
    elif who == "teacher of a section":
        login(make.user("teacher", person=graded["teacher"]))
    else:
        login(who.split()[-1] if who == "admin" else "teacher")

    ana = graded["ana"].id
    urls = [
        card_url(graded["q1"], student=ana),
        f"/reports/report-cards.pdf?period={graded['q1'].id}&student={ana}",
        f"/reports/transcripts/{ana}",
        f"/reports/transcripts/{ana}.pdf",
    ]
    assert [client.get(url).status_code for url in urls] == [status] * 4


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_grade_level_report_cards_are_for_admins(client, login, graded, role):
    login(role)
    response = client.get(card_url(graded["q1"], grade_level="09"))
    assert response.status_code == 403


def test_report_card_without_student_or_grade_level_says_so(client, login, graded):
    login("admin")
    response = client.get(f"/reports/report-cards?period={graded['q1'].id}")
    assert response.status_code == 422
    assert "Choose a student or a grade level." in response.get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(client, graded):
    response = client.get(f"/reports/transcripts/{graded['ana'].id}.pdf")
    assert response.status_code == 302


def test_cli_writes_report_cards_and_a_transcript(runner, graded, tmp_path):
    cards = tmp_path / "cards.pdf"
    result = runner.invoke(
        args=[
            "reports", "report-cards", "--period", graded["q1"].external_id,
            "--out", str(cards),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 report cards for Quarter 1." in result.output
    assert "Period GPA 2.80 unweighted" in pdf_text(cards.read_bytes())

    one = tmp_path / "ben.pdf"
    result = runner.invoke(
        args=[
            "reports", "report-cards", "--period", graded["q1"].external_id,
            "--student", graded["ben"].external_id, "--out", str(one),
        ]
    )  # fmt: skip
    assert "1 report cards" in result.output
    assert "Ben Brook" in pdf_text(one.read_bytes())

    grade(graded["ana"], graded["algebra"], graded["year"], "A", "95.00", "4")
    transcript = tmp_path / "transcript.pdf"
    result = runner.invoke(
        args=[
            "reports", "transcript", "--student", graded["ana"].external_id,
            "--out", str(transcript),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Cumulative GPA 4.00" in pdf_text(transcript.read_bytes())


def test_cli_refuses_an_unknown_external_id(runner, graded, tmp_path):
    result = runner.invoke(
        args=["reports", "transcript", "--student", "nobody", "--out", "x.pdf"]
    )
    assert result.exit_code != 0
    assert "No student has the external id nobody." in result.output


def _card_queries(period, grade_level):
    from models.reports import report_card_students, report_cards
    from tests.querycount import count_queries

    db.session.expire_all()
    with count_queries() as statements:
        cards = report_cards(period, report_card_students(grade_level=grade_level))
        for card in cards:
            [(row.teacher, row.comments) for row in card.rows]
    return len(cards), len(statements)


def test_grade_level_report_cards_take_the_same_queries_for_more_students(graded, make):
    y = graded
    for n in range(4):
        extra = make.student(first_name=f"Extra{n}", grade_level="10")
        for section in (y["algebra"], y["honours"]):
            make.enroll(extra, section)
            grade(extra, section, y["q1"], "B", "85.00", "3")
    for student in (y["ana"], y["ben"]):
        student.grade_level = "11"
    db.session.commit()

    few = _card_queries(y["q1"], "11")
    many = _card_queries(y["q1"], "10")

    assert (few[0], many[0]) == (2, 4)
    assert few[1] == many[1] <= 8, (few, many)


@pytest.mark.parametrize("role", ["admin", "teacher", "student"])
def test_reports_index_offers_each_role_its_documents(client, login, graded, role):
    login(role)
    page = client.get("/reports").get_data(as_text=True)
    assert "Report cards" in page and "Progress report" in page
    assert ("Whole grade level" in page) == (role == "admin")


def test_progress_report_with_a_bad_date_says_so(client, login, graded):
    login("admin")
    response = client.get(f"/reports/progress?student={graded['ana'].id}&on=13/45")
    assert response.status_code == 422
    assert "Not a valid date value." in response.get_data(as_text=True)


def test_pdf_without_dejavu_falls_back_to_latin1(app, graded, monkeypatch):
    from blueprints.reports import pdf
    from models.reports import transcript

    graded["ana"].first_name, graded["ana"].last_name = "Łucja", "Núñez"
    db.session.commit()
    monkeypatch.setattr(pdf, "_dejavu", lambda: None)

    text = pdf_text(pdf.transcript_pdf(transcript(graded["ana"])))

    assert "?ucja Núñez" in text
    assert "Cumulative GPA" in text


# --- the reports page: finding a student, a student's own documents -----------


def words(page):
    """A page's text without its tags, lower-cased."""
    return re.sub(r"<[^>]+>", " ", page).lower()


def find(client, q):
    """The reports page's student finder, as text."""
    return client.get("/reports", query_string={"q": q}).get_data(as_text=True)


def test_reports_index_lists_no_students_until_asked(client, login, graded):
    login("admin")
    page = client.get("/reports").get_data(as_text=True)
    assert "Name or student ID" in page
    assert "Alvarez" not in page and "/reports/transcripts/" not in page


def test_finder_matches_a_name_or_a_local_id(client, login, graded):
    ana, ben = graded["ana"], graded["ben"]
    login("admin")

    by_name = find(client, "alv")
    by_id = find(client, ben.local_id)

    assert "Alvarez, Ana" in by_name and "Brook, Ben" not in by_name
    assert f"/reports/transcripts/{ana.id}" in by_name
    assert f"/reports/progress?student={ana.id}" in by_name
    assert "1 student matching" in by_name
    assert "Brook, Ben" in by_id and "Alvarez, Ana" not in by_id


def test_finder_links_report_cards_for_graded_periods_only(client, login, graded):
    login("admin")
    page = find(client, "alvarez")
    q1 = graded["q1"]
    assert (
        f"/reports/report-cards?period={q1.id}&amp;student={graded['ana'].id}" in page
    )
    assert f"period={graded['s1'].id}&amp;" not in page  # no Semester 1 grades yet


def test_finder_shows_a_page_of_many_matches(client, login, graded, make):
    for n in range(55):
        make.student(first_name=f"Pat{n}", last_name="Many")
    login("admin")
    page = find(client, "many")
    assert "The first 50 of 55 students matching" in page
    assert page.count("/reports/transcripts/") == 50


@pytest.mark.parametrize(
    ("who", "finds_cal"), [("admin", True), ("teacher of a section", False)]
)
def test_finder_shows_each_role_only_students_it_may_see(
    client, login, make, graded, who, finds_cal
):
    make.student(first_name="Cal", last_name="Brook", status="withdrawn")
    login("admin" if who == "admin" else make.user("teacher", person=graded["teacher"]))

    page = find(client, "brook")

    assert "Brook, Ben" in page
    assert ("Brook, Cal" in page) == finds_cal


def test_finder_is_not_offered_to_students(client, login, make, graded):
    login(make.user("student", person=graded["ana"]))
    page = find(client, "brook")
    assert "Brook" not in page and "Name or student ID" not in page


def test_student_gets_direct_links_to_her_own_documents(client, login, make, graded):
    ana = graded["ana"]
    login(make.user("student", person=ana))

    page = client.get("/reports").get_data(as_text=True)

    assert f'/reports/report-cards?period={graded["q1"].id}"' in page
    assert f'period={graded["s1"].id}"' not in page
    assert f"/reports/transcripts/{ana.id}" in page
    assert 'href="/reports/progress"' in page
    assert 'type="date"' in page
    assert "<select" not in page
    assert "grade level" not in words(page) and "section" not in words(page)


def test_student_without_grades_is_told_so(client, login, make, school_year):
    login(make.user("student", person=school_year["ben"]))
    page = client.get("/reports").get_data(as_text=True)
    assert "No grades have been posted yet." in page


def test_student_without_a_record_is_told_so(client, login, make, app):
    login(make.user("student", student_id=None))
    page = client.get("/reports").get_data(as_text=True)
    assert "not linked to a student record" in page


def test_student_documents_default_to_herself(client, login, make, graded):
    login(make.user("student", person=graded["ana"]))

    card = client.get(f"/reports/report-cards?period={graded['q1'].id}")
    progress = client.get("/reports/progress?on=2026-12-01")
    pdf = client.get("/reports/progress.pdf?on=2026-12-01")

    assert card.status_code == progress.status_code == pdf.status_code == 200
    card_page = card.get_data(as_text=True)
    assert "Ana Alvarez" in card_page and "93.40" in card_page
    assert "Ana Alvarez" in progress.get_data(as_text=True)
    assert "Ana Alvarez" in pdf_text(pdf.data)


def test_student_error_names_nothing_she_cannot_choose(client, login, make, graded):
    login(make.user("student", person=graded["ana"]))

    response = client.get("/reports/progress?on=13/45")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Could not show the progress report: Not a valid date value." in page
    assert "grade level" not in words(page) and "section" not in words(page)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_only_admins_pick_a_grade_level(client, login, graded, role):
    login(role)
    page = client.get("/reports").get_data(as_text=True)
    assert 'name="grade_level"' not in page


# --- progress reports: no graded work, weights --------------------------------


@pytest.fixture()
def scored(graded):
    """Algebra has Tests and Homework; Ana has 45 of 50 on a test, Ben nothing."""
    algebra = graded["algebra"]
    tests = AssignmentType(section_id=algebra.id, name="Tests", weight=D(60))
    homework = AssignmentType(section_id=algebra.id, name="Homework", weight=D(40))
    db.session.add_all([tests, homework])
    db.session.flush()
    test = Assignment(
        section_id=algebra.id,
        type_id=tests.id,
        marking_period_id=graded["q1"].id,
        title="Unit 1 test",
        points=D(50),
        due_on=date(2026, 9, 20),
    )
    db.session.add(test)
    db.session.flush()
    db.session.add(Score(assignment_id=test.id, student_id=graded["ana"].id, points=45))
    db.session.commit()
    return graded


def progress(client, query):
    """A progress report's page (tags dropped) and its PDF's text."""
    page = client.get(f"/reports/progress?{query}").get_data(as_text=True)
    for tag in ("<strong>", "</strong>", "<em>", "</em>"):
        page = page.replace(tag, "")
    return page, pdf_text(client.get(f"/reports/progress.pdf?{query}").data)


def test_progress_without_graded_work_says_so(client, login, scored):
    login("admin")
    page, text = progress(client, f"student={scored['ana'].id}&on=2026-12-01")
    for document in (page, text):
        assert "Grade to date: 90.00" in document  # Algebra
        assert document.count("Grade to date: No graded work yet") == 2  # the others
        assert "\u2014 \u2014" not in document


@pytest.mark.parametrize("weighted", [False, True])
def test_progress_shows_weights_only_for_weighted_gradebooks(
    client, login, scored, weighted
):
    db.session.add(GradebookConfig(section_id=scored["algebra"].id, weighted=weighted))
    db.session.commit()
    login("admin")

    page, text = progress(client, f"section={scored['algebra'].id}&on=2026-12-01")

    assert "Grade to date: 90.00" in page and "Grade to date: 90.00" in text
    for document in (page, text):
        assert ("Weight" in document) == weighted
        assert "Tests" in document and "Homework" in document
    assert ('<td class="num">60</td>' in page) == weighted


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("self", 200),
        ("other student", 403),
        ("teacher of a section", 200),
        ("another teacher", 403),
    ],
)
def test_progress_access(client, login, make, graded, who, status):
    people = {"self": "ana", "other student": "ben"}
    if who in people:
        login(make.user("student", person=graded[people[who]]))
    elif who == "teacher of a section":
        login(make.user("teacher", person=graded["teacher"]))
    else:
        login(who.split()[-1])

    ana = graded["ana"].id
    urls = [f"/reports/progress?student={ana}", f"/reports/progress.pdf?student={ana}"]
    assert [client.get(url).status_code for url in urls] == [status] * 2


# --- the browser: screenshots ---------------------------------------------------


@pytest.mark.browser
def test_screenshots_of_the_reports_pages(app, live_server, page, make, scored):
    for n in range(40):
        make.student(first_name=f"Sam{n:02d}", last_name="Alvarez")
    admin = make.user("admin")
    browser_login(page, live_server, admin.email)

    page.goto(f"{live_server}/reports")
    screenshot(page, "reports-admin-start")
    page.fill("input[name=q]", "alva")
    page.click("button:has-text('Find')")
    page.wait_for_selector("text=students matching")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "reports-admin")

    page.goto(
        f"{live_server}/reports/progress?student={scored['ana'].id}&on=2026-12-01"
    )
    page.wait_for_selector("text=No graded work yet")
    screenshot(page, "progress-report")

    page.context.clear_cookies()
    student = make.user("student", person=scored["ana"])
    browser_login(page, live_server, student.email)
    page.goto(f"{live_server}/reports")
    page.wait_for_selector("text=Your transcript")
    screenshot(page, "reports-student")
