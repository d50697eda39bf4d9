"""How a person answers a request in the app: one form per request type.

A seat request (`Request[T]` asked of a delegation) or a facilitator decision becomes answerable in
the app when a form is registered for its type: a template fragment that renders the fields (under
``templates/web/forms/``) and a parser that turns the submitted fields into the answer, raising
:class:`FormError` with a message for the person when the input is not acceptable. A request type
without a form is still shown (the delegation sees that the facilitator must hand the seat to a
simulated seat; a decision without a form is taken automatically).

Plugins register their forms from :func:`detente.hooks.detente_web_forms`, called the first time
the app looks a form up (:func:`load`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from detente import plugins
from detente.seats.base import Request
from detente.web.codec import type_name

R = TypeVar("R", bound=Request[Any])
Fields = Mapping[str, str]


class FormError(ValueError):
    """The submitted fields do not make an answer. `msgid` is a catalog message (with
    `%(name)s` placeholders filled from `params`), shown translated next to the form."""

    def __init__(self, msgid: str, **params: str | int) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params


@dataclass(frozen=True)
class Form(Generic[R]):
    """The form for one request type."""

    request_type: type[R]
    template: str
    """Template (under templates/web/forms/) rendering the fields; gets `request`, `draft`."""
    parse: Callable[[R, Fields], Any]
    """Submitted fields → the answer (raises :class:`FormError`)."""
    title: Callable[[R], tuple[str, dict[str, str]]]
    """A one-line title: a catalog message and its `%(name)s` parameters."""
    assemble: Callable[[R, Mapping[str, Mapping[str, str]]], Any] | None = None
    """For a *member ballot* (votes, ratings: every member answers for themselves): `parse`
    turns one member's submitted fields into their marks (item id → value), each submission is
    kept as a draft, and `assemble(request, {seat position: marks})` makes the delegation's
    answer when the facilitator closes the ballot. None for a request the delegation answers
    once, together."""
    check: Callable[[R, Any, Any], None] | None = None
    """An optional check of the parsed answer against the served meeting (`(request, answer,
    controller)`, raises :class:`FormError`), e.g. an override's effects against the scenario."""
    too_late: Callable[[Fields], None] | None = None
    """For a decision: says why `fields` submitted after the decision was taken are refused when
    the form can say better than "already taken" (raises :class:`FormError`, e.g. editing
    statements once voting opened); returning means the general refusal."""

    @property
    def member_ballot(self) -> bool:
        return self.assemble is not None


_seat_forms: dict[str, Form[Any]] = {}
_decision_forms: dict[str, Form[Any]] = {}
_types: dict[str, type[Request[Any]]] = {}


def load() -> None:
    """Have every plugin register its forms (each plugin once)."""
    plugins.load_once("detente_web_forms", lambda: [*_seat_forms, *_decision_forms])


def seat_form(form: Form[Any]) -> Form[Any]:
    """Register the form a delegation uses to answer one request type."""
    _seat_forms[type_name(form.request_type)] = form
    _types[type_name(form.request_type)] = form.request_type
    return form


def decision_form_for(form: Form[Any]) -> Form[Any]:
    """Register the form the facilitator uses for one decision type."""
    _decision_forms[type_name(form.request_type)] = form
    _types[type_name(form.request_type)] = form.request_type
    return form


def seat_form_named(name: str) -> Form[Any] | None:
    load()
    return _seat_forms.get(name)


def decision_form_named(name: str) -> Form[Any] | None:
    load()
    return _decision_forms.get(name)


def decision_form(request_type: type[Request[Any]]) -> Form[Any] | None:
    return decision_form_named(type_name(request_type))


def rebuild_request(name: str, data: Mapping[str, Any]) -> Request[Any] | None:
    """The request object recorded as (`request_type`, `request`), when its type has a form."""
    load()
    tp = _types.get(name)
    if tp is None:
        return None
    value: Request[Any] = TypeAdapter(tp).validate_python(dict(data))
    return value


def field(fields: Fields, name: str, *, required: bool = True, limit: int = 4000) -> str:
    """One stripped text field; FormError when required and empty, or longer than `limit`."""
    value = (fields.get(name) or "").strip()
    if required and not value:
        raise FormError("Please fill in every required field.")
    if len(value) > limit:
        raise FormError("A field is longer than %(limit)s characters.", limit=limit)
    return value
