# Production image of the portal: one image for web (gunicorn), worker and beat (celery).
# docker-compose.yml runs it; see docs/running.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

WORKDIR /app

# The account the processes run as (never root).
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin portal

# Dependencies first, so a code change does not reinstall them. Every wheel is prebuilt
# (psycopg2-binary among them): no compiler is needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Translations and static files are built into the image. collectstatic needs the production
# settings to load, so it gets placeholder values that exist only during this step.
RUN SECRET_KEY=build-only-placeholder ALLOWED_HOSTS=localhost \
        python manage.py compiletranslations \
    && SECRET_KEY=build-only-placeholder ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /data/media /data/audit-heads \
    && chown -R portal:portal /data

USER portal
EXPOSE 8000

# gunicorn.conf.py: gthread workers on 0.0.0.0:8000 (shared with docker-compose and the Procfile).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
