#!/usr/bin/env python3
"""No module uses another module's `_private` names (import-linter has no contract for it).

A leading underscore says "this module's own": its name may change or go without notice. So, in
the portal's packages (tests excluded: they may look at internals on purpose),
- `from x import _y` and `from . import _y` fail when `_y` is a name defined in module x (a
  function, class or constant), whatever package x is in;
- `x._y` fails when x is a project module bound by an import (`import a.b as x`, `from a import x`);
- a private module (`a/_impl.py`) may be imported by the modules of its own package only.
Dunder names (`__version__`) and `_` itself are not private names. Exit status 1 lists each use as
path:line: text; run it from anywhere: `python3 scripts/check_private_imports.py [paths...]`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "portal",
    "audit",
    "accounts",
    "protection",
    "catalog",
    "sharing",
    "openness",
    "backoffice",
    "bench",
)
SKIP_PARTS = {".venv", "__pycache__", "node_modules"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name != "_"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def module_path(name: str) -> Path | None:
    """The file of a project module, or None (a name inside a module, or not the project's)."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_project(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def absolute(node: ast.ImportFrom, current: str, package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = current.split(".")
    base = parts if package else parts[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def private_module_outside(target: str, current: str) -> bool:
    """A module path with a private part, imported from outside that part's package."""
    parts = target.split(".")
    for index, part in enumerate(parts):
        if is_private(part):
            owner = ".".join(parts[:index])
            return not (current == owner or current.startswith(owner + "."))
    return False


def check_file(path: Path) -> list[str]:
    return check_source(
        path.read_text(encoding="utf-8"),
        current=module_name(path),
        package=is_package(path),
        label=str(path.relative_to(ROOT)),
    )


def check_source(text: str, *, current: str, package: bool = False, label: str = "<source>") -> list[str]:
    """The uses of other modules' private names in the source of module `current`."""
    tree = ast.parse(text, filename=label)
    problems: list[str] = []
    modules: dict[str, str] = {}  # local name -> project module it is bound to

    def report(node: ast.AST, what: str) -> None:
        problems.append(f"{label}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not is_project(alias.name):
                    continue
                if private_module_outside(alias.name, current):
                    report(node, f"import {alias.name} (a private module of another package)")
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    modules.setdefault(alias.name.split(".")[0], alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node, current, package)
            if not is_project(source):
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                submodule = module_path(full) is not None
                if submodule:
                    modules[alias.asname or alias.name] = full
                    if private_module_outside(full, current):
                        report(node, f"from {source} import {alias.name} (a private module of another package)")
                elif is_private(alias.name) and source != current:
                    report(node, f"from {source} import {alias.name} (a private name of {source})")
                elif private_module_outside(source, current):
                    report(node, f"from {source} import ... (a private module of another package)")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            chain, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if not isinstance(value, ast.Name) or value.id not in modules:
                continue
            dotted = [modules[value.id], *reversed(chain[1:])]
            owner = ".".join(dotted)
            if module_path(owner) is not None and owner != current:
                report(node, f"{value.id}.{'.'.join(reversed(chain))} (a private name of {owner})")
    return problems


def files(arguments: list[str]) -> list[Path]:
    roots = [Path(a).resolve() for a in arguments] or [ROOT / name for name in PACKAGES]
    found = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*.py"))
        found += [p for p in candidates if not SKIP_PARTS.intersection(p.parts)]
    return found


def main(arguments: list[str]) -> int:
    problems = [problem for path in files(arguments) for problem in check_file(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} use(s) of another module's private names", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
