"""Hostile field values: never raise, never drop the record, always one strict line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import math
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import PurePosixPath
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ml_infra.logging import JsonFormatter, StructuredLogger


class ReprRaises:
    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class StrAndReprRaiseError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("str exploded")

    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Params:
    lr: float
    layers: list[int]


@dataclasses.dataclass
class Node:
    name: str
    parent: object = None


def self_list() -> list[object]:
    items: list[object] = [1]
    items.append(items)
    return items


def self_dict() -> dict[str, object]:
    mapping: dict[str, object] = {"a": 1}
    mapping["me"] = mapping
    return mapping


def self_dataclass() -> Node:
    node = Node("root")
    node.parent = node
    return node


def deep(levels: int) -> object:
    value: object = "bottom"
    for _ in range(levels):
        value = {"d": value}
    return value


def generator() -> object:
    return (i for i in range(3))


# (id, value factory, expected value under context["v"], or a predicate)
HOSTILE = [
    ("nan", lambda: float("nan"), "NaN"),
    ("inf", lambda: math.inf, "Infinity"),
    ("-inf", lambda: -math.inf, "-Infinity"),
    ("nan-in-list", lambda: [1.0, float("nan")], [1.0, "NaN"]),
    ("np-float64", lambda: np.float64(0.25), 0.25),
    ("np-float32", lambda: np.float32(0.5), 0.5),
    ("np-float32-nan", lambda: np.float32("nan"), "NaN"),
    ("np-int64", lambda: np.int64(7), 7),
    ("np-uint8", lambda: np.uint8(255), 255),
    ("np-bool", lambda: np.bool_(True), True),
    ("np-array-1d", lambda: np.array([1, 2, 3]), [1, 2, 3]),
    ("np-array-2d-float", lambda: np.array([[0.5, np.inf]]), [[0.5, "Infinity"]]),
    ("np-array-empty", lambda: np.array([]), []),
    ("np-array-large", lambda: np.zeros(5000), lambda v: v.startswith("array([0., 0., 0., ...")),
    ("np-datetime64", lambda: np.datetime64("2024-01-02"), "2024-01-02"),
    # tolist() would give nanosecond values as bare ints, read as seconds by anyone
    (
        "np-datetime64-ns",
        lambda: np.datetime64("2024-01-02T03:04:05.123456789"),
        "2024-01-02T03:04:05.123456789",
    ),
    ("np-datetime64-nat", lambda: np.datetime64("NaT", "ns"), "NaT"),
    (
        "np-datetime64-ns-array",
        lambda: np.array(["2024-01-02", "NaT"], dtype="M8[ns]"),
        ["2024-01-02T00:00:00.000000000", "NaT"],
    ),
    ("np-timedelta64-ns", lambda: np.timedelta64(1_500_000_000, "ns"), 1.5),
    ("np-timedelta64-array", lambda: np.array([1500, 2], dtype="m8[ms]"), [1.5, 0.002]),
    (
        "pd-timestamp",
        lambda: pd.Timestamp("2024-01-02 03:04:05.5", tz="UTC"),
        "2024-01-02T03:04:05.500000+00:00",
    ),
    ("pd-timedelta", lambda: pd.Timedelta(seconds=2.5), 2.5),
    (
        "pd-datetime-series",
        lambda: pd.Series(pd.to_datetime(["2024-01-02"]), index=[7]),
        ["2024-01-02T00:00:00"],
    ),
    (
        "datetime-aware",
        lambda: dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "2024-01-02T03:04:05+00:00",
    ),
    ("datetime-naive", lambda: dt.datetime(2024, 1, 2, 3, 4, 5, 6), "2024-01-02T03:04:05.000006"),
    ("date", lambda: dt.date(2024, 1, 2), "2024-01-02"),
    ("time", lambda: dt.time(3, 4), "03:04:00"),
    ("timedelta", lambda: dt.timedelta(minutes=1, milliseconds=500), 60.5),
    ("bytes-utf8", lambda: b"ok", "ok"),
    ("bytes-binary", lambda: b"\xff\x00", "\\xff\x00"),
    ("bytearray", lambda: bytearray(b"ab"), "ab"),
    ("set", lambda: {3, 1, 2}, [1, 2, 3]),
    ("frozenset", lambda: frozenset({"b", "a"}), ["a", "b"]),
    ("set-mixed", lambda: {1, "a"}, lambda v: sorted(map(str, v)) == ["1", "a"]),
    ("dataclass", lambda: Params(0.1, [1, 2]), {"lr": 0.1, "layers": [1, 2]}),
    ("dataclass-nan", lambda: Params(float("nan"), []), {"lr": "NaN", "layers": []}),
    ("dataclass-cycle", self_dataclass, {"name": "root", "parent": "<cycle>"}),
    ("repr-raises", ReprRaises, lambda v: v.startswith("<unrepresentable") and "RuntimeError" in v),
    ("exception", lambda: ValueError("bad"), "ValueError: bad"),
    ("exception-hostile", StrAndReprRaiseError, lambda v: "unrepresentable" in v),
    ("int-keys", lambda: {1: "a", 2: "b"}, {"1": "a", "2": "b"}),
    ("tuple-keys", lambda: {(1, 2): "a"}, {"(1, 2)": "a"}),
    ("none-bool-float-keys", lambda: {None: 1, True: 2, 1.5: 3}, {"null": 1, "true": 2, "1.5": 3}),
    ("colliding-keys", lambda: {1: "int", "1": "str"}, {"1": "int", "1#2": "str"}),
    ("colliding-keys-3", lambda: {1: "i", "1": "s", b"1": "b"}, {"1": "i", "1#2": "s", "1#3": "b"}),
    ("self-list", self_list, [1, "<cycle>"]),
    ("self-dict", self_dict, {"a": 1, "me": "<cycle>"}),
    ("shared-not-cyclic", lambda: [[1], [1]], [[1], [1]]),
    ("deep", lambda: deep(100), lambda v: "<max depth exceeded>" in str(v)),
    ("huge-int", lambda: 10**5000, "<int of 16610 bits>"),
    ("big-int", lambda: 2**100, 2**100),
    ("large-string", lambda: "x" * 50_000, "x" * 10_000 + "...[truncated 40000 chars]"),
    ("decimal", lambda: Decimal("1.10"), "1.10"),
    ("uuid", lambda: uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ("path", lambda: PurePosixPath("/data/x.csv"), "/data/x.csv"),
    ("enum", lambda: Color.RED, "red"),
    ("ordered-dict", lambda: OrderedDict(b=1, a=2), {"b": 1, "a": 2}),
    ("mapping-proxy", lambda: MappingProxyType({"k": 1}), {"k": 1}),
    ("generator-not-consumed", generator, lambda v: v.startswith("<generator object")),
    ("type-object", lambda: int, "<class 'int'>"),
    ("lone-surrogate", lambda: "a\udc80b", "a\udc80b"),
]


class ItemsRaise(dict[str, object]):
    def items(self):  # type: ignore[override]
        raise RuntimeError("items exploded")


class LeakyMapping(Mapping[str, str]):
    def __getitem__(self, key: str) -> str:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("iteration exploded")

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return "LeakyMapping(password='hunter2')"


def check(value: object, expected: object) -> None:
    if callable(expected):
        assert expected(value), value
    else:
        assert value == expected


class TestHostileValues:
    @pytest.mark.parametrize(
        ("value_factory", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
    )
    def test_value_passed_as_stdlib_extra(self, capture, value_factory, expected) -> None:
        """A hostile extra= value is written (converted and marked) in one strict line."""
        capture.logger.info("m", extra={"v": value_factory(), "after": "kept"})
        record = capture.one()
        check(record["context"]["v"], expected)  # type: ignore[index]
        assert record["context"]["after"] == "kept"  # type: ignore[index]
        assert record["message"] == "m"

    @pytest.mark.parametrize(
        ("value_factory", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
    )
    def test_value_passed_as_structured_field(self, capture, value_factory, expected) -> None:
        """The same values given to StructuredLogger, bound or per call, are written too."""
        log = StructuredLogger(capture.name, bound=value_factory())
        log.warning("m", v=value_factory())
        record = capture.one()
        check(record["context"]["v"], expected)  # type: ignore[index]
        check(record["context"]["bound"], expected)  # type: ignore[index]

    def test_hostile_message_object_is_logged(self, strict_json) -> None:
        """A message object whose str and repr raise still gives a record."""
        # Formatted directly: pytest's own capture handlers would raise on this record.
        record = logging.LogRecord("t", logging.INFO, __file__, 1, StrAndReprRaiseError(), (), None)
        line = strict_json(JsonFormatter().format(record))
        assert "unrepresentable" in line["message"]  # type: ignore[operator]

    def test_long_message_is_truncated_and_marked(self, make_capture) -> None:
        """Strings are capped at max_string_length, including the message."""
        capture = make_capture(JsonFormatter(max_string_length=100))
        capture.logger.info("y" * 250)
        assert capture.one()["message"] == "y" * 100 + "...[truncated 150 chars]"

    def test_caller_values_are_not_modified(self, capture) -> None:
        """Sanitizing and redacting never mutate the caller's objects."""
        payload = {"password": "p", "nested": [{"token": "t"}], "x": float("nan")}
        capture.logger.info("m", extra={"payload": payload})
        assert payload["password"] == "p"
        assert payload["nested"] == [{"token": "t"}]
        assert capture.one()["context"]["payload"]["password"] == "[REDACTED]"  # type: ignore[index]

    def test_container_whose_iteration_raises_is_marked_not_leaked(self, capture) -> None:
        """A dict subclass whose items() raises becomes a marker; its secret is not written."""
        log = StructuredLogger(capture.name)
        log.info("m", v=ItemsRaise(password="hunter2"), after=float("nan"))
        record = capture.one()
        assert record["context"] == {
            "v": f"<unrepresentable {__name__}.ItemsRaise object: iteration raised RuntimeError>",
            "after": "NaN",
        }
        assert "hunter2" not in capture.stream.getvalue()

    def test_object_whose_conversion_raises_is_marked_not_leaked(self, capture) -> None:
        """A mapping that fails to convert is not written as its repr (which shows the secret)."""
        capture.logger.info("m", extra={"v": LeakyMapping()})
        assert capture.one()["context"]["v"] == (  # type: ignore[index]
            f"<unrepresentable {__name__}.LeakyMapping object: conversion raised RuntimeError>"
        )

    def test_max_array_size_zero_summarises_every_array(self, make_capture) -> None:
        """max_array_size bounds which arrays are listed element by element."""
        capture = make_capture(JsonFormatter(max_array_size=2))
        capture.logger.info("m", extra={"small": np.array([1, 2]), "big": np.array([1, 2, 3])})
        context = capture.one()["context"]
        assert context["small"] == [1, 2]  # type: ignore[index]
        assert context["big"] == "array([1, 2, 3])"  # type: ignore[index]


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.binary(max_size=20),
    st.datetimes(),
    st.decimals(allow_nan=True),
    st.builds(np.float32, st.floats(width=32)),
    st.builds(np.int64, st.integers(-(2**63), 2**63 - 1)),
    st.builds(ReprRaises),
)
hostile_trees = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers(), st.none()), children, max_size=4
        ),
        st.frozensets(st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    ),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # strict_json is stateless
