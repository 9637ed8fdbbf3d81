"""`flask seed-demo`: the demo school, through the roster importer."""

from models import Enrollment, MarkingPeriod, Section, Staff, Student, User, db
from models.oneroster.demo import DEMO_PASSWORD


def count(model, *where):
    return db.session.scalar(db.select(db.func.count(model.id)).where(*where))


def test_seed_demo_builds_the_school_and_prints_logins(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert count(Student) == 300
    assert count(Staff, Staff.role == "teacher") == 15
    assert count(Section) == 60
    assert count(Enrollment) == 1800
    kinds = db.session.scalars(db.select(MarkingPeriod.kind)).all()
    assert sorted(kinds) == sorted(["year"] + ["semester"] * 2 + ["quarter"] * 4)

    assert f"password: {DEMO_PASSWORD}" in result.output
    for role in ("admin", "teacher", "student"):
        line = next(x for x in result.output.splitlines() if x.split()[:1] == [role])
        account = User.by_email(line.split()[1])
        assert account.role == role
        assert account.check_password(DEMO_PASSWORD)


def test_seed_demo_sets_grading_windows(runner):
    runner.invoke(args=["seed-demo"])
    quarters = db.session.scalars(
        db.select(MarkingPeriod).where(MarkingPeriod.kind == "quarter")
    ).all()
    assert all(q.post_start and q.post_end > q.end_date for q in quarters)
    semesters = db.session.scalars(
        db.select(MarkingPeriod).where(MarkingPeriod.kind == "semester")
    ).all()
    assert all(s.does_exams for s in semesters)


def test_seed_demo_if_empty_leaves_a_school_with_people_alone(runner, make):
    make.student()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has people" in result.output
    assert count(Student) == 1
    assert count(Section) == 0


def test_seed_demo_if_empty_twice_seeds_once(runner):
    runner.invoke(args=["seed-demo", "--if-empty"])
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0
    assert "already has people" in again.output
    assert count(Student) == 300


def test_seed_demo_books_nobody_twice_in_one_period(runner):
    runner.invoke(args=["seed-demo"])
    stints = db.session.execute(
        db.select(
            Enrollment.student_id, Section.marking_period_id, Section.period
        ).join(Section, Section.id == Enrollment.section_id)
    ).all()
    assert len(set(stints)) == len(stints) == 1800

    teaching = []
    for section in db.session.scalars(db.select(Section)):
        for teacher_id in (section.teacher_id, section.co_teacher_id):
            if teacher_id is not None:
                teaching.append((teacher_id, section.marking_period_id, section.period))
    assert len(set(teaching)) == len(teaching)
