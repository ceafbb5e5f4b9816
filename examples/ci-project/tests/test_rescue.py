import time

import pytest
from zomro_rescue import ApiError

WEB_1 = 5203773  # active in the mock's default world, offered the article's 15 images


def test_rescue_and_wait_out_its_30_seconds(zomro_mock, zomro_client, monkeypatch):
    images = {image.os_name: image for image in zomro_client.images(WEB_1)}
    assert len(images) == 15 and images["Debian 12"].zone == "pub"
    zomro_client.rescue(WEB_1, "Debian 12", password="MyPassword1")
    assert zomro_client.status(WEB_1).status == "rescuing"  # for 30 s of the mock's clock
    monkeypatch.setattr(time, "sleep", zomro_mock.advance)  # the code's pauses pass in the mock, not here
    assert zomro_client.wait_for(WEB_1, "rescued").rescued  # read every 10 s, as the panel does


def test_a_new_login_once_the_session_has_expired(zomro_mock, zomro_client):
    zomro_client.images(WEB_1)  # with the world's live session
    zomro_mock.advance(3601)  # an hour and a second idle: the mock expires it, as the server does
    assert len(zomro_client.images(WEB_1)) == 15  # refused, logged in again, asked again
    calls = [entry["operation"] for entry in zomro_mock.journal()]
    assert calls == ["previewRescueImages", "previewRescueImages", "logIn", "previewRescueImages"]


def test_a_busy_server_then_the_journal(zomro_mock, zomro_client):
    zomro_mock.fault("rescueInstance", elid=WEB_1, error="busy")  # the next rescue of WEB_1 only
    with pytest.raises(ApiError, match="Request in process"):
        zomro_client.rescue(WEB_1, "Debian 12", password="MyPassword1")
    zomro_client.rescue(WEB_1, "Debian 12", password="MyPassword1")
    journal = zomro_mock.journal(operation="rescueInstance")
    assert [entry["answer"].get("example") for entry in journal] == ["busy", "ok"]
    assert journal[-1]["fields"]["password"] == "***"  # secrets are masked


def test_each_test_starts_from_the_same_world(zomro_mock, zomro_client):
    assert zomro_mock.faults() == []
    assert zomro_client.status(WEB_1).status == "active"
    assert [entry["operation"] for entry in zomro_mock.journal()] == ["listInstances"]
