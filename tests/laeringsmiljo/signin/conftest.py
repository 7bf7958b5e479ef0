# The local OpenID Connect provider, and the invitation the ID-porten tests sign in through.
from tests.applications.test_access_links import setting  # noqa: F401
from tests.oidc_provider import oidc, oidc_provider  # noqa: F401
