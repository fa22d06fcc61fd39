"""This module checks that no two choices of a question can be answered the same way."""

from __future__ import annotations

from flows.problems import Problem
from flows.types import AskKind, Branches, Choice, Flow
from flows.understand.normalise import emoji_form, fold, split_words
from flows.understand.number_words import token_number


def check_choices(flow: Flow) -> list[Problem]:
    problems = []
    for step in flow.steps.values():
        if isinstance(step.exit, Branches) and step.exit.ask.kind is AskKind.CHOICE:
            for language in flow.languages:
                problems += _overlaps(step.id, step.exit.ask.choices, language)
    return problems


def _answers(choice: Choice, language: str) -> set[str]:
    """Every reply that names this choice outright (typos aside), in one comparable form."""
    answers = {str(choice.number)}
    for form in (choice.id, choice.labels.get(language, ""), *choice.words.get(language, ())):
        words = split_words(fold(form))
        number = token_number(words[0]) if len(words) == 1 else None
        answers.add(str(number) if number is not None else " ".join(words))
    answers |= {emoji_form(emoji) for emoji in choice.emoji}
    return answers - {""}


def _overlaps(step_id: str, choices: tuple[Choice, ...], language: str) -> list[Problem]:
    owner: dict[str, Choice] = {}
    problems = []
    for choice in choices:
        for answer in sorted(_answers(choice, language)):
            first = owner.setdefault(answer, choice)
            if first is not choice:
                problems.append(
                    Problem(
                        "choice_overlap",
                        f"'{answer}' ({language}) would answer both '{first.id}' and "
                        f"'{choice.id}'; a reply must point to one choice. Remove it from one.",
                        choice.line,
                        step_id,
                    )
                )
    return problems
