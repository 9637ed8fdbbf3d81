"""Course scores computed from submissions the way Canvas's GradeCalculator does.

Pure functions over plain rows: no Flask, no store writes.
"""

from decimal import ROUND_HALF_UP, Decimal

# Canvas's default grading scheme: the lowest percentage of each letter.
DEFAULT_SCHEME = (
    ("A", 94.0),
    ("A-", 90.0),
    ("B+", 87.0),
    ("B", 84.0),
    ("B-", 80.0),
    ("C+", 77.0),
    ("C", 74.0),
    ("C-", 70.0),
    ("D+", 67.0),
    ("D", 64.0),
    ("D-", 61.0),
    ("F", 0.0),
)


def round2(value):
    """Round half up to two places, as Ruby's BigDecimal#round(2) does."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def letter_for(percent):
    """The default scheme's letter for a percentage."""
    for letter, floor in DEFAULT_SCHEME:
        if percent >= floor:
            return letter
    return "F"


def percent_for_letter(letter):
    """The percentage Canvas stores for a letter: the next letter's floor - 1."""
    for index, (name, _floor) in enumerate(DEFAULT_SCHEME):
        if name.lower() == letter.lower():
            return 100.0 if index == 0 else DEFAULT_SCHEME[index - 1][1] - 1.0
    return None


def counts_toward_grade(assignment):
    """Whether an assignment can count in the course grade at all."""
    return (
        assignment["workflow_state"] == "published"
        and not assignment["omit_from_final_grade"]
        and assignment["grading_type"] != "not_graded"
    )


def group_sums(groups, assignments, submissions):
    """Per group: (current score, current possible, final score, final possible).

    Excused work is left out of both; ungraded work is left out of the current
    sums and counted as zero in the final ones.
    """
    sums = []
    for group in groups:
        cur_score = cur_possible = fin_score = fin_possible = 0.0
        for assignment in assignments:
            if assignment["assignment_group_id"] != group["id"]:
                continue
            submission = submissions.get(assignment["id"])
            if submission and submission["excused"]:
                continue
            possible = float(assignment["points_possible"] or 0)
            score = submission["score"] if submission else None
            if score is not None:
                cur_score += score
                cur_possible += possible
            fin_score += score or 0.0
            fin_possible += possible
        weight = float(group.get("group_weight") or 0)
        sums.append((cur_score, cur_possible, fin_score, fin_possible, weight))
    return sums


def total(pairs, weighted):
    """A course percentage from (score, possible, weight) per group, or None."""
    if weighted:
        relevant = [(s, p, w) for s, p, w in pairs if p > 0]
        full_weight = sum(w for _s, _p, w in relevant)
        if full_weight == 0:
            return None
        grade = sum(s / p * w for s, p, w in relevant)
        if full_weight < 100:
            grade *= 100.0 / full_weight
        return round2(grade)
    possible = sum(p for _s, p, _w in pairs)
    if possible == 0:
        return None
    return round2(sum(s for s, _p, _w in pairs) / possible * 100)


def scores(course, groups, assignments, submissions):
    """current_score, final_score and current points for one student."""
    counted = [a for a in assignments if counts_toward_grade(a)]
    sums = group_sums(groups, counted, submissions)
    weighted = bool(course.get("apply_assignment_group_weights"))
    current = total([(c, cp, w) for c, cp, _f, _fp, w in sums], weighted)
    final = total([(f, fp, w) for _c, _cp, f, fp, w in sums], weighted)
    points = round2(sum(c for c, *_rest in sums))
    return current, final, points


def enrollment_scores(store, course_id, user_id):
    """The `grades` numbers of a student enrollment, read from the store.

    `current_points` is only shown by Canvas on request; callers drop it.
    """
    course = store.get("courses", course_id)
    groups = [
        group
        for group in store.find("assignment_groups", course_id=course_id)
        if group["workflow_state"] != "deleted"
    ]
    assignments = store.find("assignments", course_id=course_id)
    submissions = {
        row["assignment_id"]: row
        for row in store.find("submissions", course_id=course_id, user_id=user_id)
    }
    current, final, points = scores(course, groups, assignments, submissions)
    return {
        "current_score": current,
        "final_score": final,
        "current_grade": None,
        "final_grade": None,
        "unposted_current_score": current,
        "unposted_final_score": final,
        "unposted_current_grade": None,
        "unposted_final_grade": None,
        "current_points": points,
    }
