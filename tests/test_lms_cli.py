"""`canvas use-simulator`: make run's switch between a real Canvas and the demo."""

from models import CanvasSettings

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
