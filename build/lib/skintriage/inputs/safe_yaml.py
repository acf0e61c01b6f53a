"""A YAML reader for data written by people: plain mappings, lists and scalars only.

PyYAML's own loaders expand aliases (a 9 KB "billion laughs" file becomes gigabytes), recurse once per
nesting level (``RecursionError``), fail on complex keys with ``TypeError`` and accept any size of integer.
This reader builds the data from the parser's event stream in one loop, so it never recurses, and refuses
each of those on the event that introduces it, with one plain message and the line it is on.
"""

from __future__ import annotations

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

MAX_DEPTH = 32
MAX_INT_DIGITS = 18

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SEQ_TAG, _MAP_TAG, _MERGE_TAG = _TAG + "seq", _TAG + "map", _TAG + "merge"
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster
_resolver = Resolver()
_resolved: dict[str, str] = {}
_constructor = SafeConstructor()


class YamlInputError(Exception):
    """``line`` is 1-based (0 if unknown); ``message`` says what to change in plain words."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        self.message, self.line, self.column = message, line, column
        super().__init__(f"line {line}, column {column}: {message}" if line else message)


def _error(message: str, event) -> YamlInputError:
    mark = event.start_mark
    return YamlInputError(message, mark.line + 1, mark.column + 1) if mark else YamlInputError(message)


#: First characters that can make a plain scalar anything but text (numbers, true, null, ~, <<, =...).
_MAY_RESOLVE = frozenset(k for k in _resolver.yaml_implicit_resolvers if k is not None)


def _scalar(event: events.ScalarEvent) -> object:
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        # Fast path (most of a case file): quoted text, or plain text no implicit type can start with.
        if not event.implicit[0] or (value and value[0] not in _MAY_RESOLVE):
            return value
        tag = _resolved.get(value) if len(value) <= 40 else None
        if tag is None:
            tag = _resolver.resolve(ScalarNode, value, event.implicit)
            if len(value) <= 40 and len(_resolved) < 4096:  # keys and short words repeat in every file
                _resolved[value] = tag
        if tag == _TAG + "str":
            return value
    if tag == _MERGE_TAG:
        raise _error("merge keys (<<) are not allowed: write the fields out in full", event)
    if tag not in _SCALAR_TAGS:
        raise _error(f"the YAML tag {tag!r:.60} is not allowed: write a plain value", event)
    if tag == _TAG + "int":
        digits = sum(c.isdigit() for c in event.value)
        if digits > MAX_INT_DIGITS:
            raise _error(f"number too long ({digits} digits; at most {MAX_INT_DIGITS})", event)
    try:
        return _constructor.yaml_constructors[tag](_constructor, ScalarNode(tag, event.value))
    except (ValueError, OverflowError, yaml.YAMLError):
        raise _error(f"cannot read {event.value[:40]!r} as {tag.removeprefix(_TAG)}", event) from None


class _Frame:
    __slots__ = ("container", "key", "has_key", "start")

    def __init__(self, container, start):
        self.container, self.key, self.has_key, self.start = container, None, False, start


def load(text: str) -> object:
    """The one document in ``text`` as dicts, lists and scalars, or YamlInputError (or yaml.YAMLError for
    syntax errors, which carry their own line)."""
    stack: list[_Frame] = []
    root: list = []
    documents = 0

    def place(value, event) -> None:
        if not stack:
            root.append(value)
            return
        frame = stack[-1]
        container = frame.container
        if type(container) is list:
            container.append(value)
        elif not frame.has_key:
            if value in container:
                raise _error(f"duplicate key {str(value)[:60]!r}", event)
            frame.key, frame.has_key = value, True
        else:
            container[frame.key] = value
            frame.has_key = False

    def open_container(container, event) -> None:
        if getattr(event, "anchor", None) is not None:
            raise _anchor(event)
        tag = event.tag
        if tag not in (None, "!", _SEQ_TAG, _MAP_TAG):
            raise _error(f"the YAML tag {tag!r:.60} is not allowed: write a plain list or mapping", event)
        if stack and isinstance(stack[-1].container, dict) and not stack[-1].has_key:
            raise _error("a key that is a list or mapping (complex key) is not allowed: keys are plain words", event)
        if len(stack) >= MAX_DEPTH:
            raise _error(f"nested too deeply (more than {MAX_DEPTH} levels)", event)
        stack.append(_Frame(container, event))

    parser = _PARSER(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is events.ScalarEvent:
                if event.anchor is not None:
                    raise _anchor(event)
                value = _scalar(event)
                if type(value) is not str and stack and type(stack[-1].container) is dict and not stack[-1].has_key:
                    if not isinstance(value, (int, float, bool)) and value is not None:
                        raise _error("a key must be a plain word", event)
                place(value, event)
            elif kind is events.MappingStartEvent:
                open_container({}, event)
            elif kind is events.SequenceStartEvent:
                open_container([], event)
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                place(stack.pop().container, event)
            elif kind is events.AliasEvent:
                raise _error("aliases (*name) are not allowed: write the value out in full", event)
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _error("more than one YAML document (---) in the file: one case per file", event)
            elif event is None or kind is events.StreamEndEvent:
                break
    finally:
        parser.dispose()
    return root[0] if root else None


def _anchor(event) -> YamlInputError:
    return _error(f"anchors (&{event.anchor[:30]}) are not allowed: write the value out in full", event)
