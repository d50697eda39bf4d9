"""Requests and answers as JSON, so a live seat's question and a person's answer can be events.

Every request type is a frozen dataclass subclassing ``Request[AnswerType]``; its answer type is
read from that generic base, and Pydantic's ``TypeAdapter`` turns both into JSON data and back. A
domain module therefore needs no codec of its own for its requests to travel through the log.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import TypeAdapter

from detente.seats.base import Request


class CodecError(TypeError):
    """A request type whose answer type cannot be found or encoded."""


def type_name(cls: type[Request[Any]]) -> str:
    """The stable kind a request type is recorded under (see :class:`Request`)."""
    return cls.request_kind


_answer_types: dict[str, Any] = {}


def answer_type(request_type: type[Request[Any]]) -> Any:
    """The `T` of ``Request[T]`` for a request class (searched along its bases)."""
    name = type_name(request_type)
    if name not in _answer_types:
        _answer_types[name] = _find_answer_type(request_type)
    return _answer_types[name]


def _find_answer_type(request_type: type[Request[Any]]) -> Any:
    for cls in request_type.__mro__:
        for base in getattr(cls, "__orig_bases__", ()):
            if get_origin(base) is Request:
                (found,) = get_args(base)
                return found
    raise CodecError(f"{request_type.__name__} does not subclass Request[AnswerType]")


_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> TypeAdapter[Any]:
    if tp not in _adapters:
        _adapters[tp] = TypeAdapter(tp)
    return _adapters[tp]


def encode_request(request: Request[Any]) -> dict[str, Any]:
    data = _adapter(type(request)).dump_python(request, mode="json")
    if not isinstance(data, dict):
        raise CodecError(f"{type(request).__name__} does not encode to an object")
    return data


def encode_answer(request_type: type[Request[Any]], answer: Any) -> dict[str, Any]:
    """An answer as a JSON object (non-object answers are wrapped as ``{"value": …}``)."""
    data = _adapter(answer_type(request_type)).dump_python(answer, mode="json")
    return data if isinstance(data, dict) else {"value": data}


def decode_answer(request_type: type[Request[Any]], data: dict[str, Any]) -> Any:
    tp = answer_type(request_type)
    adapter = _adapter(tp)
    try:
        return adapter.validate_python(data)
    except Exception:
        if set(data) == {"value"}:
            return adapter.validate_python(data["value"])
        raise
