"""Report cards, transcripts and progress reports: a page to print and a PDF."""

import logging

from flask import abort, make_response, render_template, request
from flask_login import current_user

from blueprints.access import (
    get_section_or_404,
    require_student_access,
    role_required,
)
from blueprints.reports import bp
from blueprints.reports.forms import (
    ProgressQuery,
    ReportCardQuery,
    find_students,
    own_student,
    visible_sections,
)
from blueprints.reports.pdf import progress_pdf, report_cards_pdf, transcript_pdf
from models import School, Student, db
from models.progress import section_progress, student_progress
from models.reports import (
    graded_periods,
    report_card_students,
    report_cards,
    transcript,
)

logger = logging.getLogger(__name__)

any_user = role_required("admin", "teacher", "student")


def pdf_response(data, filename):
    """Send PDF bytes as a download."""
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _student_or_404(student_id):
    """Load a student the signed-in user may see."""
    student = db.session.get(Student, student_id) or abort(404)
    require_student_access(student.id)
    return student


def _report_card_request():
    """Read and check a report-card query; None with field errors if it is bad."""
    form = ReportCardQuery(request.args, **own_student(current_user))
    if not form.validate():
        return form, None, None
    if form.grade_level.data and current_user.role != "admin":
        # A whole grade level is an office job.
        abort(403)
    if form.student.data is None:
        students = report_card_students(grade_level=form.grade_level.data)
    else:
        students = [_student_or_404(form.student.data)]
    return form, form.period_record, students


def _offers(user):
    """What the reports page offers: a student her own documents, staff a finder."""
    if user.role == "student":
        periods = graded_periods([user.student_id])
        return {"own_periods": periods.get(user.student_id, [])}

    q = request.args.get("q", "").strip()[:100]
    found, total = find_students(user, q) if q else ([], 0)
    return {
        "q": q,
        "found": found,
        "total": total,
        "found_periods": graded_periods([student.id for student in found]),
        "sections": visible_sections(user),
    }


def _index_page(card_form, progress_form, status=200):
    """The reports page, showing why a document query was refused if it was."""
    page = render_template(
        "reports/index.html",
        card_form=card_form,
        progress_form=progress_form,
        **_offers(current_user),
    )
    return page, status


@bp.route("/reports")
@any_user
def index():
    """Choose a document: report cards, a transcript or a progress report."""
    return _index_page(ReportCardQuery(request.args), ProgressQuery(request.args))


@bp.route("/reports/report-cards")
@any_user
def report_card_page():
    """Report cards for a student or a grade level, ready to print."""
    form, period, students = _report_card_request()
    if students is None:
        return _index_page(form, ProgressQuery(), 422)
    cards = report_cards(period, students)
    return render_template(
        "reports/report_cards.html", cards=cards, period=period, args=request.args
    )


@bp.route("/reports/report-cards.pdf")
@any_user
def report_card_pdf():
    """Report cards for a student or a grade level, as a PDF."""
    form, period, students = _report_card_request()
    if students is None:
        abort(400)
    cards = report_cards(period, students)
    logger.info(
        "report cards for period %s (%d students) made by user %s",
        period.id,
        len(cards),
        current_user.id,
    )
    return pdf_response(
        report_cards_pdf(cards, School.current()),
        f"report-cards-{period.short_name}.pdf",
    )


@bp.route("/reports/transcripts/<int:student_id>")
@any_user
def transcript_page(student_id):
    """A student's transcript, ready to print."""
    record = transcript(_student_or_404(student_id))
    return render_template("reports/transcript.html", record=record)


@bp.route("/reports/transcripts/<int:student_id>.pdf")
@any_user
def transcript_download(student_id):
    """A student's transcript as a PDF."""
    student = _student_or_404(student_id)
    record = transcript(student)
    logger.info("transcript of student %s made by user %s", student.id, current_user.id)
    return pdf_response(transcript_pdf(record), f"transcript-{student.local_id}.pdf")


def _progress_request():
    """Read and check a progress-report query; reports is None when it is bad."""
    form = ProgressQuery(request.args, **own_student(current_user))
    if not form.validate():
        return form, None
    if form.section.data is not None:
        if current_user.role == "student":
            abort(403)
        section = get_section_or_404(form.section.data, current_user)
        return form, section_progress(section, form.on.data)
    student = _student_or_404(form.student.data)
    return form, [student_progress(student, form.on.data)]


@bp.route("/reports/progress")
@any_user
def progress_page():
    """Progress reports for a student or a section on a date, ready to print."""
    form, reports = _progress_request()
    if reports is None:
        return _index_page(ReportCardQuery(), form, 422)
    return render_template(
        "reports/progress.html", reports=reports, on=form.on.data, args=request.args
    )


@bp.route("/reports/progress.pdf")
@any_user
def progress_download():
    """Progress reports for a student or a section on a date, as a PDF."""
    form, reports = _progress_request()
    if reports is None:
        abort(400)
    return pdf_response(
        progress_pdf(reports, School.current(), form.on.data),
        f"progress-{form.on.data:%Y-%m-%d}.pdf",
    )
