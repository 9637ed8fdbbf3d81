"""Every migration runs from an empty database to head and back."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from models import db
from tests import services
from tests.conftest import BACKENDS, _config


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """A database with no tables at all, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    name, url = services.create_postgres_database()
    yield url
    services.drop_postgres_database(name)


def _tables(app):
    with app.app_context():
        names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    return names


def test_migrations_upgrade_to_head_and_back(empty_database):
    app = create_app(_config(empty_database, "redis://unused"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    created = _tables(app)
    model_tables = {table.name for table in db.metadata.sorted_tables}
    assert model_tables <= created, model_tables - created

    with app.app_context():
        downgrade(revision="base")
        db.engine.dispose()
    assert _tables(app) == set()


def test_migrations_match_the_models(empty_database):
    """Autogenerate finds nothing to add: the models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = create_app(_config(empty_database, "redis://unused"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []


def test_migration_history_has_one_head(app):
    """A single head, so `flask db upgrade` needs no branch names."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
