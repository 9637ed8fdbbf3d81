"""Final-grade arithmetic: overrides, tolerance, period weights and GPA."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.final_grade_math import (
    MERGED,
    OVERRIDDEN,
    GradeLine,
    credit_totals,
    credits_earned,
    gpa,
    parse_override,
    resolve,
    weight_errors,
    weighted_mean,
)

LETTERS = ["A", "B+", "B", "C", "D", "F"]


def letter_for(percentage):
    """A tiny scale for the tests (the real one is the gradebook's)."""
    for letter, floor in (("A", 90), ("B+", 87), ("B", 80), ("C", 70), ("D", 60)):
        if percentage >= floor:
            return letter
    return "F"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", (None, None)),
        ("   ", (None, None)),
        ("A", ("A", None)),
        ("b+", ("B+", None)),
        (" f ", ("F", None)),
        ("92", (None, D("92.00"))),
        ("92.456", (None, D("92.46"))),
        ("88.5%", (None, D("88.50"))),
        ("0", (None, D("0.00"))),
        ("105", (None, D("105.00"))),
    ],
)
def test_parse_override_reads_letters_and_percentages(raw, expected):
    assert parse_override(raw, LETTERS) == expected


@pytest.mark.parametrize("raw", ["E", "A++", "-3", "201", "NaN", "ninety"])
def test_parse_override_refuses_other_text(raw):
    with pytest.raises(ValueError):
        parse_override(raw, LETTERS)


# computed %, computed letter, override letter, override %, final %, letter, source
MERGE_CASES = [
    (D("91.5"), "A", None, None, D("91.50"), "A", MERGED),
    (D("89.995"), "A", None, None, D("90.00"), "A", MERGED),
    (None, None, None, None, None, None, MERGED),
    (D("79.4"), "C", "B", None, D("79.40"), "B", OVERRIDDEN),
    (D("79.4"), "C", None, D("88"), D("88.00"), "B+", OVERRIDDEN),
    (D("95"), "A", None, D("59.5"), D("59.50"), "F", OVERRIDDEN),
    (None, None, "D", None, None, "D", OVERRIDDEN),
    (None, None, None, D("72"), D("72.00"), "C", OVERRIDDEN),
]


@pytest.mark.parametrize(
    ("computed", "letter", "o_letter", "o_pct", "final", "final_letter", "source"),
    MERGE_CASES,
)
def test_resolve_table(computed, letter, o_letter, o_pct, final, final_letter, source):
    resolved = resolve(computed, letter, o_letter, o_pct, letter_for)
    assert (resolved.percentage, resolved.letter, resolved.source) == (
        final,
        final_letter,
        source,
    )


def test_resolve_refuses_two_overrides():
    with pytest.raises(ValueError):
        resolve(D(80), "B", "A", D(95), letter_for)


@pytest.mark.parametrize(
    ("weights", "errors"),
    [
        ({"Q1": D(40), "Q2": D(40), "Exam": D(20)}, 0),
        ({"Q1": D(50), "Q2": D(50), "Exam": None}, 0),
        ({"Q1": D(40), "Q2": D(40)}, 1),
        ({"Q1": D(60), "Q2": D(60), "Exam": D(-20)}, 1),
        ({"Q1": D(150), "Q2": D(-50)}, 2),
        ({}, 0),
    ],
)
def test_weight_errors(weights, errors):
    assert len(weight_errors(weights)) == errors


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([(D(40), D(90)), (D(40), D(80)), (D(20), D(70))], D("82.00")),
        ([(D(40), D(90)), (D(40), D(80)), (D(20), None)], D("85.00")),
        ([(D(40), None), (D(40), D(80)), (D(20), D(70))], D("76.67")),
        ([(D(50), D("89.995")), (D(50), D("90.005"))], D("90.00")),
        ([(D(0), D(100)), (D(100), D(60))], D("60.00")),
        ([(D(40), None), (D(60), None)], None),
        ([], None),
    ],
)
def test_weighted_mean_renormalises_over_present_parts(parts, expected):
    assert weighted_mean(parts) == expected


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=100),
            st.decimals(min_value=0, max_value=110, places=2),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_weighted_mean_stays_between_its_parts(parts):
    mean = weighted_mean(parts)
    values = [p for _, p in parts]
    assert min(values) <= mean <= max(values)


# each line: points, credits, passing, bonus, dropped
GPA_CASES = [
    pytest.param([], False, None, id="nothing attempted"),
    pytest.param([(4, 1, True, 0, False)], False, D("4.00"), id="one A"),
    pytest.param(
        [(4, 1, True, 0, False), (3, 1, True, 0, False)],
        False,
        D("3.50"),
        id="A and B, equal credits",
    ),
    pytest.param(
        [(4, "0.5", True, 0, False), (2, 1, True, 0, False)],
        False,
        D("2.67"),
        id="credits weigh the points",
    ),
    pytest.param(
        [(4, 1, True, 1, False), (3, 1, True, 0, False)],
        True,
        D("4.00"),
        id="weighted: honours bonus",
    ),
    pytest.param(
        [(4, 1, True, 1, False), (3, 1, True, 0, False)],
        False,
        D("3.50"),
        id="unweighted ignores the bonus",
    ),
    pytest.param(
        [(0, 1, False, 1, False), (4, 1, True, 0, False)],
        True,
        D("2.00"),
        id="failed honours course gets no bonus",
    ),
    pytest.param(
        [(0, 1, False, 0, False), (4, 1, True, 0, False), (3, 1, True, 0, False)],
        False,
        D("2.33"),
        id="a failed course counts its credits attempted",
    ),
    pytest.param(
        [(4, 1, True, 0, False), (0, 1, False, 0, True)],
        False,
        D("4.00"),
        id="a dropped section is left out",
    ),
    pytest.param(
        [(None, 1, True, 0, False), (3, 1, True, 0, False)],
        False,
        D("3.00"),
        id="a grade without points is left out",
    ),
    pytest.param([(4, 0, True, 0, False)], False, None, id="zero-credit course only"),
]


@pytest.mark.parametrize(("lines", "weighted", "expected"), GPA_CASES)
def test_gpa_table(lines, weighted, expected):
    grade_lines = [
        GradeLine(
            points=None if p is None else D(p),
            credits=D(c),
            passing=ok,
            bonus=D(b),
            dropped=dropped,
        )
        for p, c, ok, b, dropped in lines
    ]
    assert gpa(grade_lines, weighted=weighted) == expected


def test_credit_totals_count_attempted_and_earned():
    lines = [
        GradeLine(D(4), D(1), True),
        GradeLine(D(0), D("0.5"), False),
        GradeLine(D(3), D(1), True, dropped=True),
    ]
    assert credit_totals(lines) == (D("1.5"), D(1))


@pytest.mark.parametrize(
    ("credits", "passing", "earned"),
    [(D(1), True, D(1)), (D(1), False, D(0)), (D("0.5"), True, D("0.5"))],
)
def test_credits_earned(credits, passing, earned):
    assert credits_earned(credits, passing) == earned


@given(
    st.lists(
        st.tuples(
            st.sampled_from([D(0), D(1), D(2), D(3), D(4)]),
            st.sampled_from([D("0.5"), D(1), D(2)]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_gpa_stays_on_the_scale(pairs):
    lines = [GradeLine(points, credits, points > 0) for points, credits in pairs]
    assert D(0) <= gpa(lines) <= D(4)
