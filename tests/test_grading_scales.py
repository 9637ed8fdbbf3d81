"""Grading scales admin: the rules, the pages, defaults, deletes and access."""

import logging
from decimal import Decimal as D

import pytest

from blueprints.scales.rules import Row, delete_problem, levels_problem, row_problems
from models import GradebookConfig, GradingScale, GradingScaleLevel, Score, db
from models.gradebook_summary import letter_for, student_summary
from tests.conftest import browser_login, screenshot
from tests.test_gradebook import _book

A_TO_F = [
    ("A", "90", "4", True),
    ("B", "80", "3", True),
    ("C", "70", "2", True),
    ("D", "60", "1", True),
    ("F", "0", "0", False),
]

# --- the rules, on plain values ---------------------------------------------


def _rows(*rows):
    return [None if r is None else Row(r[0], D(r[1]), D(r[2]), True) for r in rows]


def test_row_problems_accept_a_good_scale():
    assert row_problems(_rows(("P", 50, 1), None, ("NP", 0, 0))) == {}


@pytest.mark.parametrize(
    ("rows", "index", "field", "message"),
    [
        ((("A", 90, 4), ("a", 0, 0)), 1, "letter", "already a letter"),
        ((("ABCDEF", 0, 4),), 0, "letter", "Keep a letter to 5 characters."),
        ((("A", 0, 4), ("B", 0, 3)), 1, "min_percentage", "A already starts at 0%."),
        ((("A", 201, 4), ("F", 0, 0)), 0, "min_percentage", "between 0 and 200"),
        ((("A", "89.555", 4), ("F", 0, 0)), 0, "min_percentage", "two decimals"),
        ((("A", 90, 4), ("B", 60, 3)), 1, "min_percentage", "must start at 0"),
        ((("A", 0, "10.5"),), 0, "gpa_points", "between 0 and 10"),
        ((("A", 0, "NaN"),), 0, "gpa_points", "Type a number."),
    ],
)
def test_row_problems_flag_the_row(rows, index, field, message):
    problems = row_problems(_rows(*rows))
    assert list(problems) == [index]
    assert message in problems[index][field]


def test_row_problems_accept_extra_credit_and_say_missing_values():
    assert row_problems(_rows(("A+", 100, 4), ("A", 0, 4))) == {}
    problems = row_problems([Row("", None, None)])
    assert set(problems[0]) == {"letter", "min_percentage", "gpa_points"}


def test_levels_problem_wants_one_level():
    assert "at least one level" in levels_problem([None, None])
    assert levels_problem(_rows(("A", 0, 4))) is None


def test_delete_problem_names_the_reason():
    assert "default" in delete_problem("A-F", True, 0)
    assert delete_problem("Pass", False, 1) == (
        "Pass is used by 1 gradebook, so it cannot be deleted."
    )
    assert delete_problem("Pass", False, 0) is None


# --- helpers and fixtures -----------------------------------------------------


@pytest.fixture()
def a_to_f(app):
    """The A-F scale every school starts with."""
    scale = GradingScale.default()
    db.session.commit()
    return scale


def _form(name="A-F", rows=A_TO_F, blanks=3, **fields):
    """The form as a browser posts it: the rows, then blank rows."""
    data = {"name": name}
    for index, row in enumerate([*rows, *[("", "", "", True)] * blanks]):
        letter, low, points, passing, *remove = row
        data[f"levels-{index}-letter"] = letter
        data[f"levels-{index}-min_percentage"] = low
        data[f"levels-{index}-gpa_points"] = points
        if passing:
            data[f"levels-{index}-passing"] = "y"
        if remove:
            data[f"levels-{index}-remove"] = "y"
    data.update(fields)
    return data


def _levels(scale_id):
    """A scale's levels as stored, highest first."""
    db.session.expire_all()
    scale = db.session.get(GradingScale, scale_id)
    return [
        (lv.letter, lv.min_percentage, lv.gpa_points, lv.passing) for lv in scale.levels
    ]


def _row_html(html, index):
    start = html.index(f'<tr id="level-{index}"')
    return html[start : html.index("</tr>", start)]