@given(value=hostile_trees, key=st.text(max_size=12))
def test_any_value_under_any_key_yields_one_strict_line(
    value: object, key: str, strict_json
) -> None:
    """Property: arbitrary nested hostile values never raise and yield one strict line."""
    record = logging.LogRecord("prop", logging.INFO, __file__, 1, "m", (), None)
    record.__dict__["ml_infra_fields"] = {key: value, "other": 1}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert line.isascii()
    parsed = strict_json(line)
    assert parsed["message"] == "m"
    assert parsed["context"]["other"] == 1  # type: ignore[index]
    assert len(parsed["context"]) == (1 if key == "other" else 2)  # type: ignore[arg-type]


class AttrsLike:
    """Mimics an attrs class: fields listed in __attrs_attrs__."""

    class _Attribute:
        def __init__(self, name: str) -> None:
            self.name = name

    __attrs_attrs__ = (_Attribute("x"), _Attribute("api_key"))

    def __init__(self) -> None:
        self.x = 1
        self.api_key = "k"


class PydanticLike:
    """Mimics a pydantic v2 model: model_dump() returns a dict."""

    def model_dump(self) -> dict[str, object]:
        return {"name": "m", "score": float("inf")}


class FakeNumpyScalar:
    """A numpy-module object without tolist(): written as its repr."""

    def __repr__(self) -> str:
        return "fake()"


