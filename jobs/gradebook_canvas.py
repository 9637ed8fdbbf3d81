"""Bringing a section's Canvas coursework and grades into its gradebook.

Two RQ jobs, each taking a section id: `get_canvas_assignments` reads the
course's assignment groups (with their assignments) and classic quizzes;
`pull_grades` does that too, then reads every student's submissions in bulk
(option 1) or the student enrollments with their course grades (option 2).
After the first pull, submissions are asked for only when graded since the
last pull began by Canvas's own clock; a student whose Canvas course score moved
without a submission to show for it (a grade cleared, an excuse lifted) has
all of their submissions read again.
"""

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import parsedate_to_datetime

from jobs.canvas.client import CanvasClient
from jobs.canvas.errors import CanvasError
from jobs.progress import report_progress
from models import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    CanvasGroup,
    Enrollment,
    GradebookConfig,
    Score,
    Section,
    Student,
    db,
)
from models.base import utcnow
from models.lms import SyncState

logger = logging.getLogger(__name__)

PER_PAGE = 100
# A grade saved while the last pull ran can carry a stamp from just before it
# began (stamps are whole seconds; commits lag); ask for a margin more.
SINCE_MARGIN = timedelta(minutes=10)
TRACKED = ("title", "points", "due_on", "marking_period_id", "canvas_group_id",
           "is_quiz", "canvas_quiz_id", "canvas_url", "state")  # fmt: skip


class NotReady(Exception):
    """The section cannot be pulled yet; the message says why."""


def _load(section_id):
    """The section, its configuration and its Canvas course id, or NotReady."""
    section = db.session.get(Section, section_id)
    if section is None:
        raise NotReady(f"Section {section_id} no longer exists.")
    if not section.canvas_sync:
        raise NotReady("This section does not sync with Canvas.")
    config = GradebookConfig.for_section(section)
    if config.canvas_option is None:
        raise NotReady("Choose the Canvas grade option on the configuration page.")
    course_id = SyncState.course_id_for(section.id)
    if course_id is None:
        raise NotReady("This section has no Canvas course yet; sync the section first.")
    return section, config, course_id


def _date(stamp):
    """The date part of a Canvas timestamp (UTC), or None."""
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()


def _stamp(moment):
    """A datetime as Canvas's ISO 8601 form."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _graded(raw):
    """Whether a Canvas assignment counts toward a grade at all."""
    return raw.get("grading_type") != "not_graded" and not raw.get(
        "omit_from_final_grade"
    )


def canvas_clock(response):
    """Canvas's time when it answered (its Date header), or ours without one.

    The `graded_since` mark must be on Canvas's clock: it stamps `graded_at`,
    and ours may run ahead of it by more than any margin.
    """
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        logger.debug("canvas answer without a usable Date header; using our clock")
        return utcnow()


def fetch_coursework(client, course_id):
    """Read the course, its groups and quizzes; also Canvas's clock at the start."""
    response = client.request("GET", f"courses/{course_id}")
    course = response.json()
    groups = list(
        client.paginate(
            f"courses/{course_id}/assignment_groups",
            {"include[]": "assignments", "per_page": PER_PAGE},
        )
    )
    quizzes = list(
        client.paginate(f"courses/{course_id}/quizzes", {"per_page": PER_PAGE})
    )
    return course, groups, quizzes, canvas_clock(response)


def _wanted_fields(raw, quizzes_by_id, type_id):
    """The gradebook fields of one Canvas assignment."""
    quiz = quizzes_by_id.get(raw.get("quiz_id"))
    is_quiz = bool(raw.get("is_quiz_assignment") or raw.get("quiz_id"))
    return {
        "title": (raw.get("name") or "Untitled")[:255],
        "points": Decimal(str(raw.get("points_possible") or 0)).quantize(
            Decimal("0.01")
        ),
        "due_on": _date(raw.get("due_at")),
        "canvas_group_id": raw.get("assignment_group_id"),
        "is_quiz": is_quiz,
        "canvas_quiz_id": raw.get("quiz_id") if is_quiz else None,
        "canvas_url": ((quiz or {}).get("html_url") or raw.get("html_url") or "")[:500],
        "state": "active" if raw.get("published", True) else "unpublished",
        "type_id": type_id,
    }


