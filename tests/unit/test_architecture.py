"""The layer rules of docs/architecture.md, checked on the import graph of the source.

Every `import` and `from ... import` in app/, graphql_schema/ and workers/ counts, including
imports inside functions; imports under `if TYPE_CHECKING:` count only where a rule says so.
The entry points (app/main.py, app/cli.py) are the places allowed to wire everything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "graphql_schema", "workers")
ENTRY_POINTS = {"app.main", "app.cli"}
NETWORK_AND_STORAGE_LIBRARIES = {
    "aioboto3",
    "aiosmtplib",
    "anthropic",
    "arq",
    "asyncpg",
    "boto3",
    "botocore",
    "httpx",
    "httpx2",
    "openai",
    "redis",
    "requests",
    "socket",
    "sqlalchemy",
    "starlette",
    "strawberry",
    "urllib.request",
}
# Modules the pure libraries (app.tailoring, app.documents) must not reach.
STATEFUL_APP_MODULES = {
    "app.ai",
    "app.auth",
    "app.db",
    "app.events",
    "app.queue",
    "app.runtime",
    "app.services",
    "app.storage",
}
# Known exceptions to a rule, each with why; the test fails when one is no longer needed,
# so the list only shrinks.
ALLOWED: dict[str, dict[tuple[str, str], str]] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "app.services.jobs"
    target: str  # what it imports, e.g. "app.db.models"
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports_of(path: Path) -> list[Import]:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = _type_checking_lines(tree)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path.name == "__init__.py", node)
            # `from app import queue` imports the module app.queue.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        found += [Import(module, t, node.lineno in guarded) for t in targets if t]
    return found


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    collected: list[Import] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            collected += _imports_of(path)
    assert len(collected) > 500, "the scan found too little to be trusted"
    return collected


def _within(name: str, prefixes: set[str] | tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(rule: str, broken: list[Import]) -> list[str]:
    allowed = ALLOWED.get(rule, {})
    found = {(i.module, i.target) for i in broken}
    stale = [pair for pair in allowed if pair not in found]
    assert not stale, f"no longer needed, remove from ALLOWED[{rule!r}]: {stale}"
    return sorted(f"{m} imports {t}" for m, t in found if (m, t) not in allowed)


def test_app_never_imports_the_transport_or_the_workers(imports: list[Import]) -> None:
    broken = [
        i
        for i in imports
        if _within(i.module, ("app",))
        and i.module not in ENTRY_POINTS
        and _within(i.target, ("graphql_schema", "workers"))
    ]
    assert _violations("app", broken) == []


def test_tailoring_and_documents_are_pure_libraries(imports: list[Import]) -> None:
    broken = [
        i
        for i in imports
        if _within(i.module, ("app.tailoring", "app.documents"))
        and (
            _within(i.target, STATEFUL_APP_MODULES)
            or _within(i.target, NETWORK_AND_STORAGE_LIBRARIES)
            or _within(i.target, ("graphql_schema", "workers"))
        )
    ]
    assert _violations("pure", broken) == []


def test_the_graphql_layer_opens_no_sessions_and_writes_no_sql(imports: list[Import]) -> None:
    broken = [
        i
        for i in imports
        if _within(i.module, ("graphql_schema",))
        and _within(i.target, ("sqlalchemy", "app.db.session", "app.db.base"))
    ]
    assert _violations("sessions", broken) == []


def test_resolvers_use_services_not_the_database(imports: list[Import]) -> None:
    # Enums are domain values; row classes only as annotations (TYPE_CHECKING). The unit
    # of work is how a resolver gives one use case its transaction (no SQL of its own).
    broken = [
        i
        for i in imports
        if _within(i.module, ("graphql_schema.resolvers",))
        and _within(i.target, ("app.db",))
        and not _within(i.target, ("app.db.models.enums", "app.db.unit_of_work"))
        and not i.type_checking
    ]
    assert _violations("resolvers", broken) == []


def test_only_the_queue_module_talks_to_arq(imports: list[Import]) -> None:
    # The worker process itself (workers/), the CLI that starts it and the Runtime that
    # opens the pool are the other places that may.
    allowed = {"app.queue", "app.runtime", *ENTRY_POINTS}
    broken = [
        i
        for i in imports
        if _within(i.target, ("arq",))
        and i.module not in allowed
        and not _within(i.module, ("workers",))
    ]
    assert _violations("arq", broken) == []


def test_nothing_imports_tests_or_benches(imports: list[Import]) -> None:
    broken = [i for i in imports if _within(i.target, ("tests", "bench"))]
    assert _violations("tests", broken) == []


ENV_READERS = {"os.environ.get", "os.getenv", "os.environ.pop"}


def _tailor_env_reads(path: Path) -> list[str]:
    """`os.environ[...]`, `os.environ.get(...)` or `os.getenv(...)` of a TAILOR_* name."""
    reads: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        key: ast.AST | None = None
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice if isinstance(node.ctx, ast.Load) else None
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ENV_READERS and node.args:
            key = node.args[0]
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value.startswith("TAILOR_")
        ):
            reads.append(f"{path.relative_to(ROOT)}:{key.lineno} {key.value}")
    return reads


# Reads still to move into Settings, with why they are not yet (the list only shrinks).
ENV_READS_ALLOWED: dict[str, str] = {}


def test_settings_are_read_only_through_the_settings_class() -> None:
    config = ROOT / "app" / "config.py"
    reads = {
        read.split(":")[0] + " " + read.split(" ")[1]
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != config
        for read in _tailor_env_reads(path)
    }
    assert sorted(set(ENV_READS_ALLOWED) - reads) == [], "no longer read: remove from the list"
    assert sorted(reads - set(ENV_READS_ALLOWED)) == [], "read these through Settings"
