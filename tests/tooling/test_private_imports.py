"""scripts/check_private_imports.py: no module uses another module's `_private` names."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_private_imports", ROOT / "scripts" / "check_private_imports.py")
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)


def problems(text, current="sharing.services.example", package=False):
    return checker.check_source(text, current=current, package=package)


def test_a_private_name_imported_from_another_module_is_refused():
    assert problems("from catalog.services.loads import _limits\n")
    assert problems("from .loads import _limits\n", current="catalog.services.imports")
    assert problems("from catalog.services import loads\nloads._limits()\n")
    assert problems("import catalog.services.loads as loads\nx = loads._limits\n")
    assert problems("import catalog.services.loads\ncatalog.services.loads._limits()\n")


def test_public_names_dunders_and_other_libraries_pass():
    assert not problems("from catalog.services.loads import upload_max_bytes\n")
    assert not problems("from django.utils.translation import gettext as _\n")
    assert not problems("from catalog import __name__ as name\n")
    assert not problems("from os import _exit\nimport os\nos._exit\n")  # not the portal's modules
    assert not problems("from catalog.models import ResourceEntry\nResourceEntry._meta\n")  # a class, not a module


def test_a_private_module_is_its_own_package_s_only():
    assert problems("import catalog._impl\n", current="sharing.x")
    assert not problems("import catalog._impl\n", current="catalog.services.loads")


def test_the_portal_s_packages_use_no_private_name_of_another_module():
    found = [p for path in checker.files([]) for p in checker.check_file(path)]
    assert found == []
