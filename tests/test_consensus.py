"""The consensus model: closed forms checked by hand and against simulation."""
import math

import numpy as np
import pytest

from secorgs import consensus


def test_required_support_by_rule():
    assert consensus.required("unanimity", 10) == 10
    assert consensus.required("minus one", 10) == 9
    assert consensus.required("minus two", 3) == 1
    assert consensus.required("two-thirds", 10) == 7
    with pytest.raises(ValueError):
        consensus.required("plurality", 10)
    with pytest.raises(ValueError):
        consensus.required("unanimity", 0)


def test_one_member_always_finds_a_better_proposal():
    # A lone member not sitting on the status quo prefers everything between q and its mirror image.
    assert consensus.p_win_set(1, "unanimity", sigma=1.0) == pytest.approx(1.0)
    assert consensus.simulate(1, sigma=1.0, trials=2000).p_nonempty == 1.0


def test_zero_heterogeneity():
    # Identical members away from the status quo agree on any move towards them...
    assert consensus.p_win_set(11, "unanimity", sigma=0.0, mu=0.5) == 1.0
    # ...and identical members sitting on the status quo never move.
    assert consensus.p_win_set(11, "unanimity", sigma=0.0, mu=0.0) == 0.0
    assert consensus.simulate(5, sigma=0.0, mu=0.5, trials=10).mean_size == pytest.approx(1.0)


def test_unanimity_closed_form_by_hand():
    # Members centred on the status quo: each side with probability 1/2, so P = 2 * (1/2)^n.
    for n in (2, 5, 10):
        assert consensus.p_win_set(n, "unanimity", sigma=1.0, mu=0.0) == pytest.approx(2 * 0.5 ** n)


def test_probability_shrinks_as_members_join_and_as_heterogeneity_grows():
    ps = [consensus.p_win_set(n, "unanimity", sigma=1.0) for n in range(1, 15)]
    assert all(a > b for a, b in zip(ps, ps[1:]))
    by_sigma = [consensus.p_win_set(10, "unanimity", sigma=s) for s in (0.2, 0.5, 1.0, 2.0)]
    assert all(a > b for a, b in zip(by_sigma, by_sigma[1:]))


def test_looser_rules_pass_more_often():
    n = 10
    ps = [consensus.p_win_set(n, r, sigma=1.0) for r in ("unanimity", "minus one", "minus two", "two-thirds")]
    assert ps == sorted(ps)


@pytest.mark.parametrize("rule", consensus.RULES)
@pytest.mark.parametrize("n", [3, 6, 10])
def test_simulation_agrees_with_the_closed_form(rule, n):
    if 2 * consensus.required(rule, n) <= n:
        pytest.skip("closed form needs a majority rule")
    sim = consensus.simulate(n, rule, sigma=1.0, trials=40_000, seed=7)
    exact = consensus.p_win_set(n, rule, sigma=1.0)
    se = math.sqrt(exact * (1 - exact) / sim.trials)
    assert abs(sim.p_nonempty - exact) < 5 * se + 1e-9


def test_win_set_size_by_hand():
    # Ideal points 1, 2, 3 and status quo 0: under unanimity the win set is (0, 2*1 - 0) = length 2;
    # under a rule needing two of three, (0, 2*2) = length 4.
    ideals = np.array([[3.0, 1.0, 2.0]])
    assert consensus.win_set_size(ideals, 3)[0] == pytest.approx(2.0)
    assert consensus.win_set_size(ideals, 2)[0] == pytest.approx(4.0)
    # One member on each side: nothing passes under unanimity.
    assert consensus.win_set_size(np.array([[-1.0, 1.0]]), 2)[0] == 0.0


def test_simulation_is_reproducible_with_a_seed():
    assert consensus.simulate(8, seed=3) == consensus.simulate(8, seed=3)


def test_grid_covers_the_requested_combinations():
    table = consensus.grid(range(3, 6), [0.5, 1.0], rules=("unanimity",))
    assert len(table) == 6 and table["p"].between(0, 1).all()
