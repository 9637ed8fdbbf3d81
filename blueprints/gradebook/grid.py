"""The Grades tab as plain rows: students by assignments, in a few queries."""

from dataclasses import dataclass, field

from markupsafe import Markup

from blueprints.gradebook.actions import cell_text
from models import Student, db
from models.grade_math import diverges
from models.gradebook_summary import load, summarise


@dataclass
class Column:
    """An assignment as a column of the grid."""

    id: int
    title: str
    points: str
    type_name: str
    due_on: object
    canvas: bool
    quiz: bool
    url: str | None
    state: str


@dataclass
class Row:
    """A student's row: cells as (editable, text, css class) and the summary."""

    student: Student
    cells: list = field(default_factory=list)
    summary: object = None
    html: Markup = Markup("")
    canvas_note: str = ""


# A grid holds thousands of cells; joining these few fixed snippets here costs
# a tenth of a template loop. Their text is ours (numbers, EX, M), not typed.
EDIT_CELL = '<td{css}><input name=v value="{text}" hx-post="c/{aid}/{sid}"><i></i></td>'
READ_CELL = '<td class="ro{css}">{text}</td>'


def cells_html(row, can_edit):
    """A row's cells as HTML: inputs where the teacher enters, text elsewhere."""
    sid = row.student.id
    parts = []
    for editable, text, css, aid in row.cells:
        if editable and can_edit:
            klass = f' class="{css}"' if css else ""
            parts.append(EDIT_CELL.format(css=klass, text=text, aid=aid, sid=sid))
        else:
            parts.append(READ_CELL.format(css=f" {css}" if css else "", text=text))
    return Markup("".join(parts))


def _shown(assignment, scored_ids):
    """Work gone from Canvas stays on screen only while it holds scores."""
    return assignment.state == "active" or assignment.id in scored_ids


def _css(score):
    """The cell's class: its marks, for colour and the legend."""
    if score is None:
        return ""
    if score.excused:
        return "ex"
    if score.missing and score.points is None:
        return "mi"
    if score.late:
        return "la"
    return ""


def build(section, config, marking_period_id=None, can_edit=False):
    """Columns and rows of a section's Grades tab."""
    data = load(section.id, marking_period_id)
    scored = {assignment_id for assignment_id, _sid in data.scores}
    names = {t.id: t.name for t in data.types}
    option2 = config.canvas_option == 2
    assignments = [
        a
        for a in data.assignments
        if _shown(a, scored) and not (option2 and a.from_canvas)
    ]
    columns = [
        Column(
            a.id, a.title, cell_text_points(a.points), names.get(a.type_id, ""),
            a.due_on, a.from_canvas, a.is_quiz, a.canvas_url, a.state,
        )
        for a in assignments
    ]  # fmt: skip
    students = db.session.scalars(
        db.select(Student)
        .where(Student.id.in_(data.student_ids))
        .order_by(Student.last_name, Student.first_name, Student.id)
    ).all()
    shown = [(a.id, not a.from_canvas) for a in assignments]
    rows = []
    for student in students:
        row = Row(student, summary=summarise(data, student.id))
        for assignment_id, editable in shown:
            score = data.scores.get((assignment_id, student.id))
            text = cell_text(score, short=True)
            row.cells.append((editable, text, _css(score), assignment_id))
        row.html = cells_html(row, can_edit)
        if config.canvas_option == 1:
            row.canvas_note = canvas_note(row.summary)
        rows.append(row)
    return columns, rows


def canvas_note(summary):
    """Under option 1, both figures when the Canvas type and Canvas disagree."""
    ours, theirs = summary.canvas_percentage, summary.canvas_course_score
    if not diverges(ours, theirs):
        return ""
    return (
        f"Canvas type here {ours:.2f}%, Canvas's own course score {theirs:.2f}%: "
        "the two are set up differently (group weights or what counts)."
    )


def cell_text_points(points):
    """An assignment's points as a plain number."""
    return f"{points.normalize():f}"
