"""The kernel is imported downward only: nothing in portal/ imports an app."""

import ast
from pathlib import Path

import portal

APPS = ("registry", "roadmaps", "segmentation")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_the_kernel_imports_no_app():
    root = Path(portal.__file__).parent
    upward = [
        f"{path.relative_to(root.parent)}: {module}"
        for path in sorted(root.rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in APPS
    ]
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from registry.models import Process\n", encoding="utf-8")
    assert list(imported_modules(module)) == ["registry.models"]
