"""The flow engine: the authoring format, its validation, and pure, deterministic sessions."""
