"""Confidence intervals, by scipy: of a mean (and so of paired differences), and of the
difference of two means as if the runs were independent (Welch).

>>> mean_interval([1.0, 2.0, 3.0])
(2.0, -0.4841..., 4.4841...)
>>> mean_interval([0.0, 0.0, 0.0])  # a scenario against itself differs by exactly nothing
(0.0, 0.0, 0.0)
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

LEVEL = 0.95
NAN3 = (float("nan"),) * 3


def mean_interval(values, level: float = LEVEL) -> tuple[float, float, float]:
    """The mean of ``values`` (NaN left out) and its t-interval; no width when all are equal."""
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return NAN3
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), float("nan")
    if np.ptp(values) == 0:
        return mean, mean, mean
    low, high = stats.t.interval(level, values.size - 1, loc=mean, scale=stats.sem(values))
    return mean, float(low), float(high)


def unpaired_interval(a, b, level: float = LEVEL) -> tuple[float, float, float]:
    """``mean(b) - mean(a)`` and its Welch interval, as if the runs were independent."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    mean = float(b.mean() - a.mean())
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return mean, mean, mean
    with warnings.catch_warnings():  # scipy's note on nearly equal values: the interval is still right
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = stats.ttest_ind(b, a, equal_var=False).confidence_interval(level)
    return mean, float(low), float(high)


def band(mean, sem, count, level: float = LEVEL):
    """The t-interval ``(low, high)`` around each of several means (a band over weeks),
    from their standard errors and counts; no width where the error is unknown."""
    mean = np.asarray(mean, float)
    half = stats.t.ppf(0.5 + level / 2, np.maximum(np.asarray(count) - 1, 1)) * np.nan_to_num(np.asarray(sem, float))
    return mean - half, mean + half
