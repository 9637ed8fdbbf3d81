"""The Grades tab as plain rows: students by assignments, in a few queries."""

from dataclasses import dataclass, field

from blueprints.gradebook.actions import cell_text
from models import Student, db
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


def build(section, config, marking_period_id=None):
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
    rows = []
    for student in students:
        row = Row(student, summary=summarise(data, student.id))
        for a in assignments:
            score = data.scores.get((a.id, student.id))
            row.cells.append(
                (not a.from_canvas, cell_text(score, short=True), _css(score), a.id)
            )
        rows.append(row)
    return columns, rows


def cell_text_points(points):
    """An assignment's points as a plain number."""
    return f"{points.normalize():f}"
