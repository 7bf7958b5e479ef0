FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=laeringsmiljo.settings
# Pango for WeasyPrint, HarfBuzz's subsetting library (much faster PDFs), fonts, gettext.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
    && DJANGO_DEBUG=1 python manage.py compilemessages -v0 \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bygg-bare-for-collectstatic-ikke-i-bruk-xxxxxxxxxxxxxxxxxxx \
       python manage.py collectstatic --no-input -v0 \
    && useradd --system --home /app laeringsmiljo \
    && mkdir -p /data/private && chown laeringsmiljo /data/private
USER laeringsmiljo
EXPOSE 8000
