"""This module compiles and renders message templates in Jinja2's sandbox, and checks their names.

Templates reach only the plain values the bot hands in (see `flows.context`), never Python
objects, and the sandbox refuses attribute tricks on top of that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.runtime import new_context
from jinja2.sandbox import SandboxedEnvironment

from flows.context import RESULTS, VARIABLES

_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


class TemplateError(ValueError):
    """A template that does not parse; `line` is relative to the template's first line."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Reference:
    """One `namespace.field` a template names (field is "" for a bare namespace)."""

    namespace: str
    field: str


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    source: str
    references: tuple[Reference, ...]
    _template: Any  # jinja2.Template, or None for plain text
    #: Names the template checks before use (`{% if event.welcome %}`, `| default`), so their
    #: absence is expected rather than a mistake.
    optional: frozenset[Reference] = frozenset()
    #: The template's globals (range, dict, namespace...), copied once.
    _globals: Mapping[str, Any] = field(default_factory=dict)

    def render(self, values: Mapping[str, Any]) -> str:
        if self._template is None:
            return self.source
        # As Template.render, without copying the template's globals (a ChainMap, slow to
        # iterate) twice on every call: they are copied once, at compile time, and handed in
        # with the values as the context's own (shared=True), which halves the cost of a message.
        template = self._template
        merged = {**self._globals, **values}
        context = new_context(_ENV, template.name, template.blocks, merged, shared=True)
        return str(_ENV.concat(template.root_render_func(context))).strip()

    def missing(self, values: Mapping[str, Any]) -> list[str]:
        """The names this template uses that `values` does not have, as `resident.first_name`."""
        absent: list[str] = []
        for ref in self.references:
            if ref in self.optional:
                continue
            space = values.get(ref.namespace)
            if space is None or (ref.field and space.get(ref.field) in (None, "")):
                absent.append(f"{ref.namespace}.{ref.field}" if ref.field else ref.namespace)
        return absent


@lru_cache(maxsize=8192)
def compile_template(source: str) -> CompiledTemplate:
    """Compile once; raise `TemplateError` when the text is not a valid template."""
    if "{" not in source:
        return CompiledTemplate(source, (), None)
    try:
        tree = _ENV.parse(source)
        template = _ENV.from_string(tree)
    except TemplateSyntaxError as exc:
        raise TemplateError(_explain_syntax(exc), exc.lineno) from exc
    references = tuple(dict.fromkeys(_references(tree)))
    return CompiledTemplate(
        source, references, template, frozenset(_guarded(tree)), dict(template.globals)
    )


def _explain_syntax(exc: TemplateSyntaxError) -> str:
    return (
        f"The message's {{{{ … }}}} part does not parse: {exc.message}. "
        "Write names like {{ resident.preferred_name }}, with two braces on each side."
    )


def _references(tree: nodes.Template) -> Iterator[Reference]:
    bound = {
        target.name for target in tree.find_all(nodes.Name) if target.ctx in ("store", "param")
    }
    yield from _walk(tree, bound)


def _guarded(tree: nodes.Template) -> Iterator[Reference]:
    """Names tested by an `if` (or a conditional expression) or given a `default`."""
    for node in tree.find_all((nodes.If, nodes.CondExpr, nodes.Filter)):
        if isinstance(node, nodes.Filter):
            if node.name == "default" and node.node is not None:
                yield from _walk(node.node, set())
        elif isinstance(node, (nodes.If, nodes.CondExpr)):
            yield from _walk(node.test, set())


def _walk(node: nodes.Node, bound: set[str]) -> Iterator[Reference]:
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        if node.node.name not in bound:
            yield Reference(node.node.name, node.attr)
        return
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.node, nodes.Name)
        and isinstance(node.arg, nodes.Const)
    ):
        if node.node.name not in bound:
            yield Reference(node.node.name, str(node.arg.value))
        return
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name not in bound:
            yield Reference(node.name, "")
        return
    for child in node.iter_child_nodes():
        yield from _walk(child, bound)


def unknown_names(
    template: CompiledTemplate, saved_results: set[str], extra: frozenset[str] = frozenset()
) -> list[str]:
    """Plain-words descriptions of every name the template uses that no session will have.

    `extra` are bare names this one message may also use, like `options` in a clarifying question.
    """
    problems: list[str] = []
    for ref in template.references:
        if ref.namespace in extra and not ref.field:
            continue
        if ref.namespace == RESULTS:
            if ref.field and ref.field not in saved_results:
                problems.append(
                    f"'results.{ref.field}' is not saved by any step of this flow "
                    "(save it with save_as, or check the spelling)"
                )
            continue
        fields = VARIABLES.get(ref.namespace)
        if fields is None:
            known = ", ".join([*VARIABLES, RESULTS])
            problems.append(f"'{ref.namespace}' is not something a message can name (use {known})")
        elif not ref.field:
            problems.append(
                f"'{ref.namespace}' needs a field, e.g. '{ref.namespace}.{next(iter(fields))}'"
            )
        elif ref.field not in fields:
            known = ", ".join(fields)
            problems.append(
                f"'{ref.namespace}.{ref.field}' is not known; {ref.namespace} has: {known}"
            )
    return problems
