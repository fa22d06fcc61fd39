"""The YAML authoring format: loading files, upgrading old formats and compiling to a `Flow`."""
