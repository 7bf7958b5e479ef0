from celery import shared_task

from laeringsmiljo.models import GovernorOffice


@shared_task(name="laeringsmiljo.tasks.health_check")
def health_check():
    """Proves a worker can reach the database: answers how many offices the registry has."""
    return GovernorOffice.objects.count()
