"""The size rule of issue 12: no class over 300 lines, no function over 80 (migrations and
tests aside), so a god piece cannot grow back unnoticed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "registry", "roadmaps", "segmentation", "config", "bench")
LIMITS = {ast.ClassDef: 300, ast.FunctionDef: 80, ast.AsyncFunctionDef: 80}


def sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def oversized(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        limit = LIMITS.get(type(node))
        if limit is not None:
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} > {limit}"


def test_the_rule_sees_the_code():
    assert len(list(sources())) > 100


@pytest.mark.parametrize("path", list(sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_class_over_300_lines_and_no_function_over_80(path):
    assert list(oversized(path)) == []
