"""The Homeroom application factory: extensions, blueprints, errors, CLI."""

import logging
import os
import sys

import click
from flask import Flask, render_template, request
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFError, CSRFProtect
from htmx_flask import Htmx

from config import Config
from models import User, db

login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
htmx = Htmx()

logger = logging.getLogger(__name__)


def create_app(config=None):
    """Build the Flask application; config is a class or a mapping of overrides."""
    app = Flask(__name__, instance_path=os.environ.get("HOMEROOM_INSTANCE_PATH"))
    app.config.from_object(Config)
    if isinstance(config, type):
        app.config.from_object(config)
    elif config:
        app.config.update(config)
    Config.finish(app)

    _configure_logging(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_error_pages(app)
    _register_cli(app)
    return app


def _configure_logging(app):
    """Send our loggers to stderr in one format; only the factory sets handlers."""
    root = logging.getLogger()
    if not any(getattr(h, "_homeroom", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler._homeroom = True
        root.addHandler(handler)
    level = app.config["LOG_LEVEL"]
    for name in ("app", "models", "blueprints", "jobs", "rq.worker"):
        logging.getLogger(name).setLevel(level)
    root.setLevel(logging.WARNING)


def _init_extensions(app):
    """Bind the database, migrations, sessions, CSRF and htmx to the app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    csrf.init_app(app)
    htmx.init_app(app)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _migrations_dir():
    """Migrations live beside this file, wherever the app is started from."""
    from pathlib import Path

    return str(Path(__file__).resolve().parent / "migrations")


@login_manager.user_loader
def _load_user(user_id):
    """Reload the signed-in user for each request."""
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def _unauthorized():
    """Send anonymous visitors to sign in; tell htmx to do a full redirect."""
    from flask import redirect, url_for

    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _register_blueprints(app):
    """Attach every area's blueprint."""
    from blueprints import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def _register_error_pages(app):
    """Render 403, 404 and 500 inside the base layout."""

    def render_error(status, title, message):
        template = (
            "errors/_error.html"
            if request.headers.get("HX-Request")
            else ("errors/error.html")
        )
        body = render_template(template, status=status, title=title, message=message)
        return body, status

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, "Not allowed", "Your account cannot open this page.")

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(
            400,
            "Form expired",
            "This form was open too long or came from elsewhere. "
            "Reload the page and try again.",
        )

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, "Not found", "There is nothing at this address.")

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        logger.error("request %s %s failed", request.method, request.path)
        return render_error(
            500,
            "Something went wrong",
            "Nothing was saved. The error has been logged; please try again.",
        )


def _register_cli(app):
    """Add the command groups each area provides."""
    from blueprints import CLI_COMMANDS

    app.cli.add_command(worker_command)
    for command in CLI_COMMANDS:
        app.cli.add_command(command)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then exit.")
def worker_command(burst):
    """Run an RQ worker on the app's Redis."""
    from flask import current_app

    from jobs.worker import make_worker

    worker = make_worker(current_app._get_current_object())
    # Homeroom schedules no jobs for later, so no scheduler process is needed.
    worker.work(burst=burst, with_scheduler=False)
