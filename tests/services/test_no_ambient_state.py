"""Nothing in invoicer/services reads ambient state (the OS user, the system clock, the
settings file, the keyring) except the local app's composition root: everything else gets
it from its ServiceContext (issue 18).

The check reads each module's syntax tree and resolves names through its imports, so
`import datetime as dt; dt.date.today`, `from datetime import datetime; datetime.now` and a
function passed around uncalled (`default=dt.date.today`) are all found; a grep would miss
the aliases or trip over comments.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SERVICES = REPO_ROOT / "invoicer" / "services"

# Names whose use reads ambient state.
FORBIDDEN_NAMES = {
    "getpass.getuser": "the OS user",
    "getpass.getpass": "the terminal",
    "datetime.date.today": "the system clock",
    "datetime.datetime.now": "the system clock",
    "datetime.datetime.utcnow": "the system clock",
    "datetime.datetime.today": "the system clock",
    "time.time": "the system clock",
    "invoicer.store.schema.utcnow": "the system clock",
    "invoicer.services.settings.SettingsService": "the settings file",
}
# Modules that may not even be imported (their every use is ambient state).
FORBIDDEN_MODULES = {
    "getpass": "the OS user",
    "keyring": "the OS keyring",
    "invoicer.integrations.secrets": "the OS keyring",
}
# The composition root of the local app, function by function: nothing else is exempt.
EXEMPT = {
    "invoicer.services.local": {
        "SystemClock.today",
        "SystemClock.now",
        "read_settings",
        "default_db_path",
        "local_context",
    },
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _forbidden_module(name: str) -> str | None:
    for module, what in FORBIDDEN_MODULES.items():
        if name == module or name.startswith(module + "."):
            return what
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Finder(ast.NodeVisitor):
    """Every forbidden import and use in one module, with the function it is in."""

    def __init__(self, module: str, tree: ast.Module, *, package: bool) -> None:
        self.module = module
        self.package = package  # an __init__: relative imports start from the module itself
        self.aliases: dict[str, str] = {}  # local name -> qualified name
        self.scope: list[str] = []
        self.found: list[tuple[str, int, str]] = []  # (function, line, what)
        for node in tree.body:  # the module's own top-level names
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.aliases[node.name] = f"{module}.{node.name}"
        # Imports anywhere (also the lazy ones inside functions) define names in the module.
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node)
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{base}.{alias.name}"

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.module.split(".")
        base = package[: len(package) - node.level + (1 if self.package else 0)]
        return ".".join([*base, *([node.module] if node.module else [])])

    def _note(self, node: ast.AST, what: str) -> None:
        self.found.append((".".join(self.scope), getattr(node, "lineno", 0), what))

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node):  # types only: never run
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    # Annotations name types; they read nothing (and are strings at run time here).
    def visit_arg(self, node: ast.arg) -> None:
        return

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for child in (*node.decorator_list, node.args, *node.body):
                self.visit(child)
            return
        super().generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if what := _forbidden_module(alias.name):
                self._note(node, f"imports {alias.name} ({what})")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node)
        for alias in node.names:
            name = f"{base}.{alias.name}"
            if what := _forbidden_module(name) or FORBIDDEN_NAMES.get(name):
                self._note(node, f"imports {name} ({what})")

    def _qualified(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._check(node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._check(node)

    def _check(self, node: ast.expr) -> None:
        name = self._qualified(node)
        if name and (what := FORBIDDEN_NAMES.get(name) or _forbidden_module(name)):
            self._note(node, f"uses {name} ({what})")


def ambient_uses(source: str, module: str, *, package: bool = False) -> list[tuple[str, int, str]]:
    """(function, line, what) for every forbidden import or use outside the exemptions."""
    tree = ast.parse(source)
    finder = _Finder(module, tree, package=package)
    finder.visit(tree)
    allowed = EXEMPT.get(module, set())
    return [
        (function, line, what)
        for function, line, what in finder.found
        if not any(function == a or function.startswith(a + ".") for a in allowed)
    ]


def service_modules() -> list[Path]:
    return sorted(SERVICES.rglob("*.py"))


def test_no_service_module_reads_ambient_state() -> None:
    found = [
        f"{path.relative_to(REPO_ROOT)}:{line} in {function or '<module>'}: {what}"
        for path in service_modules()
        for function, line, what in ambient_uses(
            path.read_text(encoding="utf-8"),
            _module_name(path),
            package=path.name == "__init__.py",
        )
    ]
    assert not found, "\n".join(found)


def test_the_exemptions_name_functions_that_exist() -> None:
    # A renamed composition function must not leave a stale exemption behind, nor may the
    # exemption quietly widen to a whole module.
    for module, functions in EXEMPT.items():
        path = REPO_ROOT / Path(*module.split(".")).with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        defined |= {
            f"{cls.name}.{node.name}"
            for cls in tree.body
            if isinstance(cls, ast.ClassDef)
            for node in cls.body
            if isinstance(node, ast.FunctionDef)
        }
        assert functions <= defined, functions - defined


@pytest.mark.parametrize(
    "source",
    [
        "import datetime as dt\ndef f():\n    return dt.date.today()\n",
        "import datetime\ndef f():\n    return datetime.datetime.now(datetime.UTC)\n",
        "from datetime import datetime\nx = datetime.utcnow()\n",
        "from datetime import date\ndef f(today=date.today):\n    return today()\n",
        "def f():\n    import getpass\n    return getpass.getuser()\n",
        "from invoicer.services.settings import SettingsService\ns = SettingsService().get()\n",
        "from .settings import SettingsService as S\ns = S()\n",
        "from invoicer.integrations import secrets\nk = secrets.get_secret('rpc_key')\n",
        "from invoicer.integrations.secrets import get_secret\n",
        "import keyring\n",
        "from invoicer.store import schema\nat = schema.utcnow()\n",
        "import time\nstarted = time.time()\n",
    ],
)
def test_the_check_finds_every_kind_of_ambient_read(source: str) -> None:
    assert ambient_uses(source, "invoicer.services.planted")


def test_the_exemption_is_the_named_functions_only() -> None:
    inside = "import datetime as dt\nclass SystemClock:\n    def now(self):\n"
    inside += "        return dt.datetime.now(dt.UTC)\n"
    assert ambient_uses(inside, "invoicer.services.local") == []
    elsewhere = "import datetime as dt\ndef helper():\n    return dt.date.today()\n"
    assert ambient_uses(elsewhere, "invoicer.services.local")
    assert ambient_uses(inside, "invoicer.services.invoices")


def test_types_and_look_alikes_are_not_ambient_reads() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import datetime as dt\n"
        "if TYPE_CHECKING:\n"
        "    from invoicer.integrations.secrets import SecretsStatus\n"
        "def f(clock) -> dt.date:\n"
        "    return clock.today() + dt.timedelta(days=1)\n"
    )
    assert ambient_uses(source, "invoicer.services.planted") == []


def unscoped_transactions(source: str) -> list[int]:
    """Lines opening a transaction on the database itself (`<...>.db.write()`, `.db.read()`)
    without the context's writer or shop: its audit events would fall back to the OS user
    (store/audit.py Writer.local), its rows to the file's shop (store/tenancy.py)."""
    needs = {"write": {"writer", "shop_id"}, "read": {"shop_id"}}
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in needs
        and isinstance(node.func.value, ast.Attribute | ast.Name)
        and getattr(node.func.value, "attr", getattr(node.func.value, "id", None)) == "db"
        and not needs[node.func.attr] <= {keyword.arg for keyword in node.keywords}
    ]


def test_every_transaction_is_the_contexts() -> None:
    found = [
        f"{path.relative_to(REPO_ROOT)}:{line}"
        for path in service_modules()
        for line in unscoped_transactions(path.read_text(encoding="utf-8"))
    ]
    assert not found, "use Service._read()/_write() or Services.read()/write(): " + ", ".join(found)
    assert unscoped_transactions("with self.db.write() as session:\n    pass\n") == [1]
    assert unscoped_transactions("with db.read() as session:\n    pass\n") == [1]
    assert unscoped_transactions("with self.db.write(writer=w) as s:\n    pass\n") == [1]
    signed = "with svc.db.write(writer=w, shop_id=s) as t:\n    pass\n"
    assert unscoped_transactions(signed) == []
