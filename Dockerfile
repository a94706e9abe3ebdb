# CastMatch: `castmatch serve` on python:3.11-slim, as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CASTMATCH_DATA_DIR=/data \
    CASTMATCH_LOG_FORMAT=json \
    PORT=3000

WORKDIR /app

# Dependencies first, from the hash-locked list (no embedded PostgreSQL or Redis: the image
# always runs with DATABASE_URL and REDIS_URL), so a code change doesn't reinstall them.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY memory ./memory
COPY talent ./talent
COPY castmatch ./castmatch
RUN pip install --no-deps --no-build-isolation . \
 && groupadd --system --gid 10001 castmatch \
 && useradd --system --uid 10001 --gid castmatch --home-dir /app --shell /usr/sbin/nologin castmatch \
 && mkdir -p /data \
 && chown castmatch:castmatch /data

USER castmatch:castmatch
VOLUME ["/data"]
EXPOSE 3000

# Liveness only (readiness is /readyz, for the load balancer): no curl in the slim image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=2)"]

# SIGTERM reaches castmatch directly (exec form): in-flight replies get CASTMATCH_SHUTDOWN_GRACE_S.
STOPSIGNAL SIGTERM
CMD ["castmatch", "serve"]
