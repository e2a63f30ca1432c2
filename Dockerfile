# savoirs — production image: non-root, no secrets inside, migrations as a separate release step.
#   docker build -t savoirs .
#   docker run --rm -e DATABASE_URL=… -e KEK_FILE=/run/secrets/kek -e ADMIN_TOKEN=… savoirs savoirs db upgrade
#   docker run -p 8000:8000 -e ENVIRONMENT=production -e DATABASE_URL=… -e KEK_FILE=… -e ADMIN_TOKEN=… \
#       -e PUBLIC_BASE_URL=https://badges.example.org savoirs
#   Behind a reverse proxy, add -e FORWARDED_ALLOW_IPS=<its address>: uvicorn believes X-Forwarded-For (the client
#   address every throttle keys on) and X-Forwarded-Proto only from there (the default, 127.0.0.1, is no proxy in a
#   container); `savoirs serve` reads TRUSTED_PROXIES for the same.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml requirements.lock README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN python -m venv /opt/savoirs \
 && /opt/savoirs/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/savoirs/bin/pip install --no-cache-dir -c requirements.lock .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /srv/savoirs --create-home savoirs
COPY --from=build /opt/savoirs /opt/savoirs
COPY --chown=savoirs:savoirs alembic.ini /srv/savoirs/
COPY --chown=savoirs:savoirs migrations /srv/savoirs/migrations
WORKDIR /srv/savoirs
ENV PATH=/opt/savoirs/bin:$PATH ENVIRONMENT=production PYTHONUNBUFFERED=1 VAR_DIR=/srv/savoirs/var
USER savoirs
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["uvicorn", "app.asgi:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--no-server-header"]
