"""The Celery application; without CELERY_BROKER_URL its tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsmiljo.settings")

app = Celery("laeringsmiljo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
