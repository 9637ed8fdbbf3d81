"""Every area's blueprint and command group, in the order the app registers them."""

from blueprints.auth import bp as auth_bp
from blueprints.auth.cli import users_cli
from blueprints.courses import bp as courses_bp
from blueprints.gradebook import bp as gradebook_bp
from blueprints.gradebook.cli import canvas_pull_command, gradebook_cli, grades_cli
from blueprints.grades import bp as grades_bp
from blueprints.grades.cli import finalize_command
from blueprints.home import bp as home_bp
from blueprints.lms import bp as lms_bp
from blueprints.lms.cli import canvas_cli
from blueprints.reports import bp as reports_bp
from blueprints.reports.cli import reports_cli
from blueprints.roster import bp as roster_bp
from blueprints.roster.cli import roster_cli, seed_demo_command
from blueprints.scales import bp as scales_bp
from blueprints.scheduling import bp as scheduling_bp
from blueprints.school import bp as school_bp
from blueprints.staff import bp as staff_bp
from blueprints.students import bp as students_bp
from blueprints.users import bp as users_bp

BLUEPRINTS = [auth_bp, home_bp]
BLUEPRINTS += [school_bp, scales_bp, courses_bp, scheduling_bp]
BLUEPRINTS += [students_bp, staff_bp, users_bp]

CLI_COMMANDS = [users_cli]

BLUEPRINTS += [grades_bp, reports_bp]
CLI_COMMANDS += [reports_cli]

BLUEPRINTS += [gradebook_bp]
CLI_COMMANDS += [grades_cli, gradebook_cli]
grades_cli.add_command(finalize_command)

BLUEPRINTS += [roster_bp]
CLI_COMMANDS += [roster_cli, seed_demo_command]

BLUEPRINTS += [lms_bp]
CLI_COMMANDS += [canvas_cli]
canvas_cli.add_command(canvas_pull_command)
