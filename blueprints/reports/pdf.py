"""PDF versions of the documents, drawn with fpdf2 from the same data as the pages.

fpdf2 is pure Python and needs no system packages; it draws a 300-student
run in a few seconds. Text is set in DejaVu Sans where Debian's
fonts-dejavu-core is installed (any name prints), else in the PDF's built-in
Helvetica, which only holds Latin-1, so other letters become "?".
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from blueprints.reports.formatting import credits, gpa, longdate, pct, text

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/local/share/fonts/truetype/dejavu"),
)
LINE = 5.2
HEAD_FILL = (234, 238, 244)


def _dejavu():
    """Paths of DejaVu Sans regular and bold, or None when not installed."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class Document(FPDF):
    """A letter-size page with the school's name in the footer."""

    def __init__(self, title, school):
        super().__init__(format="Letter", unit="mm")
        self.school = school
        self.set_title(title)
        self.set_author(school.name)
        self.set_creator("Homeroom")
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=16)
        fonts = _dejavu()
        if fonts:
            self.add_font("body", "", str(fonts[0]))
            self.add_font("body", "B", str(fonts[1]))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.set_font(self.family, size=10)

    def normalize_text(self, value):
        """Keep to the built-in font's Latin-1 when DejaVu is not installed."""
        if self.family == "helvetica":
            value = value.encode("latin-1", "replace").decode("latin-1")
        return super().normalize_text(value)

    def footer(self):
        """School name and page number on every page."""
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(110)
        self.cell(0, 4, f"{self.school.name} \u00b7 page {self.page_no()}")
        self.set_text_color(0)

    def write_line(self, value, size=10, bold=False, height=LINE):
        """One line of text across the page."""
        self.set_font(self.family, "B" if bold else "", size)
        self.cell(0, height, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def school_header(self, title):
        """School name and contact details, then the document's title."""
        school = self.school
        self.write_line(school.name, size=15, bold=True, height=7)
        contact = " \u00b7 ".join(
            part for part in (school.address, school.phone) if part
        )
        if contact:
            self.write_line(contact, size=9)
        self.ln(2)
        self.write_line(title, size=13, bold=True, height=7)
        self.ln(1)

    def facts(self, pairs):
        """Label and value pairs, two to a line."""
        self.set_font(self.family, size=9.5)
        for start in range(0, len(pairs), 2):
            for label, value in pairs[start : start + 2]:
                self.set_font(self.family, "B", 9.5)
                self.cell(30, LINE, label)
                self.set_font(self.family, "", 9.5)
                self.cell(58, LINE, value)
            self.ln(LINE)
        self.ln(2)

    def grid(self, headings, rows, widths, align):
        """A table with a shaded heading row."""
        self.set_font(self.family, size=9)
        with self.table(
            col_widths=widths,
            text_align=align,
            line_height=4.6,
            padding=(1.2, 1.5),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            borders_layout="HORIZONTAL_LINES",
            width=self.epw,
        ) as table:
            table.row(headings)
            for row in rows:
                table.row(row)
        self.ln(2)


GRADE_HEADINGS = ("Course", "Teacher", "%", "Grade", "Credits", "Comments")
GRADE_WIDTHS = (46, 30, 15, 15, 18, 60)
GRADE_ALIGN = ("LEFT", "LEFT", "RIGHT", "CENTER", "RIGHT", "LEFT")


def _grade_rows(rows):
    """Table rows for a report card's or transcript's grades."""
    return [
        (
            f"{row.course_code} {row.course_title}",
            text(row.teacher),
            pct(row.percentage),
            text(row.letter),
            credits(row.credits_attempted),
            "\n".join(row.comments),
        )
        for row in rows
    ]


def _totals_line(totals, label):
    """The GPA and credits sentence under a table."""
    return (
        f"{label} GPA {gpa(totals.gpa)} unweighted, {gpa(totals.weighted_gpa)} "
        f"weighted \u00b7 credits attempted {credits(totals.credits_attempted)}, "
        f"earned {credits(totals.credits_earned)}"
    )


def _student_facts(student):
    """The student details every document prints."""
    return [
        ("Student", student.full_name),
        ("Student ID", student.local_id),
        ("Grade level", student.grade_level),
        ("Birthdate", longdate(student.birthdate)),
    ]


def report_cards_pdf(cards, school):
    """Report cards, one student to a page, as PDF bytes."""
    title = f"Report cards \u00b7 {cards[0].period.title}" if cards else "Report cards"
    pdf = Document(title, school)
    for card in cards:
        pdf.add_page()
        pdf.school_header(f"Report card \u00b7 {card.period.title}")
        pdf.facts(
            _student_facts(card.student)
            + [
                ("Period", card.period.title),
                (
                    "Dates",
                    f"{longdate(card.period.start_date)} to "
                    f"{longdate(card.period.end_date)}",
                ),
            ]
        )
        if card.rows:
            pdf.grid(GRADE_HEADINGS, _grade_rows(card.rows), GRADE_WIDTHS, GRADE_ALIGN)
        else:
            pdf.write_line("No grades have been submitted for this period.")
        pdf.write_line(_totals_line(card.totals, "Period"), size=10, bold=True)
    if not cards:
        pdf.add_page()
        pdf.write_line("No students match.")
    return bytes(pdf.output())


def transcript_pdf(record):
    """A transcript as PDF bytes."""
    pdf = Document(f"Transcript \u00b7 {record.student.full_name}", record.school)
    pdf.add_page()
    pdf.school_header("Transcript")
    pdf.facts(_student_facts(record.student))
    for year in record.years:
        pdf.write_line(year.year.title, size=11.5, bold=True, height=6.5)
        pdf.grid(GRADE_HEADINGS, _grade_rows(year.rows), GRADE_WIDTHS, GRADE_ALIGN)
        pdf.write_line(_totals_line(year.totals, "Year"), size=9.5)
        pdf.ln(3)
    if not record.years:
        pdf.write_line("No final grades are on record yet.")
    pdf.ln(2)
    pdf.write_line(_totals_line(record.totals, "Cumulative"), size=10.5, bold=True)
    return bytes(pdf.output())


TYPE_HEADINGS = ("Assignment type", "Weight", "Earned", "Possible", "%")
TYPE_WIDTHS = (74, 26, 26, 26, 32)
TYPE_ALIGN = ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")


def _work_lines(label, items):
    """'Missing: Essay (due 3 December 2026), ...' or nothing."""
    if not items:
        return []
    listed = ", ".join(
        f"{item.title} (due {longdate(item.due_date)})" if item.due_date else item.title
        for item in items
    )
    return [f"{label}: {listed}"]


def _type_table(pdf, kinds, weighted):
    """Each assignment type's points; its weight only where the gradebook weighs."""
    if not kinds:
        return
    columns = range(len(TYPE_HEADINGS)) if weighted else (0, 2, 3, 4)
    rows = [
        (
            kind.name,
            credits(kind.weight),
            credits(kind.earned),
            credits(kind.possible),
            pct(kind.percentage),
        )
        for kind in kinds
    ]
    pdf.grid(
        [TYPE_HEADINGS[n] for n in columns],
        [[row[n] for n in columns] for row in rows],
        [TYPE_WIDTHS[n] for n in columns],
        [TYPE_ALIGN[n] for n in columns],
    )


def _section_progress(pdf, line):
    """One section's grade, its assignment types, and missing and late work."""
    section, summary = line.section, line.summary
    teacher = section.teacher.full_name if section.teacher else ""
    pdf.write_line(
        f"{section.course.code} {section.name} \u00b7 {text(teacher)}",
        size=10.5,
        bold=True,
        height=6,
    )
    if summary.percentage is None:
        pdf.write_line("Grade to date: No graded work yet", size=9.5)
    else:
        grade = " ".join(filter(None, (pct(summary.percentage), summary.letter)))
        pdf.write_line(f"Grade to date: {grade}", size=9.5)
        _type_table(pdf, summary.by_type, line.weighted)
    notes = _work_lines("Missing", summary.missing) + _work_lines("Late", summary.late)
    pdf.set_font(pdf.family, size=9)
    for note in notes or ["No missing or late work."]:
        pdf.multi_cell(0, 4.6, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def progress_pdf(reports, school, on):
    """Progress reports, one student to a page, as PDF bytes."""
    pdf = Document(f"Progress reports \u00b7 {longdate(on)}", school)
    for report in reports:
        pdf.add_page()
        pdf.school_header(f"Progress report \u00b7 {longdate(report.on)}")
        pdf.facts(_student_facts(report.student))
        for line in report.sections:
            _section_progress(pdf, line)
        if not report.sections:
            pdf.write_line("Not in any section on this date.")
    if not reports:
        pdf.add_page()
        pdf.write_line("No students are in this section on this date.")
    return bytes(pdf.output())
