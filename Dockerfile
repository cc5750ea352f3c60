# klebepunkt as a container image: `klebepunkt serve` on port 8000 as a non-root user.
# Build:  docker build -t klebepunkt .
# Run:    see compose.yaml (PostgreSQL, Redis, two app replicas, nginx) and README "Production".
# Migrations are a one-off command of their own: docker compose run --rm migrate

# --- build: the locked Python packages into /opt/venv --------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install "uv==0.13.9"
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN uv sync --frozen --no-dev --no-editable

# --- run: Pango and fonts for the PDFs, the venv, nothing else ------------------------------
FROM python:3.11-slim-bookworm AS run
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-dejavu-extra fonts-liberation \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin klebepunkt \
    && mkdir -p /data \
    && chown klebepunkt /data
COPY --from=build /opt/venv /opt/venv
# the static files collected and compressed once, into the image: a replica's start (and its
# restart after a crash) finds them and their stamp (of the sources' content) and only reads them
ENV KLEBEPUNKT_STATIC_ROOT=/opt/klebepunkt/static
RUN KLEBEPUNKT_DATA_DIR=/tmp/collect \
        /opt/venv/bin/python -c "from klebepunkt.web import server; server.configure(); server.collect_static()" \
    && rm -rf /tmp/collect
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    KLEBEPUNKT_DATA_DIR=/data \
    KLEBEPUNKT_PRODUCTION=1 \
    KLEBEPUNKT_MIGRATE=0 \
    KLEBEPUNKT_LOG_FORMAT=json
USER 10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["klebepunkt"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