def _scale_count():
    return db.session.scalar(db.select(db.func.count(GradingScale.id)))


def _defaults():
    db.session.expire_all()
    return db.session.scalars(
        db.select(GradingScale.name).where(GradingScale.is_default)
    ).all()


# --- creating and editing -----------------------------------------------------


def test_admin_creates_a_scale_with_four_levels(client, login, a_to_f, caplog):
    caplog.set_level(logging.INFO, logger="blueprints.scales.routes")
    admin = login("admin")
    assert client.get("/grading-scales/new").status_code == 200
    rows = [
        ("E", "90", "4", True),
        ("M", "75", "3", True),
        ("P", "60", "2", True),
        ("NY", "0", "0", False),
    ]
    response = client.post_form("/grading-scales/new", _form("Standards", rows))
    assert response.status_code == 303
    assert response.headers["Location"] == "/grading-scales"

    scale = db.session.scalar(db.select(GradingScale).filter_by(name="Standards"))
    assert _levels(scale.id) == [
        ("E", D(90), D(4), True), ("M", D(75), D(3), True),
        ("P", D(60), D(2), True), ("NY", D(0), D(0), False),
    ]  # fmt: skip
    assert not scale.is_default
    assert f"grading scale {scale.id} created by user {admin.id}" in caplog.text
    page = client.get("/grading-scales").get_data(as_text=True)
    assert "Standards" in page and "<strong>NY</strong> 0" in page


def test_edit_page_shows_levels_highest_first_and_blank_rows(client, login, a_to_f):
    db.session.add(GradingScaleLevel(scale=a_to_f, letter="A+", min_percentage=97,
                                     gpa_points=D("4.3")))  # fmt: skip
    db.session.commit()
    login("admin")
    html = client.get(f"/grading-scales/{a_to_f.id}/edit").get_data(as_text=True)
    assert 'value="A+"' in _row_html(html, 0)
    assert 'value="4.3"' in _row_html(html, 0)
    assert 'value="0"' in _row_html(html, 5)
    assert 'value=""' in _row_html(html, 8)
    assert '<tr id="level-9"' not in html


def test_edit_changes_a_cut_off_and_the_gradebook_letter_follows(
    client, login, make, a_to_f
):
    section, _teacher, kids, (hw1, test1) = _book(make)
    db.session.add_all([
        Score(assignment_id=hw1.id, student_id=kids[0].id, points=D(8)),
        Score(assignment_id=test1.id, student_id=kids[0].id, points=D(45)),
    ])  # fmt: skip
    db.session.commit()
    assert GradebookConfig.for_section(section).scale_id == a_to_f.id
    before = student_summary(section.id, kids[0].id)
    assert (before.percentage, before.letter) == (D(86), "B")

    login("admin")
    rows = [("B", "87", "3", True) if r[0] == "B" else r for r in A_TO_F]
    response = client.post_form(f"/grading-scales/{a_to_f.id}/edit", _form(rows=rows))
    assert response.status_code == 303
    db.session.expire_all()
    assert student_summary(section.id, kids[0].id).letter == "C"
    assert letter_for(D(87), db.session.get(GradingScale, a_to_f.id)) == "B"


def test_edit_removes_renames_and_adds_levels(client, login, a_to_f):
    login("admin")
    rows = [
        ("A", "90", "4", True),
        ("B", "80", "3", True),
        ("C", "70", "2", True, "remove"),
        ("", "", "", True, "remove"),
        ("f", "0", "0", False),
        ("D", "65", "1.5", True),
        ("E", "60", "1", True),
    ]
    response = client.post_form(f"/grading-scales/{a_to_f.id}/edit", _form(rows=rows))
    assert response.status_code == 303
    assert _levels(a_to_f.id) == [
        ("A", D(90), D(4), True), ("B", D(80), D(3), True),
        ("D", D(65), D("1.5"), True), ("E", D(60), D(1), True),
        ("f", D(0), D(0), False),
    ]  # fmt: skip


def _swap(row_index, **changes):
    """A-F with one row changed; positions: letter, from %, GPA points."""
    rows = [list(r) for r in A_TO_F]
    for position, value in changes.items():
        rows[row_index][["letter", "low", "points"].index(position)] = value
    return [tuple(r) for r in rows]


