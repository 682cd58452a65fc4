# The web image: Django served by gunicorn, static files collected at build time for WhiteNoise.
# docker-compose.yml runs it beside PostgreSQL; docker-entrypoint.sh migrates and seeds on start.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Requirements first, so editing the code does not reinstall every dependency.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# collectstatic only reads settings; the key below exists for this build step alone and never
# reaches the running container, which must be given its own DJANGO_SECRET_KEY.
RUN DJANGO_SECRET_KEY=build-time-only-key-for-collectstatic-never-used-by-the-server \
    python manage.py collectstatic --noinput --verbosity 0

# The code stays owned by root, so the process serving requests cannot rewrite it. The home
# directory is where gunicorn puts its control socket (~/.gunicorn/gunicorn.ctl).
RUN groupadd --system app \
    && useradd --system --gid app --create-home --shell /usr/sbin/nologin app
USER app

EXPOSE 8000

# Any answer below 500 means gunicorn and Django are serving (a 400 would only mean that
# 127.0.0.1 is missing from DJANGO_ALLOWED_HOSTS). Slim images have no curl, hence Python.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=2s --retries=3 \
    CMD ["python", "-c", "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=4); c.request('GET', '/api/'); sys.exit(c.getresponse().status >= 500)"]

# CMD rather than ENTRYPOINT: `docker compose run --rm web python manage.py createsuperuser`
# then runs just that command, without migrating or starting gunicorn first.
CMD ["/app/docker-entrypoint.sh"]