def apply_coursework(section, config, course, groups, quizzes):
    """Bring the Canvas type's assignments and groups in line with Canvas.

    Returns the lists of titles added, updated and marked (deleted or
    unpublished in Canvas), and how many were left alone.
    """
    kind = AssignmentType.canvas_for(section.id)
    config.canvas_weights_groups = bool(course.get("apply_assignment_group_weights"))
    _apply_groups(section.id, groups)

    quizzes_by_id = {q["id"]: q for q in quizzes}
    existing = {
        a.canvas_assignment_id: a
        for a in db.session.scalars(
            db.select(Assignment).where(
                Assignment.section_id == section.id,
                Assignment.canvas_assignment_id.is_not(None),
            )
        )
    }
    result = {"added": [], "updated": [], "marked": [], "unchanged": 0}
    seen, ungraded = set(), set()
    for group in groups:
        for raw in group.get("assignments") or []:
            if not _graded(raw):
                ungraded.add(raw["id"])
                continue
            seen.add(raw["id"])
            _apply_assignment(section, kind, raw, quizzes_by_id, existing, result)

    for canvas_id, assignment in existing.items():
        if canvas_id in seen or not assignment.from_canvas:
            continue
        # Still in Canvas but no longer counted is not the same as deleted:
        # the teacher should be told which one happened.
        state = "ungraded" if canvas_id in ungraded else "deleted"
        if assignment.state != state:
            assignment.state = state
            words = "not graded" if state == "ungraded" else "deleted"
            result["marked"].append(f"{assignment.title} ({words} in Canvas)")
        else:
            result["unchanged"] += 1
    config.coursework_pulled_at = utcnow()
    db.session.flush()
    return result


def _apply_groups(section_id, groups):
    """Keep the section's copy of the course's assignment groups and weights."""
    rows = {
        g.canvas_group_id: g
        for g in db.session.scalars(
            db.select(CanvasGroup).where(CanvasGroup.section_id == section_id)
        )
    }
    for group in groups:
        row = rows.pop(group["id"], None)
        if row is None:
            row = CanvasGroup(section_id=section_id, canvas_group_id=group["id"])
            db.session.add(row)
        row.name = (group.get("name") or "")[:255]
        row.weight = Decimal(str(group.get("group_weight") or 0)).quantize(
            Decimal("0.01")
        )
        row.position = group.get("position") or 0
    for gone in rows.values():
        db.session.delete(gone)


def _period_for(section, due_on):
    """The marking period Canvas work due on a date counts in.

    The shortest period under the section's own that does grades and holds
    the due date; else the section's own, so undated work counts in the
    whole term rather than in each of its quarters.
    """
    if due_on is None:
        return section.marking_period_id
    holding = [
        period
        for period in section.marking_period.children
        if period.does_grades and period.start_date <= due_on <= period.end_date
    ]
    if not holding:
        return section.marking_period_id
    return min(holding, key=lambda period: period.end_date - period.start_date).id


def _apply_assignment(section, kind, raw, quizzes_by_id, existing, result):
    """Create or update one assignment from Canvas, noting what happened."""
    fields = _wanted_fields(raw, quizzes_by_id, kind.id)
    fields["marking_period_id"] = _period_for(section, fields["due_on"])
    assignment = existing.get(raw["id"])
    if assignment is None:
        assignment = Assignment(
            section_id=section.id,
            canvas_assignment_id=raw["id"],
            from_canvas=True,
            description="",
            **fields,
        )
        db.session.add(assignment)
        existing[raw["id"]] = assignment
        result["added"].append(fields["title"])
        return
    if not assignment.from_canvas:
        # Made in Homeroom and published to Canvas: Homeroom keeps it.
        result["unchanged"] += 1
        return
    fields.pop("type_id")
    changed = [name for name in TRACKED if getattr(assignment, name) != fields[name]]
    if not changed:
        result["unchanged"] += 1
        return
    if "state" in changed and fields["state"] == "unpublished":
        result["marked"].append(f"{fields['title']} (unpublished in Canvas)")
    else:
        result["updated"].append(fields["title"])
    for name in changed:
        setattr(assignment, name, fields[name])