INVALID = [
    (_swap(1, letter=""), 1, "Give a letter, or tick Remove."),
    (_swap(1, letter="a"), 1, "a is already a letter of this scale."),
    (_swap(1, letter="TOOLONG"), 1, "Keep a letter to 5 characters."),
    (_swap(1, low=""), 1, "Give the lowest percentage that earns this letter."),
    (_swap(0, low="250"), 0, "From % must be between 0 and 200."),
    (_swap(2, low="-5"), 2, "From % must be between 0 and 200."),
    (_swap(1, low="90"), 1, "A already starts at 90%."),
    (_swap(4, low="50"), 4, "The lowest level must start at 0"),
    (_swap(3, low="sixty"), 3, "Not a valid decimal value."),
    (_swap(0, points="11"), 0, "GPA points must be between 0 and 10."),
    (_swap(0, points=""), 0, "Give the GPA points (0 if the letter earns none)."),
    (_swap(2, points="2.125"), 2, "Use at most two decimals."),
]


@pytest.mark.parametrize(("rows", "index", "message"), INVALID)
def test_invalid_row_is_refused_at_the_row_and_nothing_written(
    client, login, a_to_f, rows, index, message
):
    before = _levels(a_to_f.id)
    login("admin")
    url = f"/grading-scales/{a_to_f.id}/edit"
    response = client.post_form(url, _form("Renamed", rows))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in _row_html(html, index)
    assert "nothing was saved" in html
    assert _levels(a_to_f.id) == before
    assert db.session.get(GradingScale, a_to_f.id).name == "A-F"


def test_scale_without_levels_is_refused(client, login, a_to_f):
    login("admin")
    rows = [(*row, "remove") for row in A_TO_F]
    response = client.post_form(f"/grading-scales/{a_to_f.id}/edit", _form(rows=rows))
    assert response.status_code == 422
    assert "Give the scale at least one level" in response.get_data(as_text=True)
    assert len(_levels(a_to_f.id)) == 5


@pytest.mark.parametrize("name", ["A-F", "a-f ", ""])
def test_new_scale_name_must_be_given_and_unique(client, login, a_to_f, name):
    login("admin")
    response = client.post_form("/grading-scales/new", _form(name))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = "Another scale is already called" if name else "This field is required."
    name_field = html[html.index('<div class="field has-error">') :]
    assert error in name_field[: name_field.index("</div>")]
    assert _scale_count() == 1


# --- the default --------------------------------------------------------------


def test_making_a_scale_default_unsets_the_other(client, login, a_to_f, caplog):
    caplog.set_level(logging.INFO, logger="blueprints.scales.routes")
    login("admin")
    data = _form("Pass/Fail", [("P", "60", "1", True), ("F", "0", "0", False)])
    client.post_form("/grading-scales/new", dict(data, is_default="y"))
    assert _defaults() == ["Pass/Fail"]
    assert "made the default" in caplog.text

    # Ticking it back on A-F moves the default back; saving it keeps it.
    url = f"/grading-scales/{a_to_f.id}/edit"
    assert client.post_form(url, _form(is_default="y")).status_code == 303
    assert _defaults() == ["A-F"]
    assert client.post_form(url, _form()).status_code == 303
    assert _defaults() == ["A-F"]


def test_default_scale_page_says_so_instead_of_a_checkbox(client, login, a_to_f):
    login("admin")
    html = client.get(f"/grading-scales/{a_to_f.id}/edit").get_data(as_text=True)
    assert 'name="is_default"' not in html
    assert "make another scale the default" in html


# --- deleting -----------------------------------------------------------------


def _extra_scale(name="Pass/Fail"):
    scale = GradingScale(school_id=None, name=name)
    scale.levels = [
        GradingScaleLevel(letter="P", min_percentage=60, gpa_points=1),
        GradingScaleLevel(letter="F", min_percentage=0, gpa_points=0, passing=False),
    ]
    db.session.add(scale)
    db.session.commit()
    return scale


