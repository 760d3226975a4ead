# syntax=docker/dockerfile:1

# --- front-end assets (NL Design System CSS, htmx) -----------------------------
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --no-progress --loglevel=error

# --- application ----------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app
# matplotlib (report charts) keeps a font cache; the app's home is read-only.
ENV MPLCONFIGDIR=/tmp/matplotlib
# gunicorn (25 and later) keeps a control socket under $HOME; /app is read-only
# for the app user.
ENV HOME=/tmp

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# WeasyPrint (decision letters, reports) renders with Pango; fonts for the letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (better layer caching): setuptools packages = [], so the
# project itself installs nothing importable; the source is used from /app.
COPY pyproject.toml README.md* ./
RUN pip install --upgrade pip && pip install -e .

COPY . .
COPY --from=assets /app/node_modules ./node_modules

# Build-time only dummy key; the real SECRET_KEY comes from the runtime environment.
RUN SECRET_KEY=build-only-dummy-key PORTAL_BASE_URL=https://build.invalid DEBUG=0 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

# The code stays root-owned (read-only for the app); only var/ (media) is writable.

USER app

EXPOSE 8000

CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
