# syntax=docker/dockerfile:1
# One image for the API (`serve`, the default), the arq worker (`worker`) and migrations
# (`migrate`): the command picks the role.   docker build -t supportdesk .   (deploy/README.md)
#
# Base: the Docker Official Image python:3.11.17-slim-bookworm, pinned by its tag (what it is)
# and by the digest of its multi-platform index (what it is byte for byte: a re-pushed tag
# cannot change a build). Bump both together; `docker buildx imagetools inspect
# python:3.11-slim-bookworm` prints the current digest. Override with --build-arg PYTHON_IMAGE=
# to build from a mirror, keeping the @sha256 pin.
ARG PYTHON_IMAGE=python:3.11.17-slim-bookworm@sha256:2333bd330d12de02514770b3585cad313644316047cdee24a7acfdece6de6efb

# ---------------------------------------------------------------- builder
# Resolves and installs the runtime dependencies into /opt/venv. Every dependency ships
# manylinux wheels for CPython 3.11, so no compiler is needed (slim has none): wheels only,
# and a dependency that would need compiling fails the build here, by name.
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ONLY_BINARY=:all: \
    PIP_ROOT_USER_ACTION=ignore \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /build

# Dependencies first, against a stub package, so editing app/ does not reinstall them.
# README* is optional (pyproject names it); the glob keeps COPY from failing without it.
# The otel extra is in, so SUPPORTDESK_TRACING=true works (tracing is off by default).
COPY pyproject.toml README* ./
RUN mkdir app && touch app/__init__.py \
    && pip install "./[otel]" \
    && pip uninstall --yes supportdesk

# The package itself (runtime dependencies only: no dev or embedded extra), for the
# `supportdesk` console script. Then the installers go: the runtime venv needs no pip.
COPY app/ app/
RUN pip install --no-deps . \
    && pip uninstall --yes pip setuptools wheel

# ------------------------------------------------------------------ final
FROM ${PYTHON_IMAGE} AS runtime

ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="supportdesk" \
      org.opencontainers.image.description="Support Desk API, arq worker and migrations (command: serve | worker | migrate)" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11.17-slim-bookworm"

# PYTHONPATH: import `app` from /srv/supportdesk rather than site-packages, because
# `supportdesk migrate` finds alembic.ini relative to the app package (app/cli.py ROOT).
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/srv/supportdesk

# An unprivileged user with no shell; and no installers in the final image (the base's own
# pip/setuptools/wheel go too: nothing at run time installs packages).
RUN groupadd --system --gid "${APP_GID}" supportdesk \
    && useradd --system --uid "${APP_UID}" --gid supportdesk \
        --home-dir /srv/supportdesk --no-create-home --shell /usr/sbin/nologin supportdesk \
    && python -m pip uninstall --yes --disable-pip-version-check pip setuptools wheel

COPY --from=builder /opt/venv /opt/venv

# Migrations run from here: alembic.ini + migrations/ at the repo layout, app/ beside them.
# Everything is owned by root and read-only to the app user; bytecode is compiled now, so a
# read-only root filesystem costs nothing at start.
WORKDIR /srv/supportdesk
COPY alembic.ini ./
COPY migrations/ migrations/
COPY app/ app/
RUN python -m compileall -q app migrations

USER ${APP_UID}:${APP_GID}

EXPOSE 8000

# For the default role (`serve`) on SUPPORTDESK_PORT. Compose overrides it for `worker`
# (`supportdesk worker --check`) and turns it off for `migrate`; Kubernetes ignores it and
# uses the probes in deploy/k8s.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('SUPPORTDESK_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["supportdesk"]
CMD ["serve"]