FakeNumpyScalar.__module__ = "numpy.fake"


class TestDuckTypes:
    def test_attrs_like_objects_become_redacted_dicts(self, capture) -> None:
        """attrs instances are written as objects, redacted like dicts."""
        capture.logger.info("m", extra={"v": AttrsLike()})
        assert capture.one()["context"] == {"v": {"x": 1, "api_key": "[REDACTED]"}}

    def test_pydantic_like_objects_use_model_dump(self, capture) -> None:
        """Objects with model_dump() are written as its dict, sanitized."""
        capture.logger.info("m", extra={"v": PydanticLike()})
        assert capture.one()["context"] == {"v": {"name": "m", "score": "Infinity"}}

    def test_array_module_object_without_tolist_is_its_repr(self, capture) -> None:
        """An object from an array library without tolist() falls back to repr."""
        capture.logger.info("m", extra={"v": FakeNumpyScalar()})
        assert capture.one()["context"] == {"v": "fake()"}


class SelfListing:
    """An array-library object whose tolist() returns another of its kind."""

    def tolist(self) -> object:
        return SelfListing()

    def __repr__(self) -> str:
        return "SelfListing()"


SelfListing.__module__ = "torch.fake"


def test_conversion_that_returns_its_own_type_stops_at_repr(capture) -> None:
    """A conversion that makes no progress is written as the object's repr."""
    capture.logger.info("m", extra={"v": SelfListing()})
    assert capture.one()["context"] == {"v": "SelfListing()"}


class LyingList(list[object]):
    """A list whose len() overstates and whose iteration never ends."""

    def __len__(self) -> int:
        return super().__len__() + 3

    def __iter__(self) -> Iterator[object]:
        while True:
            yield 1.0


class LyingTuple(tuple[object, ...]):
    """A tuple whose iteration lies."""

    def __iter__(self) -> Iterator[object]:
        return iter(["lie"])


@pytest.mark.parametrize("redact", [True, False])
def test_list_and_tuple_subclasses_are_read_from_their_storage(make_capture, redact) -> None:
    """A list or tuple subclass whose iteration lies (or never ends) is written as the items
    it holds, on the fast and the sanitizing path (the C encoder would follow __iter__)."""
    capture = make_capture(JsonFormatter(redact=redact))
    value = {"a": LyingList([1, {"password": "pw"}]), "t": LyingTuple((2, 3))}
    capture.logger.info("m", extra={"v": value})
    capture.logger.info("m", extra={"v": value, "nan": float("nan")})
    secret = "[REDACTED]" if redact else "pw"
    expected = {"a": [1, {"password": secret}], "t": [2, 3]}
    assert [record["context"]["v"] for record in capture.records()] == [expected, expected]  # type: ignore[index]
