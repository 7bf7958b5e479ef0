"""What the journal's and the extracts' pages show, each in a fixed number of queries."""

from selection.archive.models import ArchiveExport, JournalPost


def public_journal(cohort):
    """The cohort's journal posts as the public journal lists them, newest first."""
    return (
        JournalPost.objects.filter(case_file__cohort=cohort)
        .select_related("case_file", "correspondent")
        .order_by("-journal_date", "-pk")
    )


def exports(cohort):
    return ArchiveExport.objects.filter(cohort=cohort).select_related("office", "requested_by")


def public_journal_rows(posts):
    """The rows of the public journal (and its CSV) in the active language: the journal
    number, the date, in or out, the case, the public title and the party."""
    for post in posts:
        yield {
            "post": post,
            "number": post.journal_number,
            "date": post.journal_date,
            "direction": post.get_direction_display(),
            "case": post.case_file.case_number,
            "public_title": post.public_title_now(),
            "party": post.correspondent.name,
        }
