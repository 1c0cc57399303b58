"""Gi* against PySAL's esda on the same weights, p-values, Benjamini-Hochberg and the classes."""

import warnings

import numpy as np
import pytest
from esda.getisord import G_Local
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from libpysal.weights import W, fill_diagonal, lat2W
from scipy.stats import false_discovery_control, norm

from safehold.hotspots.gistar import (
    NOT_SIGNIFICANT,
    classify,
    fdr_q_values,
    gi_star,
    neighbour_counts,
    p_values,
    significant,
)


def square_weights(shape: tuple[int, int], radius: int) -> W:
    """Binary libpysal weights: each cell's (2r+1)² square, itself included, clipped at edges.

    Built cell by cell from explicit neighbour lists (ids in row-major order, as y is
    flattened), independently of the box sums under test.
    """
    rows, cols = shape
    neighbours = {}
    for r in range(rows):
        for c in range(cols):
            neighbours[r * cols + c] = [
                rr * cols + cc
                for rr in range(max(0, r - radius), min(rows, r + radius + 1))
                for cc in range(max(0, c - radius), min(cols, c + radius + 1))
            ]
    return W(neighbours, id_order=list(range(rows * cols)), silence_warnings=True)


def esda_z(counts: np.ndarray, w: W) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0/0 in esda for the undefined cells, islands
        g = G_Local(counts.ravel().astype(float), w, transform="B", star=True, permutations=0)
    return np.asarray(g.Zs).reshape(counts.shape)


def assert_same_as_esda(counts: np.ndarray, radius: int) -> None:
    expected = esda_z(counts, square_weights(counts.shape, radius))
    z = gi_star(counts, radius=radius)
    assert z.shape == counts.shape
    defined = np.isfinite(expected)
    np.testing.assert_allclose(z[defined], expected[defined], rtol=0, atol=1e-9)
    # Where esda divides 0 by 0, the observed sum is exactly its expectation: z is 0.
    assert (z[~defined] == 0).all()


@st.composite
def count_grids(draw):
    rows = draw(st.integers(1, 20))
    cols = draw(st.integers(1, 20))
    # Mostly zeros with a few large counts, like crimes per 250 m cell, or dense small counts.
    zero_share = draw(st.sampled_from([0.0, 0.5, 0.8, 0.95]))
    peak = draw(st.sampled_from([1, 3, 20, 500]))
    values = draw(arrays(np.int64, (rows, cols), elements=st.integers(0, peak)))
    keep = draw(arrays(np.float64, (rows, cols), elements=st.floats(0, 1))) >= zero_share
    return values * keep


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=count_grids(), radius=st.sampled_from([1, 2]))
def test_gi_star_equals_esda_g_local_star_on_random_grids(counts, radius):
    assert_same_as_esda(counts, radius)


def test_gi_star_on_a_one_row_grid_and_radius_two_matches_esda():
    counts = np.array([[0, 0, 4, 9, 3, 0, 0, 0, 1, 0, 0, 7]])
    assert_same_as_esda(counts, 1)
    assert_same_as_esda(counts, 2)
    assert_same_as_esda(counts.T, 2)


def test_radius_one_weights_are_queen_contiguity_plus_the_cell_itself():
    """The explicit lists used above agree with libpysal's own lattice weights."""
    counts = np.random.default_rng(7).poisson(2.0, size=(9, 13))
    queen_and_self = fill_diagonal(lat2W(9, 13, rook=False), 1.0)
    np.testing.assert_allclose(
        gi_star(counts, radius=1), esda_z(counts, queen_and_self), rtol=0, atol=1e-9
    )
    assert (queen_and_self.sparse.toarray() == square_weights((9, 13), 1).sparse.toarray()).all()


def test_a_cluster_is_a_hot_spot_and_its_surroundings_are_not():
    counts = np.zeros((20, 20), dtype=int)
    counts[9:12, 9:12] = 10
    z = gi_star(counts)
    assert z[10, 10] == z.max() > 3
    assert abs(z[0, 0]) < 1
    # The centre of the cluster: 90 in 9 cells against a mean of 90/400.
    mean, n = 90 / 400, 400
    s = np.sqrt(np.mean((counts - mean) ** 2))
    expected = (90 - 9 * mean) / (s * np.sqrt(9 * (n - 9) / (n - 1)))
    assert z[10, 10] == pytest.approx(expected, abs=1e-12)


def test_edge_cells_have_fewer_neighbours():
    w = neighbour_counts((4, 5), radius=1)
    assert w[0, 0] == 4 and w[0, 2] == 6 and w[1, 1] == 9 and w[3, 4] == 4
    assert neighbour_counts((1, 1), radius=2)[0, 0] == 1
    assert neighbour_counts((6, 6), radius=2)[0, 0] == 9


