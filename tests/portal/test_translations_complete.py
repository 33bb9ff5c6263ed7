"""P4: English works everywhere: every Chinese msgid in the code and the templates has an English
translation in the compiled catalogs (a string added without one shows Chinese to English users)."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

APPS = (
    "portal",
    "accounts",
    "catalog",
    "sharing",
    "openness",
    "audit",
    "protection",
    "secops",
    "interop",
    "backoffice",
)
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "_lazy"}
CJK = re.compile(r"[\u4e00-\u9fff]")
TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.+?)(?P=q)""")
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _python_msgids():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name in GETTEXT:
                        yield f"{path.relative_to(root)}:{node.lineno}", node.args[0].value


def _template_msgids():
    root = Path(settings.BASE_DIR)
    # apps one folder down (protection.*, secops.*) keep their templates in <package>/<app>/templates
    folders = (
        [root / "templates"]
        + [root / app / "templates" for app in APPS]
        + [folder for app in APPS for folder in sorted((root / app).glob("*/templates"))]
    )
    for folder in folders:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            for match in TAG.finditer(text):
                yield str(path.relative_to(root)), match["msgid"]
            for match in BLOCK.finditer(text):
                args, body = match["args"], match["body"]
                if "count" in args.split() or "{%" in body:
                    continue  # plural forms and nested tags: not checked here
                body = VAR.sub(r"%(\1)s", body)
                if "trimmed" in args.split():
                    body = " ".join(line.strip() for line in body.strip().splitlines())
                yield str(path.relative_to(root)), body


def test_every_chinese_msgid_has_an_english_translation():
    missing = []
    with translation.override("en"):
        for where, msgid in list(_python_msgids()) + list(_template_msgids()):
            if CJK.search(msgid) and translation.gettext(msgid) == msgid:
                missing.append(f"{where}: {msgid[:80]!r}")
    assert not missing, (
        f"{len(missing)} strings without an English translation (add them to the app's "
        "locale/en/LC_MESSAGES/django.po):\n  " + "\n  ".join(sorted(set(missing))[:60])
    )


def test_the_check_finds_python_and_template_strings():
    assert len(list(_python_msgids())) > 500
    assert len(list(_template_msgids())) > 300
