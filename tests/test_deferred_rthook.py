"""The bundles' deferred runtime hook (packaging/deferred_rthook.py): PyInstaller's hooks for
inspect, pkgutil and multiprocessing run on first use, not at start. Checked in a fresh
interpreter (-S -I: nothing imported yet) with stand-in stock hooks that leave a mark."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

STOCK = {
    "pkgutil": "import pkgutil\npkgutil.pyi_patched = True\n",
    "multiprocessing": "import multiprocessing\nmultiprocessing.pyi_patched = True\n",
    # Like PyInstaller's: wraps the getsourcefile it finds.
    "inspect": textwrap.dedent(
        """\
        import inspect
        _orig = inspect.getsourcefile
        inspect.pyi_runs = getattr(inspect, "pyi_runs", 0) + 1
        inspect.getsourcefile = lambda obj: "bundle:" + _orig(obj)
        """
    ),
}


def spec_common() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "spec_common", ROOT / "packaging" / "spec_common.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scripts(tmp_path: Path) -> list[tuple[str, str, str]]:
    entries = [("pyiboot01_bootstrap", str(tmp_path / "boot.py"), "PYSOURCE")]
    for name in ("inspect", "other", "pkgutil", "multiprocessing"):
        path = tmp_path / f"pyi_rth_{name}.py"
        path.write_text(STOCK.get(name, "OTHER_RAN = True\n"), "utf-8")
        entries.append((f"pyi_rth_{name}", str(path), "PYSOURCE"))
    return [*entries, ("entry_cli", str(tmp_path / "entry.py"), "PYSOURCE")]


def run_with_hook(tmp_path: Path, code: str) -> str:
    """Run the generated hook, then `code`, in a fresh interpreter; returns its stdout."""
    result = spec_common().defer_stock_hooks(scripts(tmp_path), str(tmp_path))
    hook = next(path for name, path, _ in result if name == "pyi_rth_deferred")
    program = f"exec(open({hook!r}).read())\n" + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", program], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_stock_hooks_make_way_for_one_deferred_hook_in_their_place(tmp_path: Path) -> None:
    result = spec_common().defer_stock_hooks(scripts(tmp_path), str(tmp_path))
    assert [name for name, _, _ in result] == [
        "pyiboot01_bootstrap",
        "pyi_rth_deferred",
        "pyi_rth_other",
        "entry_cli",
    ]


def test_a_deferred_hook_runs_when_its_module_is_first_imported(tmp_path: Path) -> None:
    out = run_with_hook(
        tmp_path,
        """
        import sys
        print("before", "pkgutil" in sys.modules, "multiprocessing" in sys.modules)
        import pkgutil
        print("pkgutil", pkgutil.pyi_patched, callable(pkgutil.iter_modules))
        import multiprocessing.spawn
        print("multiprocessing", multiprocessing.pyi_patched)
        """,
    )
    assert out.split("\n")[:3] == [
        "before False False",
        "pkgutil True True",
        "multiprocessing True",
    ]


def test_inspect_hook_waits_for_the_first_getsourcefile_and_runs_once(tmp_path: Path) -> None:
    out = run_with_hook(
        tmp_path,
        """
        import inspect, json
        print(getattr(inspect, "pyi_runs", 0))
        captured = inspect.getsourcefile  # taken before the first call, as a library might
        print(inspect.getsourcefile(json).startswith("bundle:"), inspect.pyi_runs)
        print(captured(json).startswith("bundle:"), inspect.getsourcefile(json).count("bundle:"))
        print(inspect.pyi_runs)
        """,
    )
    assert out.split("\n")[:4] == ["0", "True 1", "True 1", "1"]


def test_a_module_imported_before_the_hook_gets_its_stock_hook_at_once(tmp_path: Path) -> None:
    result = spec_common().defer_stock_hooks(scripts(tmp_path), str(tmp_path))
    hook = next(path for name, path, _ in result if name == "pyi_rth_deferred")
    program = f"import pkgutil\nexec(open({hook!r}).read())\nprint(pkgutil.pyi_patched)\n"
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
