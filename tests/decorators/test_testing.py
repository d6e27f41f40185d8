"""The testing switch: on, off, nesting, attempt caps, argument checks."""

from __future__ import annotations

import pytest
from ml_infra.decorators import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    TestingMode,
    is_testing,
    retry,
    set_testing,
)


class TestSwitch:
    def test_off_by_default(self):
        """Testing mode starts off."""
        assert is_testing() is False

    def test_context_manager_restores_previous_mode(self):
        """Leaving the with-block restores the mode that was active before."""
        with set_testing(True) as mode:
            assert isinstance(mode, TestingMode)
            assert is_testing()
            with set_testing(False):
                assert not is_testing()
            assert is_testing()
        assert not is_testing()

    def test_plain_call_switches_until_switched_back(self):
        """set_testing used as a function stays in effect."""
        set_testing(True)
        assert is_testing()
        set_testing(False)
        assert not is_testing()

    def test_restored_even_when_block_raises(self):
        """An exception inside the block still restores the previous mode."""
        with pytest.raises(RuntimeError, match="inside"), set_testing(True):
            raise RuntimeError("inside")
        assert not is_testing()

    def test_cap_keeps_smaller_decorator_limits(self):
        """A cap above a decorator's own max_attempts leaves the decorator's limit."""
        calls = []

        @retry(max_attempts=2, delay=30.0)
        def always_fails() -> None:
            calls.append(1)
            raise ConnectionError("down")

        with set_testing(True, max_attempts=10), pytest.raises(ConnectionError, match="down"):
            always_fails()
        assert len(calls) == 2

    def test_cap_dropped_when_switching_off(self):
        """Switching testing off discards the cap."""
        calls = []

        @retry(max_attempts=3, delay=0.0)
        def flaky() -> str:
            calls.append(1)
            if len(calls) < 3:
                raise ConnectionError
            return "ok"

        with (
            set_testing(True, max_attempts=1),
            set_testing(False, max_attempts=1),
            pytest.MonkeyPatch.context() as mp,
        ):
            from ml_infra.decorators import _attempts

            mp.setattr(_attempts, "sleep", lambda s: None)
            assert flaky() == "ok"
        assert len(calls) == 3


class TestArguments:
    @pytest.mark.parametrize("value", [1, "yes", None])
    def test_testing_must_be_bool(self, value):
        """The switch takes True or False only."""
        with pytest.raises(InvalidArgumentTypeError, match="testing must be True or False"):
            set_testing(value)
        assert not is_testing()

    def test_cap_accepts_any_integral(self):
        """A numpy integer cap works and is normalized to int."""
        numpy = pytest.importorskip("numpy")
        calls: list[int] = []

        @retry(max_attempts=5, delay=1.0)
        def fail() -> None:
            calls.append(1)
            raise OSError("down")

        with (
            set_testing(True, max_attempts=numpy.int64(2)),
            pytest.raises(OSError, match="down") as info,
        ):
            fail()
        assert calls == [1, 1]
        assert "max_attempts=2 in testing mode reached" in info.value.__notes__[0]

    def test_cap_must_be_positive(self):
        """max_attempts=0 would never call the function: refused."""
        with pytest.raises(
            InvalidArgumentError, match=r"set_testing: max_attempts must be an integer >= 1"
        ):
            set_testing(True, max_attempts=0)
        assert not is_testing()
