"""This module reads flow and scenario files from disk, and the built-in flows from the package."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from importlib import resources
from pathlib import Path

from flows.library import MemoryLibrary
from flows.loading import LoadedFlow, load_flow
from flows.problems import Problem

SCENARIO_SUFFIX = ".test.yaml"


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or a plain-words problem saying why it can't be read."""
    source = str(path)
    try:
        if path.is_dir():
            return None, Problem(
                "not_a_file", "This is a folder with no flow files (*.yaml) in it."
            ).in_file(source)
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Problem("no_file", "There is no such file.").in_file(source)
    except OSError as exc:
        return None, Problem("unreadable", f"The file can't be read: {exc.strerror}.").in_file(
            source
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, Problem(
            "not_text", "The file is not UTF-8 text; save it as UTF-8 and try again."
        ).in_file(source)


def load_flow_file(path: Path, known_flows: Collection[str] | None = None) -> LoadedFlow:
    text, problem = read_text(path)
    if text is None:
        return LoadedFlow(str(path), None, [problem] if problem else [])
    return load_flow(text, source=str(path), known_flows=known_flows)


def load_flow_files(paths: Iterable[Path], extra_ids: Collection[str] = ()) -> list[LoadedFlow]:
    """Load several flows, checking that the flows they run are among them (or `extra_ids`)."""
    paths = list(paths)
    first = [load_flow_file(path) for path in paths]
    known = {loaded.flow.id for loaded in first if loaded.flow} | set(extra_ids)
    return [load_flow_file(path, known) for path in paths]


def builtin_flow_paths() -> list[Path]:
    folder = resources.files("flows") / "builtin"
    return sorted(
        Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and not entry.name.endswith(SCENARIO_SUFFIX)
    )


def builtin_library() -> MemoryLibrary:
    """The flows that ship with Companion; a broken one is a bug, so it raises."""
    library = MemoryLibrary()
    for loaded in load_flow_files(builtin_flow_paths()):
        if not loaded.ok or loaded.flow is None:
            details = "; ".join(p.format() for p in loaded.problems)
            raise RuntimeError(f"A built-in flow is broken: {details}")
        library.publish(loaded.flow)
    return library
