import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE_PLUGIN = Path(__file__).resolve().parent.parent / "fixtures" / "hello_plugin"


@pytest.fixture(scope="session")
def hello_plugin_path(tmp_path_factory):
    """The third-party fixture plugin, installed with pip into a folder of its own and put on sys.path."""
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(FIXTURE_PLUGIN)],
        check=True,
    )
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))
