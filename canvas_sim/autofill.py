"""Plausible coursework for courses created through the API (`--autofill`).

Every choice is drawn from a random generator seeded by the ids involved,
so the same course and student always get the same work.
"""

import random
from datetime import UTC, datetime, timedelta

from .store import now_iso

GROUPS = (("Homework", 25.0), ("Quizzes", 20.0), ("Projects", 20.0), ("Tests", 35.0))

# name, group, points, days from today the work is due
WORK = (
    ("Homework 1: Getting Started", "Homework", 10, -56),
    ("Homework 2: Practice Set", "Homework", 10, -49),
    ("Homework 3: Problem Set", "Homework", 10, -42),
    ("Homework 4: Review Questions", "Homework", 10, -28),
    ("Homework 5: Applications", "Homework", 10, -14),
    ("Homework 6: Challenge Problems", "Homework", 10, 5),
    ("Reading Log (not counted)", "Homework", 5, -21),
    ("Project 1: Research Poster", "Projects", 50, -35),
    ("Project 2: Presentation", "Projects", 50, 12),
    ("Unit Test 1", "Tests", 100, -45),
    ("Unit Test 2", "Tests", 100, -20),
    ("Midterm Exam", "Tests", 100, -3),
)
QUIZZES = (("Quiz 1: Vocabulary", 20, -38), ("Quiz 2: Concepts", 20, -10))


def _when(days, hour=23, minute=59):
    """An ISO timestamp `days` from today at the given UTC time."""
    moment = datetime.now(UTC).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    ) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _shift(stamp, hours):
    """An ISO timestamp moved by a number of hours."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ") + timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def fill_course(course, keep_weighting=False):
    """Give a new course weighted groups, twelve assignments and two quizzes."""
    from .assignments import new_assignment, new_group
    from .quizzes import new_quiz

    course["autofill"] = True
    if not keep_weighting:
        course["apply_assignment_group_weights"] = True
    groups = {
        name: new_group(course, name, weight, position)
        for position, (name, weight) in enumerate(GROUPS, start=1)
    }
    for name, group, points, days in WORK:
        new_assignment(
            course,
            name,
            groups[group],
            points_possible=float(points),
            due_at=_when(days),
            submission_types=["online_upload"] if group != "Tests" else ["on_paper"],
            workflow_state="published",
            omit_from_final_grade=name.endswith("(not counted)"),
            description=f"<p>{name}</p>",
        )
    for title, points, days in QUIZZES:
        new_quiz(
            course,
            title,
            "assignment",
            groups["Quizzes"],
            points_possible=float(points),
            question_count=points // 2,
            time_limit=20,
            due_at=_when(days),
            published=True,
        )


def _ability(course_id, user_id):
    """A student's typical share of the points, steady across assignments."""
    rng = random.Random(f"ability:{course_id}:{user_id}")
    return min(max(rng.gauss(0.84, 0.08), 0.5), 1.0)


def _life(assignment, user_id, ability):
    """The fields of one generated submission."""
    rng = random.Random(f"work:{assignment['id']}:{user_id}")
    due = assignment["due_at"]
    possible = assignment["points_possible"] or 0.0
    quiz = assignment["quiz_id"] is not None
    kind = "online_quiz" if quiz else assignment["submission_types"][0]
    roll = rng.random()
    now = now_iso()
    if due and due > now:
        if roll < 0.2:
            return {
                "workflow_state": "submitted",
                "submitted_at": _shift(now, -5),
                "attempt": 1,
                "submission_type": kind,
            }
        return {}
    if roll < 0.06:
        return {}
    if roll < 0.09:
        return {
            "excused": True,
            "workflow_state": "graded",
            "graded_at": _shift(due, 30),
            "posted_at": _shift(due, 30),
        }
    entered = round(min(max(rng.gauss(ability, 0.07), 0.3), 1.0) * possible * 2) / 2
    late = roll < 0.19
    submitted = _shift(due, rng.randint(3, 60) if late else -rng.randint(1, 48))
    fields = {"submitted_at": submitted, "attempt": 1, "submission_type": kind}
    recent = due > _shift(now, -24 * 5)
    if recent and not quiz and roll > 0.75:
        return dict(fields, workflow_state="submitted")
    deducted = round(possible * 0.1, 2) if late else 0.0
    score = max(entered - deducted, 0.0)
    graded = _shift(max(submitted, due), 48)
    from .grading import grade_for

    return dict(
        fields,
        workflow_state="graded",
        score=score,
        entered_score=entered,
        grade=grade_for(assignment, score),
        entered_grade=grade_for(assignment, entered),
        points_deducted=deducted,
        late_policy_status="late" if late else None,
        graded_at=graded,
        posted_at=graded,
        grader_id=1,
    )


def materialise_submissions(store, course, user_id):
    """Make sure a new student has a submission row for every assignment."""
    ability = _ability(course["id"], user_id)
    for assignment in store.find("assignments", course_id=course["id"]):
        _ensure(store, course, assignment, user_id, ability)


def materialise_assignment(store, assignment):
    """Make sure every enrolled student has a row for a new assignment."""
    course = store.get("courses", assignment["course_id"])
    seen = set()
    for row in store.find("enrollments", course_id=course["id"]):
        if row["type"] != "StudentEnrollment" or row["user_id"] in seen:
            continue
        seen.add(row["user_id"])
        _ensure(
            store,
            course,
            assignment,
            row["user_id"],
            _ability(course["id"], row["user_id"]),
        )


def _ensure(store, course, assignment, user_id, ability):
    """Add the submission row of a student for an assignment if it is missing."""
    from .submissions import new_submission

    if store.first("submissions", assignment_id=assignment["id"], user_id=user_id):
        return
    fields = {}
    if course.get("autofill") and assignment["workflow_state"] == "published":
        fields = _life(assignment, user_id, ability)
    new_submission(assignment, user_id, **fields)
