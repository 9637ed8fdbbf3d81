"""The simulator stands alone: it imports nothing from Homeroom."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "canvas_sim"
# Third-party packages the simulator may use; everything else is stdlib.
ALLOWED_THIRD_PARTY = {"flask", "werkzeug", "markupsafe"}


def _homeroom_modules():
    """Top-level modules and packages of the repository other than the sim's."""
    names = {p.stem for p in ROOT.glob("*.py")}
    names |= {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py")}
    names |= {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    return names - {"canvas_sim"}


def _imported_tops(path):
    """The top-level module of every absolute import in a source file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_sim_sources_import_only_stdlib_and_flask():
    homeroom = _homeroom_modules()
    assert {"app", "models", "jobs", "blueprints", "config"} <= homeroom
    for path in sorted(SIM.glob("*.py")):
        for top in _imported_tops(path):
            assert top not in homeroom, f"{path.name} imports {top}"
            assert top in sys.stdlib_module_names | ALLOWED_THIRD_PARTY, (
                f"{path.name} imports {top}"
            )


def test_sim_loads_no_homeroom_module_at_run_time():
    # A fresh interpreter: build the app and serve one request in-process.
    script = (
        "import sys, canvas_sim\n"
        "app = canvas_sim.create_app(token='t')\n"
        "r = app.test_client().get('/api/v1/accounts/1',"
        " headers={'Authorization': 'Bearer t'})\n"
        "assert r.status_code == 200, r.status_code\n"
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "canvas_sim" in loaded
    assert not set(loaded) & _homeroom_modules()
