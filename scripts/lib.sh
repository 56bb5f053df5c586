# Shared by scripts/start, scripts/test and .ci/run. Source it; do not run it.

# Create .venv with Python 3.11 and install Kinbridge into it (again only when
# pyproject.toml changes). $1 = "dev" also installs the test tools.
ensure_venv() {
  local extra="${1:-}"
  local python="${PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
    done
  fi
  if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "kinbridge: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $("$python" --version)"
    "$python" -m venv .venv
  fi
  local spec="."
  [ "$extra" = "dev" ] && spec=".[dev]"
  local stamp=".venv/.kinbridge-$(sha256sum pyproject.toml | cut -c1-16)-${extra:-base}"
  if [ ! -f "$stamp" ]; then
    echo "Installing Kinbridge and its dependencies into .venv"
    # This machine kind's pip config names local index folders that may be absent;
    # drop only that warning, keep every other message and pip's exit status.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" \
      2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    touch "$stamp"
  fi
}

# Debian's Chromium for the browser tests (never a downloaded browser build).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "kinbridge: the browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
}

ensure_gettext() {
  if command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    echo "kinbridge: gettext is needed: sudo apt-get install gettext" >&2
    exit 1
  fi
}

# Pango (WeasyPrint's text layout) and the DejaVu fonts for PDF exports.
# The tests read generated PDFs back as text and images (pdftotext, pdftoppm).
ensure_poppler() {
  command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && return
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's poppler-utils for the PDF tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "kinbridge: the PDF tests need poppler-utils: sudo apt-get install poppler-utils" >&2
    exit 1
  fi
}

ensure_pdf_libraries() {
  if ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" && [ -d /usr/share/fonts/truetype/dejavu ]; then
    return
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's pango and DejaVu fonts for PDF exports"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  else
    echo "kinbridge: PDF exports need pango and DejaVu fonts: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core" >&2
    exit 1
  fi
}

redis_up() {
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 \
    && [[ "$reply" == "+PONG"* ]]) 2>/dev/null
}

# Redis on 127.0.0.1:6379 for the task queue tests (with CI=true they fail without it):
# start it, installing Debian's redis-server first if it is missing.
ensure_redis() {
  if redis_up; then return; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Debian's redis-server for the task queue tests"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "kinbridge: the task queue tests need Redis: sudo apt-get install redis-server" >&2
      exit 1
    fi
  fi
  if ! redis_up; then
    echo "Redis is down; starting it"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
  fi
  for _ in $(seq 1 20); do redis_up && return; sleep 0.5; done
  echo "kinbridge: Redis on 127.0.0.1:6379 cannot be reached" >&2
  exit 1
}
