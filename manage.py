#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsmiljo.settings")
    # manage.py is the developer's tool: without DJANGO_DEBUG it runs in development mode.
    # The production processes (gunicorn through wsgi.py, the Celery worker) default to off,
    # and the production shape sets DJANGO_DEBUG=0 for its own manage.py commands.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
