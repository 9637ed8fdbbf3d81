"""How long report cards for a whole school take as one PDF.

    .venv/bin/python bench/report_cards.py [--students 300] [--sections 7]

Builds a throwaway SQLite database (migrated like a real install), gives each
student a quarter grade in every section with a comment, then times the
gathering (`models.reports.report_cards`, a fixed number of queries) and the
drawing (`report_cards_pdf`) the way the page and the CLI run them. Prints
total and per-student seconds; the target is 60 s for 300 students.
"""

import argparse
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from blueprints.reports.pdf import report_cards_pdf  # noqa: E402
from models import (  # noqa: E402
    CommentCode,
    Course,
    Enrollment,
    FinalGrade,
    MarkingPeriod,
    School,
    Section,
    Staff,
    Student,
    db,
)
from models.reports import report_cards  # noqa: E402

LETTERS = [("A", 93, 4), ("B", 85, 3), ("C", 75, 2), ("D", 65, 1), ("F", 50, 0)]
NAMES = ["Alvarez", "Brook", "Chen", "Dubois", "Éva Núñez", "Okafor", "Patel"]


def seed(students, sections):
    """A school year, its first quarter, teachers, sections and graded students."""
    school = School(name="Bench Academy", address="1 Test Road", phone="555-0100")
    db.session.add(school)
    db.session.flush()
    year = MarkingPeriod(school_id=school.id, kind="year", title="2026-2027",
                         short_name="Y", start_date=date(2026, 8, 20),
                         end_date=date(2027, 6, 10))  # fmt: skip
    db.session.add(year)
    db.session.flush()
    quarter = MarkingPeriod(school_id=school.id, kind="quarter", parent_id=year.id,
                            title="Quarter 1", short_name="Q1",
                            start_date=date(2026, 8, 20),
                            end_date=date(2026, 10, 30))  # fmt: skip
    db.session.add(quarter)
    db.session.add(CommentCode(school_id=school.id, code="E1", text="Excellent effort"))

    built = []
    for n in range(sections):
        teacher = Staff(school_id=school.id, local_id=f"T{n}", first_name="Tea",
                        last_name=f"Cher {n}")  # fmt: skip
        course = Course(school_id=school.id, code=f"C{n:02d}", title=f"Course {n}",
                        credits=Decimal("1"), gpa_bonus=Decimal(n % 2))  # fmt: skip
        section = Section(school_id=school.id, course=course, marking_period=year,
                          teacher=teacher, period=str(n + 1))  # fmt: skip
        db.session.add(section)
        built.append(section)
    db.session.flush()

    for i in range(students):
        student = Student(school_id=school.id, local_id=f"S{i:05d}",
                          first_name=f"Student {i}",
                          last_name=NAMES[i % len(NAMES)],
                          grade_level="09")  # fmt: skip
        db.session.add(student)
        db.session.flush()
        for n, section in enumerate(built):
            letter, pct, points = LETTERS[(i + n) % len(LETTERS)]
            db.session.add(Enrollment(school_id=school.id, student_id=student.id,
                                      section_id=section.id,
                                      start_date=date(2026, 8, 20)))  # fmt: skip
            db.session.add(
                FinalGrade(
                    school_id=school.id, student_id=student.id,
                    section_id=section.id, marking_period_id=quarter.id,
                    percentage=Decimal(pct) + Decimal("0.25"), letter=letter,
                    gpa_points=Decimal(points), gpa_bonus=section.course.gpa_bonus,
                    passing=letter != "F", credits_attempted=Decimal(1),
                    credits_earned=Decimal(0 if letter == "F" else 1),
                    comment_codes="E1" if n == 0 else "",
                    comment="Works well with others." if n == 1 else "",
                )
            )  # fmt: skip
    db.session.commit()
    return quarter


def main():
    """Seed, time, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--sections", type=int, default=7)
    parser.add_argument("--out", help="Also write the PDF here.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "REDIS_URL": "redis://unused",
                "SECRET_KEY": "bench",
                "LOG_LEVEL": "WARNING",
            }
        )
        with app.app_context():
            upgrade(revision="heads")
            quarter_id = seed(args.students, args.sections).id
            db.session.expunge_all()

            started = time.perf_counter()
            period = db.session.get(MarkingPeriod, quarter_id)
            students = db.session.scalars(
                db.select(Student).order_by(Student.last_name, Student.first_name)
            ).all()
            cards = report_cards(period, students)
            gathered = time.perf_counter()
            data = report_cards_pdf(cards, School.current())
            finished = time.perf_counter()

    if args.out:
        Path(args.out).write_bytes(data)
    total = finished - started
    print(f"report cards: {len(cards)} students x {args.sections} sections")
    print(f"gather {gathered - started:.2f} s, draw {finished - gathered:.2f} s")
    print(f"total {total:.2f} s, per student {total / len(cards):.4f} s")
    print(f"pdf {len(data):,} bytes; target 60 s: {'met' if total <= 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
