"""Grade math: a table of worked cases and property tests."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import grade_math as gm
from models.grade_math import Item, Level, TypeInput

AF = [
    Level("A", D(90), D("4.0")),
    Level("B", D(80), D("3.0")),
    Level("C", D(70), D("2.0")),
    Level("D", D(60), D("1.0")),
    Level("F", D(0), D(0), passing=False),
]


def it(possible, earned=None, **flags):
    return Item(D(possible), None if earned is None else D(earned), **flags)


HW = [it(10, 9), it(10, 7)]  # 16/20 = 80%
TESTS = [it(50, 45)]  # 90%

# (case, types, weighted, rounding, missing_as_zero, expected percentage)
WORKED = [
    (
        "weighted mean of two types",
        [TypeInput("HW", D(40), HW), TypeInput("Tests", D(60), TESTS)],
        True, "none", False, "86.00",
    ),
    (
        "unweighted: total points over all types",
        [TypeInput("HW", D(40), HW), TypeInput("Tests", D(60), TESTS)],
        False, "none", False, "87.14",
    ),
    (
        "weights renormalised when a type has no graded work",
        [TypeInput("HW", D(40), HW), TypeInput("Tests", D(60), [it(50)])],
        True, "none", False, "80.00",
    ),
    (
        "excused work is left out",
        [TypeInput("HW", D(100), HW + [it(10, excused=True)])],
        True, "none", False, "80.00",
    ),
    (
        "excused wins over a score",
        [TypeInput("HW", D(100), HW + [it(10, 0, excused=True)])],
        True, "none", False, "80.00",
    ),
    (
        "missing left out unless configured",
        [TypeInput("HW", D(100), HW + [it(20, missing=True)])],
        True, "none", False, "80.00",
    ),
    (
        "missing as zero when configured",
        [TypeInput("HW", D(100), HW + [it(20, missing=True)])],
        True, "none", True, "40.00",
    ),
    (
        "a missing item with a score keeps its score",
        [TypeInput("HW", D(100), HW + [it(20, 20, missing=True)])],
        True, "none", True, "90.00",
    ),
    (
        "rounding none keeps cents",
        [TypeInput("HW", D(100), [it(3, 2)])],
        True, "none", False, "66.67",
    ),
    ("rounding normal", [TypeInput("HW", D(100), [it(3, 2)])],
     True, "normal", False, "67.00"),
    ("rounding normal half goes up", [TypeInput("HW", D(100), [it(200, 179)])],
     True, "normal", False, "90.00"),
    ("rounding down", [TypeInput("HW", D(100), [it(3, 2)])],
     True, "down", False, "66.00"),
    ("rounding up", [TypeInput("HW", D(100), [it(3, 1)])],
     True, "up", False, "34.00"),
    (
        "extra credit past 100",
        [TypeInput("HW", D(100), [it(10, 12)])],
        True, "none", False, "120.00",
    ),
    (
        "a score past the cap counts at the cap",
        [TypeInput("HW", D(100), [it(10, 95)])],
        True, "none", False, "200.00",
    ),
    (
        "option 1: Canvas type by points, unweighted groups",
        [
            TypeInput("HW", D(50), HW),
            TypeInput("Canvas", D(50), [it(10, 10, group="g1"), it(30, 15, group="g2")],
                      is_canvas=True),
        ],
        True, "none", False, "71.25",
    ),
    (
        "option 1: Canvas groups weighted and renormalised",
        [
            TypeInput("HW", D(50), HW),
            TypeInput(
                "Canvas", D(50),
                [it(10, 10, group="g1"), it(30, 15, group="g2"), it(5, group="g3")],
                group_weights={"g1": D(40), "g2": D(40), "g3": D(20)},
                is_canvas=True,
            ),
        ],
        True, "none", False, "77.50",
    ),
    (
        "unweighted, a Canvas type alone keeps its group weighting",
        [
            TypeInput(
                "Canvas", D(0),
                [it(10, 10, group="g1"), it(30, 15, group="g2"), it(5, group="g3")],
                group_weights={"g1": D(40), "g2": D(40), "g3": D(20)},
                is_canvas=True,
            ),
        ],
        False, "none", False, "75.00",
    ),
    (
        "unweighted: group-weighted Canvas points count at their percentage",
        [
            TypeInput("HW", D(0), HW),
            TypeInput(
                "Canvas", D(0), [it(10, 10, group="g1"), it(30, 15, group="g2")],
                group_weights={"g1": D(40), "g2": D(40)}, is_canvas=True,
            ),
        ],
        False, "none", False, "76.67",
    ),
    (
        "option 2: Canvas course score stands for the Canvas type",
        [
            TypeInput("HW", D(50), HW),
            TypeInput("Canvas", D(50), percentage=gm.canvas_option2_percentage(
                D("92.5"), D("60"), False), is_canvas=True),
        ],
        True, "none", False, "86.25",
    ),
    (
        "option 2: final score when missing counts as zero",
        [
            TypeInput("HW", D(50), HW),
            TypeInput("Canvas", D(50), percentage=gm.canvas_option2_percentage(
                D("92.5"), D("60"), True), is_canvas=True),
        ],
        True, "none", True, "70.00",
    ),
    (
        "option 2 unweighted: the course score counts as 100 points",
        [
            TypeInput("HW", D(0), HW),
            TypeInput("Canvas", D(0), percentage=D(50), is_canvas=True),
        ],
        False, "none", False, "55.00",
    ),
    ("no graded work at all", [TypeInput("HW", D(100), [it(10)])],
     True, "normal", False, None),
    ("a zero-weight type does not count when weighted",
     [TypeInput("HW", D(0), HW), TypeInput("Tests", D(100), TESTS)],
     True, "none", False, "90.00"),
    # Thirds and sevenths do not divide out in decimals: exactly 80 and 62.5
    # must still round as 80 and 62.5, not as 79.999... or 62.4999...
    ("down: sevenths that make exactly 80 stay 80",
     [TypeInput("HW", D(10), [it(7, 4)]), TypeInput("Tests", D(40), [it(14, 12)])],
     True, "down", False, "80.00"),
    ("up: sevenths that make exactly 80 stay 80",
     [TypeInput("HW", D(10), [it(7, 4)]), TypeInput("Tests", D(40), [it(14, 12)])],
     True, "up", False, "80.00"),
    ("normal: thirds and sixths that make exactly 62.5 round up",
     [TypeInput("HW", D(50), [it(3, 1)]), TypeInput("Tests", D(70), [it(6, 5)])],
     True, "normal", False, "63.00"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("types", "weighted", "rounding", "missing_as_zero", "expected"),
    [case[1:] for case in WORKED],
    ids=[case[0] for case in WORKED],
)
def test_grade_math_worked_cases(types, weighted, rounding, missing_as_zero, expected):
    result = gm.gradebook(types, weighted, rounding, missing_as_zero)
    assert result.percentage == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("percentage", "letter"),
    [("95", "A"), ("90", "A"), ("89.99", "B"), ("60", "D"), ("0", "F"),
     ("120", "A"), (None, None)],
)  # fmt: skip
def test_letter_for_uses_highest_level_reached(percentage, letter):
    value = None if percentage is None else D(percentage)
    assert gm.letter_for(value, AF) == letter


def test_grade_points_of_letter():
    assert gm.grade_points("B", AF) == D("3.0")
    assert gm.grade_points("Z", AF) is None


def test_round_percentage_rejects_unknown_mode():
    with pytest.raises(ValueError):
        gm.round_percentage(D(1), "sideways")


def test_diverges_past_tolerance():
    assert gm.diverges(D("80"), D("81"))
    assert not gm.diverges(D("80"), D("80.4"))
    assert not gm.diverges(None, D("80"))


points_st = st.integers(min_value=0, max_value=200).map(D)


@st.composite
def items(draw, extra_credit=True):
    possible = draw(st.integers(min_value=1, max_value=100).map(D))
    top = possible * gm.SCORE_CAP if extra_credit else possible
    kind = draw(st.sampled_from(["score", "excused", "missing", "ungraded"]))
    earned = None
    if kind == "score":
        earned = draw(st.decimals(min_value=0, max_value=top, places=1))
    return Item(possible, earned, excused=kind == "excused", missing=kind == "missing")


@st.composite
def gradebooks(draw, extra_credit=True):
    count = draw(st.integers(min_value=1, max_value=4))
    types = [
        TypeInput(
            f"T{n}",
            draw(st.integers(min_value=0, max_value=60).map(D)),
            draw(st.lists(items(extra_credit), max_size=6)),
        )
        for n in range(count)
    ]
    return (
        types,
        draw(st.booleans()),
        draw(st.sampled_from(gm.ROUNDING_MODES)),
        draw(st.booleans()),
    )


def _with_item(types, index, item):
    index %= len(types)
    target = types[index]
    grown = TypeInput(target.name, target.weight, [*target.items, item])
    return [grown if n == index else t for n, t in enumerate(types)]


@settings(max_examples=300, deadline=None)
@given(gradebooks())
def test_percentage_stays_between_zero_and_extra_credit_bound(book):
    result = gm.gradebook(*book)
    if result.percentage is not None:
        assert D(0) <= result.percentage <= gm.HUNDRED * gm.SCORE_CAP


@settings(max_examples=300, deadline=None)
@given(gradebooks(extra_credit=False), st.integers(min_value=0), points_st)
def test_perfect_score_never_lowers_percentage(book, index, possible):
    types, weighted, rounding, missing = book
    possible = max(possible, D(1))
    before = gm.gradebook(types, weighted, rounding, missing)
    grown = _with_item(types, index, Item(possible, possible))
    after = gm.gradebook(grown, weighted, rounding, missing)
    if before.percentage is not None and after.percentage is not None:
        assert after.percentage >= before.percentage


@settings(max_examples=300, deadline=None)
@given(gradebooks(), st.integers(min_value=0), points_st)
def test_top_extra_credit_score_never_lowers_percentage(book, index, possible):
    types, weighted, rounding, missing = book
    possible = max(possible, D(1))
    before = gm.gradebook(types, weighted, rounding, missing)
    top = Item(possible, possible * gm.SCORE_CAP)
    after = gm.gradebook(_with_item(types, index, top), weighted, rounding, missing)
    if before.percentage is not None and after.percentage is not None:
        assert after.percentage >= before.percentage
