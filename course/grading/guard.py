"""Kernel-side code that keeps a submission from faking passed tests.

``INSTALL`` runs once, right after the trusted setup cell: it snapshots the
modules and interpreter hooks the tests rely on. ``CHECK`` runs before every
graded test cell (outside the history, like the test cells themselves): it
puts every snapshotted attribute back, drops hooks a submission added
(tracers, IPython event callbacks, input transformers, custom exception
handlers), rebinds the setup cell's module names, and then runs a canary that
must fail the way honest checks fail. If the canary passes, the environment is
still tampered with and the runner scores the remaining tests 0.

This defeats monkeypatching such as ``np.allclose = lambda *a, **k: True``,
patching ``numpy.testing``, redefining ``checks`` or its functions, replacing
``AssertionError`` or hiding tracebacks. It is not a proof against a
determined attacker with arbitrary code in the same process; the sandbox is
what keeps such code away from the answers and the gradebook.
"""

GUARD_MODULE = "_course_grading_guard"

INSTALL = r'''
def __course_guard_install():
    import builtins, math, sys, types, warnings
    import numpy, numpy.testing, numpy.linalg
    import IPython.core.interactiveshell as _ish
    ip = get_ipython()
    names = ["builtins", "math", "warnings", "numpy", "numpy.testing", "numpy.linalg"]
    # every module of the course package loaded when the guard is installed
    # (after the setup cell: checks with its per-chapter modules, nn,
    # datasets, plotting, kerasenv) -- derived from sys.modules, never a list
    # kept by hand that forgets a module the tests use
    names += sorted(n for n in sys.modules if n == "course" or n.startswith("course."))
    snap = {n: (sys.modules[n], dict(vars(sys.modules[n]))) for n in names if n in sys.modules}
    shell_cls = dict(vars(_ish.InteractiveShell))
    user_modules = {k: v for k, v in ip.user_ns.items() if isinstance(v, types.ModuleType)}
    callbacks = {ev: list(cbs) for ev, cbs in ip.events.callbacks.items()}
    transformers = (list(ip.input_transformers_cleanup), list(ip.input_transformers_post), list(ip.ast_transformers))
    exc_classes = {n: getattr(builtins, n) for n in ("AssertionError", "Exception", "BaseException", "NotImplementedError",
                                                        "ValueError", "TypeError", "isinstance", "print", "abs", "float",
                                                        "len", "range", "bool", "min", "max", "sum", "any", "all")}

    def restore():
        for name, (mod, saved) in snap.items():
            sys.modules[name] = mod
            current = vars(mod)
            extra = [] if mod is builtins else [k for k in current if k not in saved and not k.startswith("__")]
            for key in extra:
                try:
                    delattr(mod, key)
                except Exception:
                    pass
            for key, value in saved.items():
                if current.get(key, object()) is not value:
                    try:
                        setattr(mod, key, value)
                    except Exception:
                        pass
        for key, value in exc_classes.items():
            setattr(builtins, key, value)
        for key, value in shell_cls.items():
            if vars(_ish.InteractiveShell).get(key, object()) is not value:
                try:
                    setattr(_ish.InteractiveShell, key, value)
                except Exception:
                    pass
        for attr in ("showtraceback", "showsyntaxerror", "_showtraceback", "run_cell", "run_code", "CustomTB"):
            ip.__dict__.pop(attr, None)
        ip.custom_exceptions = ()
        ip.user_ns.update(user_modules)
        for ev in list(ip.events.callbacks):
            ip.events.callbacks[ev][:] = callbacks.get(ev, [])
        ip.input_transformers_cleanup[:], ip.input_transformers_post[:], ip.ast_transformers[:] = (list(t) for t in transformers)
        sys.settrace(None)
        sys.setprofile(None)
        sys.excepthook = sys.__excepthook__

    def canary():
        """Return '' if honest checks still fail honestly, else what is wrong."""
        problems = []
        try:
            assert False
        except AssertionError:
            pass
        except BaseException:
            problems.append("the assert statement")
        else:
            problems.append("the assert statement")
        if numpy.allclose(1.0, 2.0) or numpy.isclose(1.0, 2.0) or numpy.array_equal([1], [2]):
            problems.append("numpy comparisons")
        for fn in (numpy.testing.assert_allclose, numpy.testing.assert_array_equal, numpy.testing.assert_equal):
            try:
                fn(1.0, 2.0)
            except AssertionError:
                pass
            else:
                problems.append(f"numpy.testing.{fn.__name__}")
        checks = sys.modules.get("course.checks")
        if checks is not None:
            for name, args in (("assert_close", (1.0, 2.0)), ("assert_equal", (1, 2)), ("assert_true", (False, "x")),
                               ("assert_shape", (numpy.zeros(2), (3,)))):
                try:
                    getattr(checks, name)(*args)
                except AssertionError:
                    pass
                else:
                    problems.append(f"checks.{name}")
        if ip.user_ns.get("checks", checks) is not checks:
            problems.append("the name checks")
        return ", ".join(problems)

    mod = types.ModuleType("_course_grading_guard")
    mod.restore, mod.canary = restore, canary
    sys.modules["_course_grading_guard"] = mod

__course_guard_install()
del __course_guard_install
'''

CHECK = r'''
import sys as __s
__g = __s.modules.get("_course_grading_guard")
if __g is None:
    raise RuntimeError("COURSE-GUARD: tampered: the grading guard was removed")
__g.restore()
__p = __g.canary()
if __p:
    raise RuntimeError("COURSE-GUARD: tampered: " + __p)
del __s, __g, __p
'''
