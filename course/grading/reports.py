"""Class reports: a grades CSV (one row per learner, one column per graded
cell, totals), an LMS CSV of totals, per-exercise pass rates and a histogram."""

from __future__ import annotations

import csv
from pathlib import Path


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
    hardest = min(zip(values, labels), default=(0, "-"))
    ax1.set_title(f"Pass rate per graded test: hardest is {hardest[1]} ({hardest[0]:.0f}%)")
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
