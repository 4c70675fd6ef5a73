# Shared by scripts/run and scripts/test: a virtual environment with the project installed.
# Usage: source scripts/bootstrap.sh [extras]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  # Debian ships venv/ensurepip separately.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  else echo "Install python3-venv first: sudo apt-get install python3-venv" >&2; exit 1; fi
fi
# WeasyPrint (documents) needs pango; a minimal Debian may lack it.
# (Read whole, not piped into `grep -q`: under pipefail, grep's early exit kills the writer
# with SIGPIPE, the pipeline fails, and a present library looks missing.)
libraries=$(ldconfig -p 2>/dev/null || true)
if [[ "$libraries" != *libpangoft2-1.0* ]]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
  else echo "Install pango first: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
EXTRAS="${1:-}"
STAMP=".venv/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  .venv/bin/python -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
