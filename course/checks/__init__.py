"""The checking helpers behind every visible and hidden test.

``course.checks.core`` holds the general checks (``assert_close``,
``assert_shape``, ``call_quietly``, ``call_unmodified``, the warnings policy,
…). Checks that belong to one chapter (``check_gate`` in Chapter 1,
``check_loss`` in Chapter 3, …) live in ``course/checks/chNN_*.py`` and are
re-exported here from each module's ``__all__``, so every test calls them as
``checks.<name>`` and an answer cell that rebinds a name in the notebook
cannot change what a test runs.
"""

from __future__ import annotations

import importlib as _importlib
import pkgutil as _pkgutil

from .core import *  # noqa: F401,F403
from .core import __all__ as _core_all

__all__ = list(_core_all)

for _info in sorted(_pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("ch"):
        _module = _importlib.import_module(f"{__name__}.{_info.name}")
        for _name in getattr(_module, "__all__", ()):
            globals()[_name] = getattr(_module, _name)
            __all__.append(_name)
