"""Instantiate the CI gates for every chapter in solutions/ (one test class per
chapter and gate group, so pytest-xdist's loadscope spreads them)."""

from course.paths import chapters

from gates import ROOT, ChapterGates, WrongAnswerGates

for _ch in chapters(ROOT):
    _suffix = _ch.name.title().replace("_", "")
    for _base, _prefix in ((ChapterGates, "TestGates"), (WrongAnswerGates, "TestWrongAnswers")):
        _cls = type(f"{_prefix}{_suffix}", (_base,), {"chapter": _ch})
        globals()[_cls.__name__] = _cls
