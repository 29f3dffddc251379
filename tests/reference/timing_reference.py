#!/usr/bin/python3
"""Reference values for DistillDetect's rate-pattern statistics, computed with numpy and scipy.

Run with the Debian interpreter that has python3-numpy and python3-scipy:
    /usr/bin/python3 tests/reference/timing_reference.py > tests/reference/timing_vectors.json
Every input is generated here from fixed seeds (nothing is copied from elsewhere). Timestamps are
.NET DateTime ticks (100 ns since 0001-01-01 UTC), exact integers, so C# and Python see identical input.
The figures follow the definitions in TimingSummary's documentation; where the definition is our own
(octave gap bins, corrected conditional entropy, dominant interval) this file is the naive,
obviously-correct version the C# code is checked against.
"""
import json
import math
import sys
from collections import Counter
from datetime import datetime

import numpy as np
import scipy
from scipy import stats

TICKS_PER_SECOND = 10_000_000
TICKS_PER_HOUR = 3600 * TICKS_PER_SECOND
TICKS_PER_DAY = 24 * TICKS_PER_HOUR
EPOCH_2024_03_04 = (datetime(2024, 3, 4) - datetime(1, 1, 1)).days * TICKS_PER_DAY  # a Monday


def gap_bin(gap_ticks):
    ms = gap_ticks // 10_000
    return min(31, int(ms).bit_length())


def entropy_bits(counts):
    counts = np.asarray([c for c in counts if c > 0], dtype=float)
    if counts.size == 0:
        return None
    return float(stats.entropy(counts, base=2))


def corrected_conditional_entropy(gaps):
    symbols = [gap_bin(g) for g in gaps]
    n = len(symbols)
    if n < 2:
        return None
    best = math.inf
    prev = 0.0
    first = 0.0
    for m in range(1, min(8, n) + 1):
        windows = [tuple(symbols[i:i + m]) for i in range(n - m + 1)]
        counts = Counter(windows)
        w = len(windows)
        en = -sum((c / w) * math.log2(c / w) for c in counts.values())
        singles = sum(1 for c in counts.values() if c == 1)
        if m == 1:
            first = en
        cce = max(0.0, en - prev) + (singles / w) * first
        best = min(best, cce)
        prev = en
    return best


def dominant_interval(gaps):
    s = sorted(gaps)
    n = len(s)
    if n < 2:
        return None, None
    best, lo_best, hi_best = 0, -1, -1
    for i in range(n):
        if s[i] < TICKS_PER_SECOND // 2:
            continue
        j = i
        while j + 1 < n and s[j + 1] <= 3 * s[i]:
            j += 1
        if j - i + 1 > best:
            best, lo_best, hi_best = j - i + 1, i, j
    if best == 0:
        return None, 0.0
    inside = np.asarray(s[lo_best:hi_best + 1], dtype=np.int64) * 1e-7
    f0 = 2 / (3 * math.sqrt(3))
    strength = min(1.0, max(0.0, (best / n - f0) / (1 - f0)))
    return float(np.median(inside)), strength


