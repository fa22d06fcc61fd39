"""This module checks a flow's shape: its start, where steps go, what is unreachable or loops."""

from __future__ import annotations

from rapidfuzz import process

from flows.problems import Problem, Severity
from flows.types import END, NO_RESPONSE, OTHER, THEN, AskKind, Branches, Flow
from flows.validation.walk import edges


def check_graph(flow: Flow) -> list[Problem]:
    problems: list[Problem] = []
    if flow.start not in flow.steps:
        problems.append(
            Problem(
                "missing_start",
                f"The flow starts at '{flow.start}', but there is no step called that."
                + _suggest(flow, flow.start),
                1,
            )
        )
    for step in flow.steps.values():
        for edge in edges(step):
            if edge.target != END and edge.target not in flow.steps:
                problems.append(
                    Problem(
                        "missing_step",
                        f"{edge.label} points to '{edge.target}', but there is no step "
                        f"called that.{_suggest(flow, edge.target)}",
                        edge.line,
                        step.id,
                    )
                )
        if step.exit is None:
            problems.append(
                Problem(
                    "dead_end",
                    "The step does not say what happens next. End it with 'go: <step>', "
                    "'ask:' and 'branches:', 'run:' and 'then:', or 'end: true'.",
                    step.line,
                    step.id,
                )
            )
        if isinstance(step.exit, Branches):
            problems += _check_branches(step.id, step.exit)
    problems += _unreachable(flow) + _loops(flow)
    return problems


def _suggest(flow: Flow, name: str) -> str:
    match = process.extractOne(name, list(flow.steps), score_cutoff=60)
    return f" Did you mean '{match[0]}'?" if match else ""


def _check_branches(step_id: str, branches: Branches) -> list[Problem]:
    ask, problems = branches.ask, []
    if THEN in branches.targets:
        uncovered: list[str] = []
    else:
        uncovered = [o for o in ask.outcomes() if o not in branches.targets]
    if ask.timeout is None and NO_RESPONSE in uncovered:
        uncovered.remove(NO_RESPONSE)
    if ask.kind is AskKind.TEXT and OTHER in uncovered:
        uncovered.remove(OTHER)  # any text is an answer
    for outcome in uncovered:
        what = {
            OTHER: "a reply that is still not understood after re-asking",
            NO_RESPONSE: "no reply before the timeout",
        }.get(outcome, f"the answer '{outcome}'")
        problems.append(
            Problem(
                "missing_branch",
                f"Nothing says where {what} goes. Add '{outcome}: <step>' under 'branches' "
                "(or 'then: <step>' for every answer not named).",
                branches.line,
                step_id,
            )
        )
    if ask.timeout is None and NO_RESPONSE in branches.targets:
        problems.append(
            Problem(
                "no_timeout",
                "'no_response' can never happen because the question has no 'timeout'. "
                "Add one, e.g. 'timeout: 1d'.",
                branches.line,
                step_id,
                Severity.WARNING,
            )
        )
    for reminder in ask.reminders:
        if ask.timeout is not None and reminder.after >= ask.timeout:
            problems.append(
                Problem(
                    "late_reminder",
                    "This reminder comes at or after the timeout, so it is never sent; make "
                    "its 'after' shorter than the timeout.",
                    reminder.line,
                    step_id,
                    Severity.WARNING,
                )
            )
    return problems


def _unreachable(flow: Flow) -> list[Problem]:
    if flow.start not in flow.steps:
        return []
    seen, todo = {flow.start}, [flow.start]
    while todo:
        for edge in edges(flow.steps[todo.pop()]):
            if edge.target in flow.steps and edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return [
        Problem(
            "unreachable",
            "No path from the start leads to this step, so it can never run. "
            "Point a 'go' or a branch at it, or remove it.",
            step.line,
            step.id,
        )
        for step in flow.steps.values()
        if step.id not in seen
    ]


def _loops(flow: Flow) -> list[Problem]:
    """Cycles made only of steps that never wait for the resident."""
    graph = {
        step.id: [e.target for e in edges(step) if not e.after_wait and e.target in flow.steps]
        for step in flow.steps.values()
    }
    problems, reported, state = [], set[frozenset[str]](), dict[str, int]()
    for root in graph:
        if state.get(root):
            continue
        path: list[str] = []
        stack = [(root, iter(graph[root]))]
        state[root] = 1
        path.append(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycle = path[path.index(child) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    route = " → ".join([*cycle, child])
                    problems.append(
                        Problem(
                            "loop_without_wait",
                            f"The steps {route} go round and round without asking anything, so "
                            "the resident would get messages for ever. Add a question to the "
                            "loop, or a way out of it.",
                            flow.steps[child].line,
                            child,
                        )
                    )
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph[child])))
    return problems
