"""The error-code registry (app/errors.py) is complete, documented, and what the README and
the schema show.

Completeness is checked on the source: every code literal the application raises or stores
(error classes, `code=` / `error_code=` arguments, `extensions` codes, stored `error_code`
values) must be a registered `ErrorCode`. Adding a code means adding it to the registry.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from app.ai.errors import ErrorCode as ProviderErrorCode
from app.documents.errors import ErrorCode as DocumentErrorCode
from app.error_docs import README, with_table
from app.errors import AppError, ErrorCode
from app.exports.errors import ExportErrorCode

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app", "graphql_schema", "workers")
CODE_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$")
ERROR_CLASSES: list[type[AppError]] = [AppError, *AppError.__subclasses__()]
ERROR_CLASS_NAMES = {cls.__name__ for cls in ERROR_CLASSES}


def _is_error_call(call: ast.Call) -> bool:
    name = _callee(call)
    return name in ERROR_CLASS_NAMES or name.endswith(("Error", "Exception"))


def _code(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if CODE_SHAPE.match(node.value) else None
    return None


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _dict_code(node: ast.AST) -> ast.AST | None:
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "code":
                return value
    return None


def _call_codes(call: ast.Call) -> Iterator[ast.AST | None]:
    for kw in call.keywords:
        if kw.arg == "error_code" or (kw.arg == "code" and _is_error_call(call)):
            yield kw.value
        elif kw.arg == "extensions":
            yield _dict_code(kw.value)
    if _is_error_call(call) and call.args:
        yield call.args[0]
    if "fail" in _callee(call).lower():  # fail(runtime, id, "CODE", message)
        yield from call.args


def _assigned_codes(node: ast.Assign, module_level: bool) -> Iterator[ast.AST | None]:
    for target in node.targets:
        name = target.attr if isinstance(target, ast.Attribute) else None
        name = target.id if isinstance(target, ast.Name) else name
        if name in {"code", "error_code"}:
            yield node.value
        elif module_level and name is not None and name.isupper():
            yield node.value  # BAD_REQUEST = "BAD_REQUEST" (graphql_schema constants)
        elif (
            isinstance(target, ast.Subscript)
            and isinstance(target.slice, ast.Constant)
            and target.slice.value == "code"  # extensions["code"] = "..."
        ):
            yield node.value


def _codes_in(tree: ast.Module, constants: bool) -> Iterator[tuple[int, str | None]]:
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            candidates = list(_call_codes(node))
        elif isinstance(node, ast.Assign):
            candidates = list(_assigned_codes(node, constants and id(node) in top))
        else:
            continue
        for candidate in candidates:
            yield node.lineno, _code(candidate)


def _used_codes() -> dict[str, str]:
    """Code literal -> first place it is used."""
    found: dict[str, str] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, code in _codes_in(tree, constants=folder == "graphql_schema"):
                if code is not None:
                    found.setdefault(code, f"{path.relative_to(ROOT)}:{line}")
    return found


def test_every_code_used_in_the_code_base_is_registered() -> None:
    used = _used_codes()
    assert len(used) >= 20, "the scan found too little to be trusted"
    unregistered = {code: where for code, where in used.items() if ErrorCode.lookup(code) is None}
    assert unregistered == {}, "add these to app.errors.ErrorCode (with a description)"


def _referenced_members() -> set[str]:
    """Codes used as `ErrorCode.NAME` anywhere in the application."""
    names: set[str] = set()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "ErrorCode":
                    names.add(node.attr)
    return names


def test_no_registered_code_is_dead() -> None:
    used = set(_used_codes()) | _referenced_members()
    used |= {str(cls.code) for cls in ERROR_CLASSES}
    used |= {code.value for code in ProviderErrorCode}
    assert [code.value for code in ErrorCode if code.value not in used] == []


def test_error_code_sets_of_the_libraries_are_registered() -> None:
    library_codes = {
        *get_args(DocumentErrorCode),
        *get_args(ExportErrorCode),
        *(code.value for code in ProviderErrorCode),
    }
    assert {c for c in library_codes if ErrorCode.lookup(c) is None} == set()


def test_every_code_is_documented() -> None:
    for code in ErrorCode:
        assert code.value == code.name
        assert code.area and len(code.description) > 20, code
        assert code.description.rstrip().endswith((".", ")")), code


def test_app_errors_carry_registered_codes() -> None:
    for cls in ERROR_CLASSES:
        assert ErrorCode.lookup(cls.code) is not None, cls
    assert AppError("x", code="NOT_FOUND").code is ErrorCode.NOT_FOUND


def test_readme_error_list_is_generated_from_the_registry() -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme == with_table(readme), "README is stale: run `python -m app.error_docs`"
    for code in ErrorCode:
        assert f"| `{code.value}` |" in readme


def test_schema_documents_every_code() -> None:
    from app.config import Settings
    from graphql_schema.schema import build_schema

    enum = build_schema(Settings())._schema.type_map["ErrorCode"]
    values = getattr(enum, "values", {})
    assert set(values) == {code.name for code in ErrorCode}
    assert all(values[code.name].description == code.description for code in ErrorCode)