def test_an_all_zero_grid_has_no_hot_spots():
    """No incidents: no variation to test (esda gives NaN, 0/0); z = 0 and p = 1 everywhere."""
    counts = np.zeros((6, 8), dtype=int)
    assert (esda_z(counts, square_weights(counts.shape, 1)) != 0).all()  # NaN, not a number
    z = gi_star(counts)
    assert z.shape == (6, 8) and (z == 0).all()
    assert (p_values(z) == 1).all()
    assert (classify(z, fdr_q_values(p_values(z))) == NOT_SIGNIFICANT).all()


def test_a_constant_grid_has_no_hot_spots():
    counts = np.full((5, 5), 3)
    assert np.isnan(esda_z(counts, square_weights(counts.shape, 1))).all()
    assert (gi_star(counts) == 0).all()
    assert (gi_star(np.full((4, 4), 0.1)) == 0).all()  # not fooled by rounding of 0.1


def test_one_cell_and_a_neighbourhood_covering_the_grid_give_zero():
    assert (gi_star(np.array([[5]])) == 0).all()
    z = gi_star(np.array([[0, 1], [4, 2]]), radius=1)  # every cell sees all four
    assert (z == 0).all()


def test_float_counts_give_the_same_z_as_esda():
    counts = np.random.default_rng(3).gamma(0.7, 2.5, size=(11, 6))
    expected = esda_z(counts, square_weights(counts.shape, 2))
    np.testing.assert_allclose(gi_star(counts, radius=2), expected, rtol=0, atol=1e-9)


def test_whole_number_floats_and_integers_give_identical_z():
    counts = np.random.default_rng(5).poisson(1.5, size=(30, 40))
    assert (gi_star(counts) == gi_star(counts.astype(float))).all()


@pytest.mark.parametrize(
    ("counts", "radius", "message"),
    [
        (np.zeros(5), 1, "2-D"),
        (np.array([[1, -1]]), 1, "zero or more"),
        (np.array([[1.0, np.nan]]), 1, "finite"),
        (np.array([[1, 2]]), -1, "radius"),
        (np.array([[1, 2]]), 1.5, "radius"),
    ],
)
def test_bad_input_is_refused(counts, radius, message):
    with pytest.raises(ValueError, match=message):
        gi_star(counts, radius=radius)


def test_p_values_are_two_sided_normal():
    z = np.array([[0.0, 1.959963984540054, -2.5758293035489004, 10.0]])
    p = p_values(z)
    np.testing.assert_allclose(p, [[1.0, 0.05, 0.01, 2 * norm.sf(10.0)]], rtol=1e-12)
    assert p.shape == z.shape


def test_benjamini_hochberg_q_values_worked_by_hand():
    # Sorted: 0.005 (x5/1 = 0.025), 0.01 (x5/2 = 0.025), 0.03 (x5/3 = 0.05),
    # 0.04 (x5/4 = 0.05), 0.5 (x5/5 = 0.5); then the running minimum from the largest.
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    np.testing.assert_allclose(fdr_q_values(p), [0.025, 0.05, 0.05, 0.025, 0.5], rtol=1e-12)
    assert significant(p, alpha=0.05).tolist() == [True, True, True, True, False]
    assert significant(p, alpha=0.03).tolist() == [True, False, False, True, False]


def test_benjamini_hochberg_on_their_published_example():
    """Benjamini & Hochberg (1995), section 4: 15 p-values; at 0.05 BH rejects the four
    smallest (p ≤ 0.0095), where Bonferroni rejects three."""
    p = np.array(
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
         0.4262, 0.5719, 0.6528, 0.7590, 1.0000]
    )  # fmt: skip
    assert significant(p, alpha=0.05).sum() == 4
    assert significant(p, alpha=0.05)[:4].all()
    assert (p <= 0.05 / p.size).sum() == 3
    np.testing.assert_allclose(fdr_q_values(p), false_discovery_control(p), rtol=1e-12)


def test_q_values_keep_the_shape_and_cap_at_one():
    p = np.array([[0.9, 0.95], [1.0, 0.99]])
    q = fdr_q_values(p)
    assert q.shape == (2, 2) and (q <= 1).all() and (q >= p).all()
    rng = np.random.default_rng(11)
    many = rng.uniform(size=(40, 25)) ** 3
    np.testing.assert_allclose(
        fdr_q_values(many).ravel(), false_discovery_control(many.ravel()), rtol=1e-12
    )


def test_classes_by_sign_and_q_value():
    z = np.array([4.0, 2.5, 1.8, 0.5, -1.8, -2.5, -4.0, 3.0])
    q = np.array([0.001, 0.03, 0.08, 0.6, 0.08, 0.03, 0.001, 0.2])
    assert classify(z, q).tolist() == [
        "hot spot 99%", "hot spot 95%", "hot spot 90%", "not significant",
        "cold spot 90%", "cold spot 95%", "cold spot 99%", "not significant",
    ]  # fmt: skip
