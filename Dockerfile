# syntax=docker/dockerfile:1
# One image for the API (`serve`, default), the arq worker (`worker`) and migrations
# (`migrate`):  docker build -t supportdesk .   — see deploy/README.md.

# ---------------------------------------------------------------- builder
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /build

# Dependencies first, against a stub package, so editing app/ does not reinstall them.
# README* is optional (pyproject names it); the glob keeps COPY from failing without it.
COPY pyproject.toml README* ./
RUN mkdir app && touch app/__init__.py \
    && pip install . \
    && pip uninstall --yes supportdesk

# The real package (runtime dependencies only: no [dev] extra).
COPY app/ app/
RUN pip install --no-deps .

# ------------------------------------------------------------------ final
FROM python:3.11-slim-bookworm

ARG APP_UID=10001
ARG APP_GID=10001

# PYTHONPATH: import `app` from /srv/supportdesk rather than site-packages, because
# `supportdesk migrate` finds alembic.ini relative to the app package (app/cli.py ROOT).
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/srv/supportdesk

RUN groupadd --system --gid "${APP_GID}" supportdesk \
    && useradd --system --uid "${APP_UID}" --gid supportdesk \
        --home-dir /srv/supportdesk --no-create-home --shell /usr/sbin/nologin supportdesk

COPY --from=builder /opt/venv /opt/venv

# Migrations run from here: alembic.ini + migrations/ at the repo layout, app/ beside them.
WORKDIR /srv/supportdesk
COPY alembic.ini ./
COPY migrations/ migrations/
COPY app/ app/

USER ${APP_UID}:${APP_GID}

EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["supportdesk"]
CMD ["serve"]
