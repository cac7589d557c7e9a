"""Template of a PyInstaller runtime hook; spec_common.defer_stock_hooks() bundles it.

PyInstaller's own runtime hooks for inspect, pkgutil and multiprocessing run before the app at
every start and import what they patch - the inspect one also imports zipfile and reads the
table of contents of base_library.zip. That was about a third of the bundle's
`invoicer --version`. Here each stock hook runs unchanged, but only when its module is first
imported, and inspect's only on the first inspect.getsourcefile() call (the app imports inspect
at every start, via click, but asks for source files only to show a traceback).

Pure standard library and no imports beyond sys at start-up: this runs before the app.
"""

import sys


def _install(stock_hooks):  # {module name: source of PyInstaller's hook for it}
    def run_stock_hook(name):
        code = compile(stock_hooks[name], f"pyi_rth_{name}.py", "exec")
        exec(code, {"__name__": f"pyi_rth_{name}"})

    def after_inspect():
        import inspect

        original = inspect.getsourcefile

        def getsourcefile(object):  # noqa: A002 - the signature of inspect.getsourcefile
            if inspect.getsourcefile is getsourcefile:
                inspect.getsourcefile = original  # the stock hook wraps the original
                run_stock_hook("inspect")
            return inspect.getsourcefile(object)

        inspect.getsourcefile = getsourcefile

    pending = {
        name: (after_inspect if name == "inspect" else (lambda name=name: run_stock_hook(name)))
        for name in stock_hooks
    }

    class ThenLoader:
        """The module's own loader, then the deferred hook once the module is executed."""

        def __init__(self, loader, then):
            self._loader, self._then = loader, then

        def create_module(self, spec):
            return self._loader.create_module(spec)

        def exec_module(self, module):
            self._loader.exec_module(module)
            self._then()

        def __getattr__(self, name):
            return getattr(self._loader, name)

    class AfterImportFinder:
        """Finds nothing itself: wraps the loader of a module that has a deferred hook."""

        def find_spec(self, name, path=None, target=None):
            then = pending.pop(name, None)
            if then is None:
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    if spec.loader is not None:
                        spec.loader = ThenLoader(spec.loader, then)
                    return spec
            return None

    for name in [name for name in pending if name in sys.modules]:  # imported already
        pending.pop(name)()
    sys.meta_path.insert(0, AfterImportFinder())
