from laeringsmiljo.access import roles_of


def roles(request):
    """Make the signed-in user's roles available to the layout's navigation."""
    if not hasattr(request, "user"):
        return {}
    return {"roles": roles_of(request)}
