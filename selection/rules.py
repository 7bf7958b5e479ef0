"""Who may do what with the evidence and the scores.

Office staff work on the municipalities of their own counties, Udir on all; municipality
users have no part in the assessment.
"""

import rules

from laeringsmiljo.access import roles_of


@rules.predicate
def is_case_officer(user):
    return roles_of(user).is_case_officer


@rules.predicate
def manages_municipality(user, municipality):
    return roles_of(user).can_manage_for_municipality(municipality)


rules.add_perm("selection.import_evidence", is_case_officer)
rules.add_perm("selection.manage_evidence", is_case_officer & manages_municipality)