def test_a_used_scale_cannot_be_deleted(client, login, make, a_to_f):
    scale = _extra_scale()
    config = GradebookConfig.for_section(make.section())
    config.scale = scale
    db.session.commit()
    login("admin")
    edit = client.get(f"/grading-scales/{scale.id}/edit").get_data(as_text=True)
    reason = "Pass/Fail is used by 1 gradebook, so it cannot be deleted."
    assert reason in edit and "/delete" not in edit

    response = client.post_form(f"/grading-scales/{scale.id}/delete")
    assert response.status_code == 303
    assert reason in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _scale_count() == 2


def test_the_default_scale_cannot_be_deleted(client, login, a_to_f):
    login("admin")
    response = client.post_form(f"/grading-scales/{a_to_f.id}/delete")
    assert response.status_code == 303
    assert "make another scale the default before deleting it" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert _scale_count() == 1


def test_an_unused_scale_is_deleted_with_its_levels(client, login, a_to_f):
    scale = _extra_scale()
    login("admin")
    edit = client.get(f"/grading-scales/{scale.id}/edit").get_data(as_text=True)
    assert f'action="/grading-scales/{scale.id}/delete"' in edit
    response = client.post_form(f"/grading-scales/{scale.id}/delete")
    assert response.headers["Location"] == "/grading-scales"
    assert _scale_count() == 1
    assert db.session.scalar(db.select(db.func.count(GradingScaleLevel.id))) == 5


def test_unknown_scale_is_not_found(client, login):
    login("admin")
    assert client.get("/grading-scales/999/edit").status_code == 404


# --- access -------------------------------------------------------------------

PAGES = ["/grading-scales", "/grading-scales/new", "/grading-scales/{id}/edit"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("teacher", 403), ("student", 403), (None, 302)],
)
def test_scale_pages_by_role(client, login, a_to_f, url, role, status):
    if role:
        login(role)
    assert client.get(url.format(id=a_to_f.id)).status_code == status


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_posts_refused_to_non_admins(client, login, a_to_f, role):
    scale = _extra_scale()
    login(role)
    data = _form("Hijack")
    assert client.post_form("/grading-scales/new", data).status_code == 403
    url = f"/grading-scales/{a_to_f.id}/edit"
    assert client.post_form(url, data).status_code == 403
    url = f"/grading-scales/{scale.id}/delete"
    assert client.post_form(url).status_code == 403
    assert _scale_count() == 2
    assert db.session.get(GradingScale, a_to_f.id).name == "A-F"


def test_post_without_csrf_is_refused(client, login, a_to_f):
    login("admin")
    response = client.post("/grading-scales/new", data=_form("Standards"))
    assert response.status_code == 400
    response = client.post(f"/grading-scales/{a_to_f.id}/edit", data=_form("X"))
    assert response.status_code == 400
    assert _scale_count() == 1
    assert db.session.get(GradingScale, a_to_f.id).name == "A-F"


# --- in a browser ---------------------------------------------------------------


@pytest.mark.browser
def test_edit_page_in_a_browser(live_server, page, make, a_to_f):
    admin = make.user("admin")
    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/grading-scales/{a_to_f.id}/edit")
    screenshot(page, "grading-scale")

    page.get_by_label("From %, row 2").fill("85")
    page.get_by_label("Letter, row 6").fill("D-")
    page.get_by_label("From %, row 6").fill("55")
    page.get_by_label("GPA points, row 6").fill("0.7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server}/grading-scales")
    assert "A-F is saved." in page.inner_text("main")
    assert [level[:2] for level in _levels(a_to_f.id)] == [
        ("A", D(90)), ("B", D(85)), ("C", D(70)), ("D", D(60)), ("D-", D(55)),
        ("F", D(0)),
    ]  # fmt: skip

    page.goto(f"{live_server}/grading-scales/{a_to_f.id}/edit")
    page.get_by_label("Letter, row 2").fill("A")
    page.get_by_label("From %, row 6").fill("5")
    page.get_by_role("button", name="Save").click()
    assert "A is already a letter" in page.inner_text("#level-1")
    assert "must start at 0" in page.inner_text("#level-5")
    screenshot(page, "grading-scale-errors")