def nan_to_none(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def figures(ticks, lilliefors=True):
    t = np.sort(np.asarray(ticks, dtype=np.int64))
    n = len(t)
    out = {"count": n, "first_ticks": int(t[0]), "last_ticks": int(t[-1])}
    gaps_ticks = np.diff(t)
    g = gaps_ticks * 1e-7
    out["mean_gap_s"] = float(g.mean()) if n >= 2 else None
    out["min_gap_s"] = float(g.min()) if n >= 2 else None
    keys = ["sd", "cv", "burstiness", "burstiness_corrected", "memory", "gap_entropy_bits", "regular_gap_share", "cce_bits", "period_s",
            "period_strength", "ks_d", "ks_p", "lilliefors_p", "lilliefors_p_se", "dispersion_index", "dispersion_p"]
    for k in keys:
        out[k] = None
    hours = t // TICKS_PER_HOUR
    out["hour_bins"] = int(hours[-1] - hours[0] + 1)
    if n >= 3:
        with np.errstate(divide="ignore", invalid="ignore"):
            m = g.mean()
            sd = g.std(ddof=1)
            out["sd"] = float(sd)
            out["cv"] = nan_to_none(sd / m)
            out["burstiness"] = nan_to_none((sd - m) / (sd + m))
            k = len(g)
            r = g.std(ddof=0) / m
            a, b = math.sqrt(k + 1), math.sqrt(k - 1)
            out["burstiness_corrected"] = nan_to_none((a * r - b) / ((a - 2) * r + b))
            out["memory"] = nan_to_none(np.corrcoef(g[:-1], g[1:])[0, 1]) if k >= 2 else None
        bins = Counter(gap_bin(int(x)) for x in gaps_ticks)
        out["gap_entropy_bits"] = entropy_bits(list(bins.values()))
        out["regular_gap_share"] = max(bins[b] + bins[b + 1] + bins[b + 2] for b in range(-2, 32)) / len(gaps_ticks)
        out["cce_bits"] = corrected_conditional_entropy([int(x) for x in gaps_ticks])
        p, s = dominant_interval([int(x) for x in gaps_ticks])
        out["period_s"], out["period_strength"] = p, s
        if m > 0:
            res = stats.kstest(g, "expon", args=(0, g.mean()))
            out["ks_d"], out["ks_p"] = float(res.statistic), float(res.pvalue)
            if lilliefors:
                gof = stats.goodness_of_fit(stats.expon, g, known_params={"loc": 0}, statistic="ks",
                                            n_mc_samples=9999, random_state=np.random.default_rng(7))
                out["lilliefors_p"] = float(gof.pvalue)
                out["lilliefors_p_se"] = math.sqrt(max(gof.pvalue * (1 - gof.pvalue), 1e-4) / 9999)
        H = out["hour_bins"]
        if H >= 2:
            counts = np.bincount(hours - hours[0], minlength=H).astype(float)
            d = counts.var(ddof=1) / counts.mean()
            out["dispersion_index"] = float(d)
            out["dispersion_p"] = float(stats.chi2.sf((H - 1) * d, H - 1))
    days = t // TICKS_PER_DAY
    weekday = days % 7  # 0001-01-01 was a Monday
    hour_of_day = hours % 24
    out["hour_of_day_entropy_bits"] = entropy_bits(np.bincount(hour_of_day, minlength=24))
    out["hour_of_week_entropy_bits"] = entropy_bits(np.bincount(weekday * 24 + hour_of_day, minlength=168))
    out["active_days"] = int(len(np.unique(days)))
    return out


def to_ticks(seconds_from_start, start=EPOCH_2024_03_04):
    return [int(start + round(s * TICKS_PER_SECOND)) for s in seconds_from_start]


def sequences():
    rng = np.random.default_rng(20260422)
    seqs = {}
    # Fixed 60 s interval with uniform +-50 % jitter (renewal form: each gap 60 * U(0.5, 1.5)).
    seqs["jitter60_n200"] = to_ticks([0.0] + np.cumsum(60 * rng.uniform(0.5, 1.5, 199)).tolist())
    # Poisson streams.
    seqs["poisson20_n300"] = to_ticks([0.0] + np.cumsum(rng.exponential(20, 299)).tolist())
    seqs["poisson5_n30"] = to_ticks([0.0] + np.cumsum(rng.exponential(5, 29)).tolist())
    seqs["poisson1_n2000"] = to_ticks([0.0] + np.cumsum(rng.exponential(1, 1999)).tolist())
    # Human-like: sessions of 3-30 requests 1-60 s apart, separated by idle periods of hours.
    t, times = 0.0, []
    for _ in range(12):
        for _ in range(int(rng.integers(3, 31))):
            times.append(t)
            t += float(rng.lognormal(2.0, 1.0))
        t += float(rng.exponential(4 * 3600))
    seqs["bursty_sessions"] = to_ticks(times)
    # Duplicates: every timestamp of a 30 s grid sent twice, some three times.
    dup = []
    for i in range(40):
        dup += [30.0 * i] * (3 if i % 7 == 0 else 2)
    seqs["duplicates"] = to_ticks(dup)
    # Tiny accounts.
    seqs["tiny_n3"] = to_ticks([0.0, 10.0, 25.0])
    seqs["tiny_n4"] = to_ticks([0.0, 1.5, 3.5, 90.0])
    # Exactly regular (memory undefined), over several hours and two days.
    seqs["regular_600s_n100"] = to_ticks([600.0 * i for i in range(100)], start=EPOCH_2024_03_04 + 20 * TICKS_PER_HOUR)
    # Shift work: requests only 01:00-09:00 UTC on weekdays, Poisson with mean 90 s inside the shift, 2 weeks.
    shift = []
    for day in range(14):
        if day % 7 >= 5:
            continue
        s = day * 86400 + 3600.0
        while s < day * 86400 + 9 * 3600:
            shift.append(s)
            s += float(rng.exponential(90))
    seqs["shift_work"] = to_ticks(shift)
    return seqs


def ks_grid():
    """scipy.stats.kstwo.sf on a grid that reaches every branch of the exact two-sided distribution."""
    rows = []
    for n in [1, 2, 3, 5, 10, 32, 64, 100, 140, 141, 500, 1000, 5000, 20000, 200000]:
        for z in [0.3, 0.5, 0.7, 0.87, 1.0, 1.2, 1.36, 1.63, 2.0, 2.5, 3.5, 6.0]:
            d = z / math.sqrt(n)
            if d < 1:
                rows.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
        for d in [0.55 / n, 0.9 / n, 0.51, 0.75, 1 - 0.5 / n]:
            if 0 < d < 1:
                rows.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
    return rows


def main():
    seqs = sequences()
    vectors = {
        "generator": "tests/reference/timing_reference.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sequences": [],
        "kstwo_sf": ks_grid(),
        "chi2_sf": [{"x": x, "df": df, "sf": float(stats.chi2.sf(x, df))}
                    for df in [1, 2, 5, 23, 100, 999] for x in [0.1 * df, 0.5 * df, df, 1.5 * df, 3.0 * df]],
    }
    for name, ticks in seqs.items():
        vectors["sequences"].append({"name": name, "ticks": ticks, "expected": figures(ticks)})
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
