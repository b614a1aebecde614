"""How the apps are served: who the acting account is behind the Hub, and which addresses
`casework serve` agrees to listen on."""

from __future__ import annotations

import pytest

from casework import cli, settings
from casework.i18n import t
from casework.voila_server import is_loopback, voila_arguments


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "localhost"])
def test_loopback_addresses_reach_this_computer_only(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "office-pc", ""])
def test_other_addresses_may_be_reached_from_elsewhere(host):
    assert not is_loopback(host)


def test_behind_the_hub_the_login_is_the_acting_account_whatever_casework_user_says(
        monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "worker-a")
    monkeypatch.setenv("CASEWORK_USER", "demo-city-officer")
    assert settings.acting_username() == "worker-a"


def test_without_the_hub_casework_user_names_the_account(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("CASEWORK_USER", "demo-trainer")
    assert settings.acting_username() == "demo-trainer"


def test_serving_an_open_address_without_a_token_is_refused_and_says_how(monkeypatch, capsys):
    monkeypatch.delenv("CASEWORK_SERVE_TOKEN", raising=False)
    monkeypatch.setenv("CASEWORK_LANG", "en")
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 2
    assert capsys.readouterr().err.strip() == t("serve.refuse_open_address", "en",
                                                host="0.0.0.0")


def test_a_token_goes_to_voila_and_the_default_address_is_loopback():
    args = cli._parser().parse_args(["serve", "--token", "s3cret"])
    assert args.host == "127.0.0.1"
    built = voila_arguments(notebooks=settings.notebooks_dir(), port=1, host=args.host,
                            token=args.token)
    assert "--Voila.token=s3cret" in built and "--Voila.ip=127.0.0.1" in built
    assert not any(a.startswith("--Voila.token") for a in voila_arguments(
        notebooks=settings.notebooks_dir(), port=1, host="127.0.0.1"))
