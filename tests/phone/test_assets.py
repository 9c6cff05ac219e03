"""The phone page's modules and style sheets: all named in the page, served from memory under
one content-hashed prefix, cached for a year, and nothing else served from there."""

from __future__ import annotations

import re
import shutil

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from phone.routes import ASSET_CACHE, STATIC, PhoneRoutes, load_assets
from tests.phone.scripts import name, scripts, style_sheets


@pytest.fixture
def routes(workshop):
    return PhoneRoutes(lambda: workshop)


@pytest.fixture
def client(routes):
    with TestClient(Starlette(routes=routes.routes())) as client:
        yield client


def links(page: str, rel: str) -> list[str]:
    return re.findall(rf'<link rel="{rel}" href="([^"]+)">', page)


def test_the_page_names_every_module_and_style_sheet_under_one_hashed_prefix(client, routes):
    page = client.get("/join?code=ABCDEF").text
    prefix = f"/join/assets/{routes.assets.version}/"
    assert re.fullmatch(r"[0-9a-f]{12}", routes.assets.version)
    # modulepreload for every module: the browser (and a load bench reading the page) fetches
    # them all at once instead of discovering them import by import.
    assert sorted(links(page, "modulepreload")) == sorted(prefix + name(path) for path, _ in scripts())
    sheets = links(page, "stylesheet")
    assert sorted(sheets) == sorted(prefix + name(path) for path, _ in style_sheets())
    assert sheets[0] == prefix + "phone.css"  # the base sheet first, the controls' own after it
    assert re.findall(r"<script\b[^>]*>", page) == [f'<script type="module" src="{prefix}js/main.js">']
    assert "<!-- assets:" not in page


def test_assets_are_cached_for_a_year_and_the_page_never(client, routes):
    assert client.get("/join").headers["cache-control"] == "no-store"
    for path, source in [*scripts(), *style_sheets()]:
        response = client.get(routes.assets.url(name(path)))
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == ASSET_CACHE == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        media = "text/javascript" if path.suffix == ".js" else "text/css"
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
        assert response.text == source


@pytest.mark.parametrize("path", [
    "/join/assets/{version}/js/missing.js",
    "/join/assets/{version}/phone.html",           # only .js and .css are assets
    "/join/assets/{version}/../routes.py",
    "/join/assets/{version}/%2e%2e/routes.py",
    "/join/assets/{version}/js/%2e%2e/%2e%2e/routes.py",
    "/join/assets/{version}//etc/passwd",
    "/join/assets/000000000000/js/main.js",        # another version of the page
    "/join/assets/js/main.js",
    "/join/phone.js",
    "/join/phone.css",
])
def test_anything_else_under_the_prefix_is_not_found(client, routes, path):
    response = client.get(path.format(version=routes.assets.version))
    assert response.status_code == 404
    assert "routes" not in response.text and "root:" not in response.text


def test_the_hash_changes_with_any_asset_and_only_with_assets(tmp_path):
    root = tmp_path / "static"
    shutil.copytree(STATIC, root)
    before = load_assets(root)
    assert before.version == load_assets(STATIC).version  # the same bytes: the same hash on every server
    (root / "phone.html").write_text((root / "phone.html").read_text() + "\n")
    assert load_assets(root).version == before.version    # the page is not cached, not hashed
    scale = root / "controls" / "scale.js"
    scale.write_text(scale.read_text() + "\n// changed\n")
    after = load_assets(root)
    assert after.version != before.version
    assert after.url("controls/scale.js") in after.page.decode()
