"""Settings read from the environment, with defaults that need no setup."""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path):
    """Return SECRET_KEY from the environment, or one kept in the instance folder.

    Generated once so that sessions and encrypted settings survive a restart.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Production-leaning defaults; every value may come from the environment."""

    HOMEROOM_ENV = os.environ.get("HOMEROOM_ENV", "development")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    SECRET_KEY = None
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 50
    RQ_QUEUE = "homeroom"
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    @classmethod
    def finish(cls, app):
        """Fill the values that depend on the instance folder."""
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _secret_key(app.instance_path)
        if not app.config.get("SQLALCHEMY_DATABASE_URI"):
            db_path = Path(app.instance_path) / "homeroom.db"
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        if uri.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; plain URLs name psycopg2.
            uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
            app.config["SQLALCHEMY_DATABASE_URI"] = uri


class TestConfig(Config):
    """Settings for the test suite: fixed secret, CSRF on, quiet logs."""

    HOMEROOM_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    LOG_LEVEL = "WARNING"