def _sum_up(result):
    """One sentence for logs and the CLI."""
    return (
        f"{len(result['added'])} added, {len(result['updated'])} updated, "
        f"{len(result['marked'])} marked, {result['unchanged']} left alone"
    )


def _run(section_id, work, label):
    """Run one job's work with its client, turning Canvas errors into a result."""
    try:
        section, config, course_id = _load(section_id)
        with CanvasClient.from_settings() as client:
            result = work(client, section, config, course_id)
            result["requests"] = client.request_count
    except NotReady as error:
        db.session.rollback()
        return {"error": str(error)}
    except CanvasError as error:
        db.session.rollback()
        logger.warning("section %s %s failed: %s", section_id, label, error)
        return {"error": f"Canvas said: {error.message}"}
    db.session.commit()
    return result


def get_canvas_assignments(section_id):
    """RQ job: create or update the section's "Canvas" type from its course."""

    def work(client, section, config, course_id):
        if config.canvas_option != 1:
            raise NotReady(
                "Under option 2 the gradebook stays in Canvas; only the course "
                "grade is pulled."
            )
        report_progress(0, 1, "Reading the Canvas course")
        *coursework, _clock = fetch_coursework(client, course_id)
        result = apply_coursework(section, config, *coursework)
        report_progress(1, 1, "Saving")
        logger.info(
            "section %s canvas coursework pulled: %s", section_id, _sum_up(result)
        )
        return result

    return _run(section_id, work, "coursework")


def pull_grades(section_id):
    """RQ job: refresh the Canvas scores (option 1) or course grades (option 2)."""

    def work(client, section, config, course_id):
        if config.canvas_option == 2:
            started = utcnow()
            report_progress(0, 1, "Reading course grades")
            result = _pull_course_scores(client, section, course_id)
        else:
            report_progress(0, 2, "Reading the Canvas course")
            *fetched, started = fetch_coursework(client, course_id)
            coursework = apply_coursework(section, config, *fetched)
            report_progress(1, 2, "Reading scores")
            since = _since(config, coursework, started)
            result = _pull_submissions(client, section, course_id, since)
            result["coursework"] = coursework
        config.grades_pulled_at = started
        report_progress(1, 1, "Saving")
        logger.info(
            "section %s canvas grades pulled: %d changed, %d requests",
            section_id,
            result["changed"],
            client.request_count,
        )
        return result

    return _run(section_id, work, "grade pull")


def _since(config, coursework, now):
    """When to ask for changes from: None (everything) or the last pull.

    Canvas's `graded_since` misses grades of work just added or changed and
    work that turned missing because its due date passed, so those re-read
    everything.
    """
    last = config.grades_pulled_at
    if last is None or coursework["added"] or coursework["updated"]:
        return None
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    came_due = db.session.scalar(
        db.select(db.func.count(Assignment.id)).where(
            Assignment.section_id == config.section_id,
            Assignment.from_canvas,
            Assignment.due_on >= last.date(),
            Assignment.due_on <= now.date(),
        )
    )
    return None if came_due else last - SINCE_MARGIN


