# Shell functions shared by scripts/test (the README's test command) and .ci/run.
# Source it from the project root; it sets no shell options of its own.

# True when something accepts TCP connections on 127.0.0.1:$1.
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Root runs apt-get and service commands itself; anyone else only through sudo that asks
# no password (a test command must never hang on a prompt).
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# The README's install step, so the linters and the tests run from the very same venv; with it
# the generated Python client (clients/python) and the TypeScript client's packages, which
# `supportdesk openapi --check` and the clients' tests need.
ensure_venv() {
    python3 -m venv .venv \
        && .venv/bin/pip install -q --disable-pip-version-check -e '.[dev]' -e clients/python \
        && ensure_node_packages
}

# clients/typescript's packages exactly as its lockfile pins them (openapi-typescript, tsc,
# Spectral...), with Debian's nodejs and npm when the machine has none. npm ci runs again only
# when the lockfile changed since the last one.
ensure_node_packages() {
    local package=clients/typescript stamp=clients/typescript/node_modules/.installed-lock.json
    command -v npm >/dev/null || apt_install nodejs npm \
        || { echo "could not install nodejs and npm (needs root or passwordless sudo)" >&2; return 1; }
    cmp -s "$package/package-lock.json" "$stamp" && return 0
    echo "installing clients/typescript's npm packages"
    (cd "$package" && npm ci --no-audit --no-fund --loglevel=error) \
        && cp "$package/package-lock.json" "$stamp"
}

# apt-get install, quietly. A fresh machine may have no package lists yet: refresh them only
# when the install fails.
apt_install() {
    command -v apt-get >/dev/null || return 1
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@")
    as_root "${install[@]}" >/dev/null 2>&1 \
        || { as_root apt-get update -qq >/dev/null && as_root "${install[@]}" >/dev/null; }
}

# The widget's browser test drives Debian's Chromium and chromedriver (never a downloaded
# browser). Without them that test skips locally and fails under CI, so a failed install
# only warns here.
ensure_chromium() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return 0
    command -v apt-get >/dev/null || { echo "no apt-get: install chromium and chromedriver" >&2; return 0; }
    echo "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver \
        || echo "could not install chromium (needs root or passwordless sudo)" >&2
}

# Start the machine's PostgreSQL and Redis when they do not answer. When they still do not
# (not installed, no permission), tests/conftest.py starts embedded servers from their wheels.
ensure_services() {
    if ! answers 5432 && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        echo "starting PostgreSQL"
        as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
        wait_for 5432
    fi
    if ! answers 6379 && command -v redis-server >/dev/null; then
        echo "starting Redis"
        # No persistence: the tests flush it anyway. Its files stay in the ignored .supportdesk/.
        mkdir -p .supportdesk/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
            --dir "$PWD/.supportdesk/redis" --logfile "$PWD/.supportdesk/redis/redis.log" || true
        wait_for 6379
    fi
}

# Gives a just-started server up to 30 s to accept connections.
wait_for() { for _ in $(seq 1 30); do answers "$1" && return 0; sleep 1; done; return 0; }
