# Sourced by the other scripts in .ci/: makes ./.venv with the project and its dev tools installed.
# It reinstalls only when pyproject.toml or requirements.lock has changed, so a second run starts
# in a second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            python_bin="$candidate"
            break
        fi
    done
fi
if [ -z "$python_bin" ]; then
    echo "Companion needs Python 3.11; install it (Debian: apt-get install python3.11 python3.11-venv)." >&2
    exit 1
fi

# Installs exactly what requirements.lock names, checking every file's hash, then the project
# itself without dependencies; refresh the lock with .ci/lock.
stamp=".venv/.companion-installed"
wanted="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Setting up .venv from requirements.lock (Python: $("$python_bin" --version))…" >&2
    # --clear: a package dropped from the lock must not linger from an earlier install.
    "$python_bin" -m venv --clear .venv
    .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
    .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
    echo "$wanted" > "$stamp"
fi
