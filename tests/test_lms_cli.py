"""The command line: `canvas use-simulator` and `canvas sync`, `roster import`."""

from jobs.enqueue import find_job
from jobs.sync_queue import ALL_JOB_ID
from models import CanvasSettings, SyncState, db
from models.oneroster.generate import RosterShape, generate_roster

SIM = ["canvas", "use-simulator", "--url", "http://127.0.0.1:8900/", "--token", "t"]


def test_use_simulator_configures_an_empty_install(runner):
    result = runner.invoke(args=SIM)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "simulator"
    settings = CanvasSettings.load()
    assert settings.url == "http://127.0.0.1:8900"
    assert settings.token == "t"
    assert settings.new_sections_sync and settings.new_sections_virtual


def test_use_simulator_again_keeps_the_simulator(runner):
    runner.invoke(args=SIM)
    result = runner.invoke(args=SIM)
    assert result.output.strip() == "simulator"


def test_use_simulator_leaves_a_real_canvas_alone(runner):
    configure = ["canvas", "configure", "--url", "https://school.instructure.com",
                 "--token", "real-token"]  # fmt: skip
    assert runner.invoke(args=configure).exit_code == 0
    result = runner.invoke(args=SIM)
    assert result.output.strip() == "canvas"
    settings = CanvasSettings.load()
    assert settings.url == "https://school.instructure.com"
    assert settings.token == "real-token"
    assert not settings.new_sections_sync


def test_roster_import_from_the_cli_queues_the_canvas_sync(
    app, runner, canvas, run_jobs, tmp_path
):
    shape = RosterShape(students=4, teachers=2, sections=2, classes_per_term=1)
    for name, text in generate_roster(shape).items():
        (tmp_path / name).write_text(text)
    settings = CanvasSettings.load()
    settings.new_sections_virtual = settings.new_sections_sync = True
    db.session.commit()

    result = runner.invoke(args=["roster", "import", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "Canvas sync queued as job" in result.output
    assert find_job(ALL_JOB_ID) is not None
    run_jobs()
    db.session.expire_all()
    states = db.session.scalars(db.select(SyncState)).all()
    assert states and {s.state for s in states} == {"synced"}


def test_roster_dry_run_from_the_cli_queues_nothing(app, runner, canvas, tmp_path):
    shape = RosterShape(students=2, teachers=1, sections=1, classes_per_term=1)
    for name, text in generate_roster(shape).items():
        (tmp_path / name).write_text(text)

    result = runner.invoke(args=["roster", "import", str(tmp_path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Canvas sync" not in result.output
    assert find_job(ALL_JOB_ID) is None


def test_sections_sync_includes_people_never_synced(
    app, runner, make, canvas, run_jobs
):
    section = make.section(virtual_class=True, canvas_sync=True)
    student = make.student()
    stint = make.enroll(student, section)

    result = runner.invoke(args=["canvas", "sync", "--sections"])
    assert result.exit_code == 0, result.output
    run_jobs()

    db.session.expire_all()
    for kind, record_id in (
        ("section", section.id),
        ("staff", section.teacher_id),
        ("student", student.id),
        ("enrollment", stint.id),
    ):
        state = SyncState.lookup(kind, record_id)
        assert state.state == "synced", (kind, state.last_error)
    [login] = canvas.users(sis_user_id=student.external_id)
    assert SyncState.lookup("student", student.id).canvas_id == login["user_id"]
    [course] = canvas.courses(sis_course_id=section.external_id)
    assert len(canvas.enrollments(course_id=course["id"])) == 2
