"""The guide's example plugin (tests/fixtures/example_payment_plugin), installed with pip like any
third-party package: it passes the conformance kit and plugs into a site."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.context import commerce
from kernel.site import SiteError

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example_payment_plugin"
SHOP = ["catalog", "orders"]


@pytest.fixture(scope="module")
def acmepay_path(tmp_path_factory):
    target = tmp_path_factory.mktemp("acmepay-site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(EXAMPLE)], check=True)
    sys.path.insert(0, str(target))
    yield target
    sys.path.remove(str(target))


def test_the_installed_example_passes_the_payment_kit(acmepay_path, tmp_path):
    tests = shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")  # away from the source, next to nothing else
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(acmepay_path), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                             str(tests)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary


def test_a_site_offers_the_example_provider_under_the_method_it_maps(acmepay_path, make_app):
    import commerce_acmepay

    assert Path(commerce_acmepay.__file__).is_relative_to(acmepay_path)
    app = make_app(SHOP + ["acmepay"], backend="sqlite", payments={"methods": {"acme": "acmepay"}},
                   settings={"acmepay": {"api_key": "acme-key-1234", "webhook_secret": "acme-whsec-1234"}})
    with app.app_context():
        assert commerce().payments.provider_for_method("acme").name == "acmepay"


def test_a_site_enabling_the_example_without_its_secrets_does_not_start(acmepay_path, make_app):
    with pytest.raises(SiteError, match=r"\[plugins.acmepay\] api_key: Missing data for required field."):
        make_app(SHOP + ["acmepay"], backend="sqlite", settings={"acmepay": {"webhook_secret": "w" * 12}})
