"""Status list indexes from a keyed permutation of the list's counter: unique, in range, unrelated to the order of
issuance (S21), different for every list."""

from __future__ import annotations

import pytest

from app.badges.index_permutation import new_seed, permuted_index
from app.services.status import LIST_SIZE


def _spearman(values: list[int]) -> float:
    ranks = {value: rank for rank, value in enumerate(sorted(values))}
    n = len(values)
    d2 = sum((order - ranks[value]) ** 2 for order, value in enumerate(values))
    return 1 - 6 * d2 / (n * (n * n - 1))


@pytest.mark.parametrize("size", [2, 3, 1000, 4096, 5000])
def test_every_counter_gets_its_own_index_in_range(size: int) -> None:
    seed = new_seed()
    assert sorted(permuted_index(seed, counter, size) for counter in range(size)) == list(range(size))


def test_the_first_thousands_of_a_full_size_list_are_unique_and_spread() -> None:
    seed = new_seed()
    indexes = [permuted_index(seed, counter, LIST_SIZE) for counter in range(5000)]
    assert len(set(indexes)) == 5000 and all(0 <= i < LIST_SIZE for i in indexes)
    assert abs(_spearman(indexes)) < 0.1  # S21: the index says nothing of when the badge was issued
    assert min(indexes) < LIST_SIZE // 10 and max(indexes) > LIST_SIZE * 9 // 10


def test_two_lists_order_their_indexes_differently() -> None:
    first, second = new_seed(), new_seed()
    assert [permuted_index(first, c, LIST_SIZE) for c in range(50)] != \
        [permuted_index(second, c, LIST_SIZE) for c in range(50)]


def test_the_same_seed_gives_the_same_index() -> None:
    seed = new_seed()
    assert permuted_index(seed, 12345, LIST_SIZE) == permuted_index(seed, 12345, LIST_SIZE)


@pytest.mark.parametrize(("counter", "size"), [(-1, 10), (10, 10), (0, 1)])
def test_a_counter_outside_the_list_is_refused(counter: int, size: int) -> None:
    with pytest.raises(ValueError):
        permuted_index(new_seed(), counter, size)
