"""A real OpenID Connect provider for the tests: the npm package oidc-provider (a certified
implementation), run by Node from tests/oidc on a free port of 127.0.0.1, standing in for
ID-porten and for the staff's identity provider, with test identities carrying ID-porten's
claims (pid, acr, amr). `make test` installs it (npm ci in tests/oidc)."""

import json
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey

FOLDER = Path(__file__).resolve().parent / "oidc"
SITE = "http://testserver"

IDPORTEN_CLIENT = {"client_id": "laeringsmiljo-idporten", "client_secret": "idporten-" + "x" * 32}
STAFF_CLIENT = {"client_id": "laeringsmiljo-ansatt", "client_secret": "ansatt-" + "y" * 32}
PID_HMAC_KEY = "test-pid-nokkel-" + "z" * 32
# A client that authenticates with private_key_jwt instead of a secret, as ID-porten offers:
# the provider knows its public key; the service signs with the private one.
CLIENT_KEY = RSAKey.generate_key(2048, parameters={"kid": "laeringsmiljo-test-1"})
KEY_CLIENT = {
    "client_id": "laeringsmiljo-idporten-nokkel",
    "token_endpoint_auth_method": "private_key_jwt",
    "token_endpoint_auth_signing_alg": "RS256",
    "jwks": {"keys": [CLIENT_KEY.as_dict(private=False)]},
}

# Synthetic national identity numbers (valid check digits, no real person).
PIDS = {
    "kari": "01017010170",
    "harald": "02028010047",
    "lav": "03039010185",
    "ukjent": "04048510170",
}
SUBSTANTIAL = "idporten-loa-substantial"
ACCOUNTS = {
    "kari": {"pid": PIDS["kari"], "acr": SUBSTANTIAL, "amr": ["BankID"], "name": "Kari Nordmann"},
    "harald": {"pid": PIDS["harald"], "acr": "idporten-loa-high", "amr": ["BankID"]},
    "lav": {"pid": PIDS["lav"], "acr": "idporten-loa-low", "amr": ["MinID"]},
    "ukjent": {"pid": PIDS["ukjent"], "acr": SUBSTANTIAL, "amr": ["BankID"]},
    # Kari again, with an ID token a provider must never send.
    "feil-aud": {"pid": PIDS["kari"], "acr": SUBSTANTIAL, "tamper": {"aud": "en-annen-tjeneste"}},
    "feil-iss": {
        "pid": PIDS["kari"],
        "acr": SUBSTANTIAL,
        "tamper": {"iss": "http://127.0.0.1:9/en-annen-leverandor"},
    },
    "feil-nonce": {"pid": PIDS["kari"], "acr": SUBSTANTIAL, "tamper": {"nonce": "en-annen"}},
    "utlopt": {"pid": PIDS["kari"], "acr": SUBSTANTIAL, "tamper": {"expires_in": -60}},
    # The staff's provider (Entra ID): a stable subject, and the factors checked there.
    "saksbehandler": {
        "acr": "staff-mfa",
        "amr": ["pwd", "mfa"],
        "name": "Sara Saksbehandler",
        "email": "sara@statsforvalteren.example",
    },
}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def settings(self):
        """settings.OIDC_PROVIDERS for this provider, both of the service's clients."""
        return {
            "idporten": {
                "issuer": self.issuer,
                **IDPORTEN_CLIENT,
                "scopes": "openid profile",
                "acr": SUBSTANTIAL,
            },
            "staff": {
                "issuer": self.issuer,
                **STAFF_CLIENT,
                "scopes": "openid profile email",
                "acr": "",
            },
        }

    def key_client_settings(self, key=CLIENT_KEY):
        """settings.OIDC_PROVIDERS with ID-porten's client authenticating by private_key_jwt,
        signing with `key`."""
        return {
            **self.settings(),
            "idporten": {
                "issuer": self.issuer,
                "client_id": KEY_CLIENT["client_id"],
                "client_secret": "",
                "client_key": key.as_pem(private=True).decode(),
                "client_key_id": key.kid,
                "scopes": "openid profile",
                "acr": SUBSTANTIAL,
            },
        }


@contextmanager
def running_provider(site):
    """The provider on a free port, with the service's clients registered for `site` (the
    address the browser comes back to), until the block ends."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "Testene av innlogging med OpenID Connect trenger Node.js: .ci/system-deps --oidc"
        )
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider er ikke installert: make oidc (npm ci i tests/oidc)")
    port = _free_port()
    clients = [
        {
            **client,
            "redirect_uris": [f"{site}/konto/oidc/{name}/svar/"],
            "post_logout_redirect_uris": [f"{site}/konto/logg-inn/"],
        }
        for name, client in (
            ("idporten", IDPORTEN_CLIENT),
            ("staff", STAFF_CLIENT),
            ("idporten", KEY_CLIENT),
        )
    ]
    # Its warnings (an in-memory store and development keys, as a test provider should have)
    # go to a file that a failure to start shows.
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(
            [
                node,
                "provider.mjs",
                str(port),
                json.dumps({"clients": clients, "accounts": ACCOUNTS}),
            ],
            cwd=FOLDER,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            yield Provider(issuer=_wait_for(process, port, errors), process=process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider for the test client's site, started once for the session and stopped
    after it."""
    with running_provider(SITE) as provider:
        yield provider


def _wait_for(process, port, errors):
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            return issuer
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                errors.seek(0)
                pytest.fail(f"oidc-provider startet ikke:\n{errors.read()}")
            time.sleep(0.1)


@pytest.fixture
def oidc(settings, oidc_provider):
    """The service set up with both providers on the local one."""
    settings.OIDC_PROVIDERS = oidc_provider.settings()
    settings.PID_HMAC_KEY = PID_HMAC_KEY
    settings.SITE_URL = SITE
    return oidc_provider


def through_provider(authorize_url, account, browser=None):
    """What the browser does at the provider: sign in as the test account, and come back with
    the callback's address on the service (path and query)."""
    browser = browser or requests.Session()
    url = f"{authorize_url}&{urlencode({'login_hint': account})}"
    for _ in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text
        location = response.headers["Location"]
        if location.startswith(SITE):
            parts = urlsplit(location)
            return f"{parts.path}?{parts.query}"
        url = urljoin(url, location)
    raise AssertionError("the provider never sent the browser back")
