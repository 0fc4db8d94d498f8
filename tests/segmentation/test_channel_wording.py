"""A touchpoint's digital channel is named as the catalogue's placement point (column 14 of
seeds 001 and 004), so a profile, a touchpoint and a registry row say it alike."""

import pytest

from registry.services.catalogue import read_catalogue
from segmentation.choices import Channel

pytestmark = pytest.mark.django_db

# Seeds 001 (item 23) and 004 (графа 14): the header lists the three placement points.
COLUMN_14 = (
    "Точка размещения в цифровом виде (Единый портал государственных и муниципальных услуг "
    "(функций), региональный портал государственных и муниципальных услуг (функций), сайт "
    "органа власти)"
)


def test_digital_channels_are_the_catalogues_placement_points():
    points = {p["code"]: p["name"] for p in read_catalogue()["placement_points"]}
    channels = {
        "epgu": Channel.EPGU.label,
        "rpgu": Channel.REGIONAL_PORTAL.label,
        "site": Channel.WEBSITE.label,
    }
    for code, label in channels.items():
        assert label.lower() == points[code].lower()
        assert label.lower() in COLUMN_14.lower()
