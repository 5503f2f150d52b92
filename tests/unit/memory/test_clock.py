from memory.clock import HybridClock, parse, upper_bound, wall_ms


def test_stamps_increase_even_when_the_wall_clock_stands_still() -> None:
    clock = HybridClock("dev", now_ms=lambda: 1000)
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    assert wall_ms(stamps[0]) == 1000


def test_observing_a_later_stamp_moves_the_clock_past_it() -> None:
    clock = HybridClock("a", now_ms=lambda: 1000)
    clock.observe("0000000005000.000003.b")
    assert parse(clock.now())[:2] == (5000, 4)


def test_upper_bound_sorts_after_every_stamp_of_that_millisecond() -> None:
    clock = HybridClock("zzz", now_ms=lambda: 42)
    assert clock.now() < upper_bound(42) < HybridClock("a", now_ms=lambda: 43).now()
