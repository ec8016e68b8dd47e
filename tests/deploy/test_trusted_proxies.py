"""Production runs behind an ingress: the API must know which hops may name the client."""

import pytest

from app.config import Settings
from app.ratelimit import client_ip
from tests.deploy.test_manifests import main_container, manifests, one


def test_production_trusts_its_ingress_to_name_the_client(monkeypatch: pytest.MonkeyPatch):
    docs = manifests("production")
    api = main_container(one(docs, "Deployment", "supportdesk-api"))
    config = one(docs, "ConfigMap", api["envFrom"][0]["configMapRef"]["name"])
    monkeypatch.setenv("SUPPORTDESK_TRUSTED_PROXIES", config["data"]["SUPPORTDESK_TRUSTED_PROXIES"])
    proxies = Settings().trusted_proxies
    assert proxies, "SUPPORTDESK_TRUSTED_PROXIES is empty in the production overlay"
    # An ingress pod forwarding for a client on the internet: the client is who is counted.
    assert client_ip("10.2.3.4", ["198.51.100.7, 10.2.3.4"], proxies) == "198.51.100.7"
    # A client cannot vouch for itself: a public peer is taken as it is.
    assert client_ip("203.0.113.9", ["10.0.0.1"], proxies) == "203.0.113.9"
