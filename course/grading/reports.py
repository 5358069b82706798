"""Class reports: a grades CSV (one row per learner, one column per graded
cell, totals), an LMS CSV of totals, per-exercise pass rates and a histogram.

Points come from nbgrader's gradebook (:func:`with_gradebook_scores`), so a
score an instructor adjusts in the formgrader's Manual Grading reaches every
report; a test counts as passed when it has its full points."""

from __future__ import annotations

import copy
import csv
import warnings
from pathlib import Path


def with_gradebook_scores(states: list[dict], db_url: str) -> list[dict]:
    """Copies of the grading *states* whose per-test points and totals are
    the gradebook's: nbgrader's ``Grade.score`` (a manual score when the
    instructor set one, else the autograder's, plus extra credit), the total
    less any late penalty, as ``nbgrader export`` reports it."""
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for state in states:
            state = copy.deepcopy(state)
            res = state["result"]
            try:
                sub = gb.find_submission(state["chapter"], state["learner"])
            except MissingEntry:
                out.append(state)
                continue
            grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
            for t in res["tests"]:
                g = grades.get(t["grade_id"])
                if g is None:
                    continue
                t["points"] = float(g.score)
                t["adjusted"] = g.manual_score is not None or bool(g.extra_credit)
                t["passed"] = t["points"] >= t["max"] > 0 or (t["passed"] and not t["adjusted"])
            res["scores"] = {t["grade_id"]: t["points"] for t in res["tests"]}
            penalty = float(sub.late_submission_penalty or 0.0)
            res["score"] = float(sub.score) - penalty
            res["late_penalty"] = penalty
            out.append(state)
    return out


def _columns(states: list[dict]) -> list[tuple[str, str]]:
    cols = []
    for s in sorted(states, key=lambda s: s["chapter"]):
        for t in s["result"]["tests"]:
            key = (s["chapter"], t["grade_id"])
            if key not in cols:
                cols.append(key)
    return cols


def write_reports(states: list[dict], out_dir: Path, roster: dict[str, dict]) -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cols = _columns(states)
    by_learner: dict[str, dict] = {}
    for s in states:
        by_learner.setdefault(s["learner"], {})[s["chapter"]] = s
    learners = sorted(set(by_learner) | set(roster))
    maxima = {}
    for s in states:
        for t in s["result"]["tests"]:
            maxima[(s["chapter"], t["grade_id"])] = t["max"]
    total_max = sum(maxima.values())
    missing = [l for l in learners if l not in by_learner]  # on the roster, no gradable submission

    grades = out_dir / "grades.csv"
    with open(grades, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        w.writerow(["learner"] + [f"{ch}:{gid}" for ch, gid in cols] + ["submitted", "total", "max"])
        for learner in learners:
            scores = {}
            for ch, s in by_learner.get(learner, {}).items():
                for t in s["result"]["tests"]:
                    scores[(ch, t["grade_id"])] = t["points"]
            row = [learner] + [f"{scores.get(c, 0):g}" for c in cols] + [" ".join(sorted(by_learner.get(learner, {})))]
            w.writerow(row + [f"{sum(scores.values()):g}", f"{total_max:g}"])

    lms = out_dir / "lms_totals.csv"
    with open(lms, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        w.writerow(["id", "last_name", "first_name", "email", "points", "max_points", "percent"])
        for learner in learners:
            pts = sum(t["points"] for s in by_learner.get(learner, {}).values() for t in s["result"]["tests"])
            info = roster.get(learner, {})
            pct = 100.0 * pts / total_max if total_max else 0.0
            w.writerow([learner, info.get("last_name", ""), info.get("first_name", ""), info.get("email", ""),
                        f"{pts:g}", f"{total_max:g}", f"{pct:.1f}"])

    # per-exercise pass rates and a score histogram
    rates = []
    for key in cols:
        passed = sum(1 for s in states for t in s["result"]["tests"] if (s["chapter"], t["grade_id"]) == key and t["passed"])
        n = sum(1 for s in states for t in s["result"]["tests"] if (s["chapter"], t["grade_id"]) == key)
        rates.append((key, passed, n))
    rates_csv = out_dir / "pass_rates.csv"
    with open(rates_csv, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["chapter", "grade_id", "passed", "submissions", "pass_rate"])
        for (ch, gid), passed, n in rates:
            w.writerow([ch, gid, passed, n, f"{passed / n:.3f}" if n else ""])

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [sum(t["points"] for s in by_learner.get(l, {}).values() for t in s["result"]["tests"]) for l in learners]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [2, 1]})
    labels = [f"{gid}" if len({c for c, _ in cols}) == 1 else f"{ch}:{gid}" for (ch, gid), _, _ in rates]
    values = [100.0 * p / n if n else 0 for _, p, n in rates]
    ax1.barh(range(len(values)), values, color=["#d62728" if v < 50 else "#1f77b4" for v in values])
    ax1.set_yticks(range(len(values)), labels, fontsize=8)
    ax1.invert_yaxis()
    ax1.set_xlim(0, 100)
    ax1.set_xlabel("learners passing (%)")
    ax1.set_title(hardest_title(values, labels))
    ax2.hist(totals, bins=min(10, max(1, len(set(totals)))), color="#1f77b4", edgecolor="k")
    ax2.set_xlabel(f"total score (of {total_max:g})")
    ax2.set_ylabel("learners")
    mean = sum(totals) / len(totals) if totals else 0
    note = f", {len(missing)} without a submission" if missing else ""
    ax2.set_title(f"Scores of {len(totals)} learners{note} (mean {mean:.1f})")
    fig.tight_layout()
    png = out_dir / "class_report.png"
    fig.savefig(png, dpi=100)
    plt.close(fig)
    return {"grades": grades, "lms": lms, "pass_rates": rates_csv, "histogram": png,
            "learners": len(learners), "mean": mean, "missing": missing}


def hardest_title(values: list[float], labels: list[str]) -> str:
    """The pass-rate chart's title: names the hardest test only when one test
    alone has the lowest pass rate."""
    if not values:
        return "Pass rate per graded test"
    low = min(values)
    tied = [label for v, label in zip(values, labels) if v == low]
    if len(tied) == 1:
        return f"Pass rate per graded test: hardest is {tied[0]} ({low:.0f}%)"
    if len(tied) == len(values):
        return f"Pass rate per graded test: all {len(values)} tests at {low:.0f}%"
    return f"Pass rate per graded test: lowest {low:.0f}%, shared by {len(tied)} tests"
