"""This module benchmarks the safeguarding detector: building it (as the admin does after a
phrase is added) and checking messages for risk in every configured language.

Run: .venv/bin/python -m tests.benchmarks.bench_detector

The messages are the suite's own test set, risky and ordinary, in every language. The baseline,
timed in the same run on the same messages, is what every detection must do anyway: fold the
text and split it into words. Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.triage.phrases import read_words
from bot.triage.risk_files import known_languages
from bot.triage.safeguarding import Detector, builtin_phrases

SET = Path(__file__).parent.parent / "bot" / "triage" / "risk_set"
ROUNDS = 5
BUILDS = 10


def _messages() -> list[str]:
    texts: list[str] = []
    for path in sorted(SET.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [entry["text"] for entry in data.get("risky", [])]
        texts += [entry if isinstance(entry, str) else entry["text"] for entry in data["ordinary"]]
    return texts


def _per_message_us(work: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """Median over rounds of the mean time per message, and the p99 of single messages."""
    means, singles = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for text in texts:
            one = time.perf_counter()
            work(text)
            singles.append(time.perf_counter() - one)
        means.append((time.perf_counter() - started) / len(texts))
    singles.sort()
    return statistics.median(means) * 1e6, singles[int(len(singles) * 0.99)] * 1e6


def main() -> None:
    languages = known_languages()
    phrases = builtin_phrases()
    texts = _messages()
    builds = []
    for _ in range(BUILDS):
        started = time.perf_counter()
        detector = Detector(phrases, languages)
        builds.append(time.perf_counter() - started)
    detector.triage("warm up")
    mean, p99 = _per_message_us(detector.triage, texts)
    base_mean, base_p99 = _per_message_us(read_words, texts)
    print(f"{len(phrases)} phrases in {len(languages)} languages; {len(texts)} messages")
    print(
        f"build the detector: first {builds[0] * 1e3:.0f} ms, then (patterns cached, as after"
        f" a phrase is added in the admin) median {statistics.median(builds[1:]) * 1e3:.1f} ms"
    )
    print(f"detect: {mean:.1f} µs a message (p99 {p99:.1f} µs)")
    print(f"baseline, fold and split into words: {base_mean:.1f} µs (p99 {base_p99:.1f} µs)")


if __name__ == "__main__":
    main()
