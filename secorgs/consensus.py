r"""A spatial model of decision by consensus, and what enlargement does to it.

Each of $n$ members has an ideal point $x_i$ on a line, drawn independently from
$\mathcal N(\mu, \sigma^2)$; the status quo sits at $q$. A member prefers a proposal $p$ to the
status quo when $p$ is closer to its ideal point. Under a rule that needs $k$ of the $n$ members
(unanimity: $k = n$; "$n$ minus $X$": $k = n - X$; a qualified majority: $k = \lceil c\,n \rceil$), the
*win set* is the set of proposals that at least $k$ members prefer to the status quo.

For $p > q$, member $i$ prefers $p$ exactly when $x_i > (p + q)/2$, so the right-hand part of the win
set is the interval $(q,\; 2x_{(n-k+1)} - q)$, where $x_{(j)}$ is the $j$-th smallest ideal point;
symmetrically on the left. Its length is

$$ W = 2\,\max\bigl(0,\; x_{(n-k+1)} - q\bigr) + 2\,\max\bigl(0,\; q - x_{(k)}\bigr). $$

The win set is non-empty when at least $k$ members lie on one side of $q$. With
$\pi = \Phi\bigl((\mu - q)/\sigma\bigr)$, the chance that a member lies to the right, and $k > n/2$
(the two events are then exclusive),

$$ P(W > 0) = P\bigl(\mathrm{Bin}(n, \pi) \ge k\bigr) + P\bigl(\mathrm{Bin}(n, 1 - \pi) \ge k\bigr), $$

which for unanimity is $\pi^n + (1 - \pi)^n$: it falls towards $2^{1-n}$ as heterogeneity
$\sigma$ grows and, for any $\sigma > 0$, shrinks geometrically as members are added.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

RULES = ("unanimity", "minus one", "minus two", "two-thirds")


def required(rule: str, n: int) -> int:
    """Number of members whose support a proposal needs under ``rule`` with ``n`` members."""
    if n < 1:
        raise ValueError("an organisation needs at least one member")
    if rule == "unanimity":
        return n
    if rule == "minus one":
        return max(1, n - 1)
    if rule == "minus two":
        return max(1, n - 2)
    if rule == "two-thirds":
        return math.ceil(2 * n / 3)
    raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")


def _norm_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def share_right(mu: float, sigma: float, q: float = 0.0) -> float:
    """Probability that one member's ideal point lies to the right of the status quo."""
    if sigma < 0:
        raise ValueError("heterogeneity cannot be negative")
    if sigma == 0:
        return 1.0 if mu > q else 0.0 if mu < q else 0.5
    return _norm_cdf((mu - q) / sigma)


def _binomial_tail(n: int, p: float, k: int) -> float:
    return sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(k, n + 1))


def p_win_set(n: int, rule: str = "unanimity", sigma: float = 1.0, mu: float = 0.5, q: float = 0.0) -> float:
    """Closed-form probability that some proposal beats the status quo (the win set is non-empty)."""
    k = required(rule, n)
    pi = share_right(mu, sigma, q)
    if sigma == 0 and mu == q:
        return 0.0  # every member sits on the status quo: nothing is preferred to it
    if 2 * k <= n:
        raise ValueError("the closed form needs a rule that requires more than half the members")
    return _binomial_tail(n, pi, k) + _binomial_tail(n, 1 - pi, k)


def win_set_size(ideals: np.ndarray, k: int, q: float = 0.0) -> np.ndarray:
    """Length of the win set for each row of ``ideals`` (shape: trials x members) under a k-rule."""
    ordered = np.sort(np.atleast_2d(ideals), axis=1)
    n = ordered.shape[1]
    right = ordered[:, n - k]      # x_(n-k+1), 0-based index n-k
    left = ordered[:, k - 1]       # x_(k)
    return 2 * np.maximum(0, right - q) + 2 * np.maximum(0, q - left)


@dataclass(frozen=True)
class Simulation:
    n: int
    rule: str
    sigma: float
    p_nonempty: float
    mean_size: float
    trials: int


def simulate(n: int, rule: str = "unanimity", sigma: float = 1.0, mu: float = 0.5, q: float = 0.0,
             trials: int = 20_000, seed: int = 2001) -> Simulation:
    """Monte Carlo estimate of the win set's probability of being non-empty and its mean length."""
    rng = np.random.default_rng(seed)
    ideals = mu + sigma * rng.standard_normal((trials, n))
    sizes = win_set_size(ideals, required(rule, n), q)
    return Simulation(n, rule, sigma, float((sizes > 0).mean()), float(sizes.mean()), trials)


def grid(ns, sigmas, rules=RULES, mu: float = 0.5) -> pd.DataFrame:
    """Closed-form probabilities for every combination, for charts with sliders."""
    rows = [{"n": n, "sigma": round(float(s), 2), "rule": r, "p": p_win_set(n, r, float(s), mu)}
            for r in rules for s in sigmas for n in ns if 2 * required(r, n) > n]
    return pd.DataFrame(rows)