def _student_map(section_id):
    """Canvas user keys to student ids: by SIS id, and by synced Canvas id."""
    rows = db.session.execute(
        db.select(Student.id, Student.external_id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .where(Enrollment.section_id == section_id)
    ).all()
    by_sis = {external: sid for sid, external in rows}
    states = SyncState.states_for("student", [sid for sid, _e in rows])
    by_canvas = {s.canvas_id: sid for sid, s in states.items() if s.canvas_id}
    return by_sis, by_canvas


def _who(entry, by_sis, by_canvas):
    """The student id a Canvas answer is about, or None when not ours."""
    return by_sis.get(entry.get("sis_user_id")) or by_canvas.get(entry.get("user_id"))


def _pull_submissions(client, section, course_id, since):
    """Read every student's submissions in pages of 100 and store the scores."""
    assignments = {
        a.canvas_assignment_id: a
        for a in db.session.scalars(
            db.select(Assignment).where(
                Assignment.section_id == section.id, Assignment.from_canvas
            )
        )
    }
    scores = {
        (s.assignment_id, s.student_id): s
        for s in db.session.scalars(
            db.select(Score)
            .join(Assignment, Assignment.id == Score.assignment_id)
            .where(Assignment.section_id == section.id, Assignment.from_canvas)
        )
    }
    by_sis, by_canvas = _student_map(section.id)
    params = {
        "student_ids[]": "all",
        "grouped": "true",
        "include[]": "total_scores",
        "per_page": PER_PAGE,
    }
    totals = _course_score_rows(section.id)
    if since is not None:
        params["graded_since"] = _stamp(since)
    result = {"changed": 0, "seen": 0, "unknown_students": 0, "full": since is None,
              "rechecked": 0}  # fmt: skip
    path = f"courses/{course_id}/students/submissions"
    moved = []
    for entry in client.paginate(path, params):
        student_id = _who(entry, by_sis, by_canvas)
        if student_id is None:
            result["unknown_students"] += 1
            continue
        if _store_totals(totals, section.id, student_id, entry) and since is not None:
            moved.append(entry["user_id"])
        _store_entry(scores, assignments, student_id, entry, result)

    # `graded_since` misses a grade cleared or an excuse lifted: Canvas leaves
    # graded_at alone. The course score moves, so read those students whole.
    params.pop("graded_since", None)
    for start in range(0, len(moved), PER_PAGE):
        params["student_ids[]"] = moved[start : start + PER_PAGE]
        for entry in client.paginate(path, params):
            student_id = _who(entry, by_sis, by_canvas)
            if student_id is not None:
                result["rechecked"] += 1
                _store_entry(scores, assignments, student_id, entry, result)
    db.session.flush()
    return result


def _store_entry(scores, assignments, student_id, entry, result):
    """Store one student's submissions from a grouped answer, counting changes."""
    for raw in entry.get("submissions") or []:
        assignment = assignments.get(raw.get("assignment_id"))
        if assignment is None:
            continue
        result["seen"] += 1
        if _store_submission(scores, assignment, student_id, raw):
            result["changed"] += 1


def _course_score_rows(section_id):
    """The section's stored Canvas course scores by student id."""
    return {
        c.student_id: c
        for c in db.session.scalars(
            db.select(CanvasCourseScore).where(
                CanvasCourseScore.section_id == section_id
            )
        )
    }


def _store_totals(rows, section_id, student_id, entry):
    """Keep Canvas's own course score, sent beside the submissions at no cost.

    Under option 1 it is shown beside the Canvas type where the two differ.
    Returns True when the score is new or moved since the last pull.
    """
    if "computed_current_score" not in entry:
        return False
    row = rows.get(student_id)
    if row is None:
        row = CanvasCourseScore(section_id=section_id, student_id=student_id)
        db.session.add(row)
        rows[student_id] = row
    wanted = (
        _score(entry.get("computed_current_score")),
        _score(entry.get("computed_final_score")),
    )
    moved = (row.current_score, row.final_score) != wanted or row.id is None
    row.current_score, row.final_score = wanted
    row.pulled_at = utcnow()
    return moved


def _store_submission(scores, assignment, student_id, raw):
    """Store one submission as a score; return True when anything changed."""
    score = scores.get((assignment.id, student_id))
    points = raw.get("score")
    wanted = (
        None if points is None else Decimal(str(points)).quantize(Decimal("0.01")),
        bool(raw.get("excused")),
        bool(raw.get("missing")),
        bool(raw.get("late")),
    )
    before = (
        (score.points, score.excused, score.missing, score.late)
        if score is not None
        else (None, False, False, False)
    )
    if before == wanted:
        return False
    if score is None:
        score = Score(
            assignment_id=assignment.id, student_id=student_id, source="canvas"
        )
        db.session.add(score)
        scores[(assignment.id, student_id)] = score
    score.points, score.excused, score.missing, score.late = wanted
    score.source = "canvas"
    return True


def _pull_course_scores(client, section, course_id):
    """Option 2: read student enrollments with their Canvas course grades."""
    by_sis, by_canvas = _student_map(section.id)
    rows = _course_score_rows(section.id)
    params = {"type[]": "StudentEnrollment", "per_page": PER_PAGE}
    result = {"changed": 0, "seen": 0, "unknown_students": 0, "full": True}
    now = utcnow()
    for entry in client.paginate(f"courses/{course_id}/enrollments", params):
        student_id = _who(entry, by_sis, by_canvas)
        if student_id is None:
            result["unknown_students"] += 1
            continue
        result["seen"] += 1
        grades = entry.get("grades") or {}
        wanted = (
            _score(grades.get("current_score")),
            _score(grades.get("final_score")),
            grades.get("current_grade"),
            grades.get("final_grade"),
        )
        row = rows.get(student_id)
        if row is None:
            row = CanvasCourseScore(section_id=section.id, student_id=student_id)
            db.session.add(row)
            rows[student_id] = row
        before = (row.current_score, row.final_score, row.current_grade,
                  row.final_grade)  # fmt: skip
        if before != wanted:
            result["changed"] += 1
        (row.current_score, row.final_score, row.current_grade,
         row.final_grade) = wanted  # fmt: skip
        row.pulled_at = now
    db.session.flush()
    return result


def _score(value):
    """A Canvas score as a Decimal to the hundredth, or None."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _integration_id(assignment):
    """The id Homeroom gives its assignment in Canvas, to find it there again."""
    return f"homeroom-assignment-{assignment.id}"


def _find_published(client, path, wanted):
    """The course's assignment carrying an integration id, or None."""
    for raw in client.paginate(path, {"per_page": PER_PAGE}):
        if raw.get("integration_id") == wanted:
            return raw
    return None


def publish_assignment(assignment_id):
    """RQ job: create a Homeroom assignment in the section's Canvas course."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        return {"error": "The assignment no longer exists."}
    if assignment.canvas_assignment_id is not None:
        return {"canvas_assignment_id": assignment.canvas_assignment_id}

    def work(client, section, config, course_id):
        path = f"courses/{course_id}/assignments"
        marker = _integration_id(assignment)
        data = {
            "assignment[name]": assignment.title,
            "assignment[points_possible]": str(assignment.points),
            "assignment[description]": assignment.description or "",
            "assignment[submission_types][]": "none",
            "assignment[published]": "true",
            "assignment[integration_id]": marker,
        }
        if assignment.due_on:
            data["assignment[due_at]"] = f"{assignment.due_on.isoformat()}T23:59:00Z"
        # Assignments have no SIS id Canvas would refuse twice, so a create
        # whose answer was lost is found by its integration id, not resent.
        raw = client.create_once(
            path, data, lambda: _find_published(client, path, marker)
        )
        assignment.canvas_assignment_id = raw["id"]
        assignment.canvas_url = (raw.get("html_url") or "")[:500]
        assignment.canvas_group_id = raw.get("assignment_group_id")
        logger.info("assignment %s published to canvas as %s", assignment.id, raw["id"])
        return {"canvas_assignment_id": raw["id"]}

    return _run(assignment.section_id, work, "assignment publish")
