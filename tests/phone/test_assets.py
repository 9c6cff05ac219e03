"""The phone page loads two files: its ES modules joined into one script and its style sheets
joined into one sheet (phone/assets.py), served from memory under one content-hashed prefix,
cached for a year, and nothing else served from there."""

from __future__ import annotations

import gzip
import posixpath
import re
import shutil

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from phone.assets import (ASSET_CACHE, PAGE, SCRIPT, SHEET, STATIC, AssetError, join_modules, join_sheets,
                          load_assets)
from phone.routes import PhoneRoutes
from tests.phone.scripts import name, scripts, style_sheets
from tests.phone.test_modules import IMPORT

HEADING = re.compile(r"^// ---- (\S+)\nconst module\$\S+ = \(\(\) => \{$", re.M)


@pytest.fixture
def routes(workshop):
    return PhoneRoutes(lambda: workshop)


@pytest.fixture
def client(routes):
    with TestClient(Starlette(routes=routes.routes())) as client:
        yield client


def test_the_page_names_one_style_sheet_and_one_module_script_under_a_hashed_prefix(client, routes):
    page = client.get("/join?code=ABCDEF").text
    prefix = f"/join/assets/{routes.assets.version}/"
    assert re.fullmatch(r"[0-9a-f]{12}", routes.assets.version)
    # Three requests on first load, as before the redesign: 31 cost 12 s -> 50 s p50 at 1,000 phones.
    assert re.findall(r"<link\b[^>]*>", page) == [f'<link rel="stylesheet" href="{prefix}page.css">']
    assert re.findall(r"<script\b[^>]*>", page) == [f'<script type="module" src="{prefix}page.js">']
    assert "<!-- assets:" not in page


def test_the_two_files_are_cached_for_a_year_and_the_page_never(client, routes):
    assert client.get("/join").headers["cache-control"] == "no-store"
    for asset, media in [(SCRIPT, "text/javascript"), (SHEET, "text/css")]:
        response = client.get(routes.assets.url(asset))
        assert response.status_code == 200, asset
        assert response.headers["cache-control"] == ASSET_CACHE == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
        assert response.content == routes.assets.files[asset]


@pytest.mark.parametrize("asset", [PAGE, SCRIPT, SHEET])
def test_each_file_is_gzipped_once_at_start_for_a_phone_that_accepts_it_and_plain_otherwise(
        client, routes, asset):
    """Compressing per request was 40 % of the server's CPU for a page (bench/plumbing.py)."""
    url = "/join?code=ABCDEF" if asset == PAGE else routes.assets.url(asset)
    plain = routes.assets.page if asset == PAGE else routes.assets.files[asset]
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert raw == routes.assets.gzipped[asset] and gzip.decompress(raw) == plain
    assert int(response.headers["content-length"]) == len(raw) < len(plain) / 2
    with client.stream("GET", url, headers={"Accept-Encoding": "identity"}) as response:
        raw = b"".join(response.iter_raw())
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert raw == plain


def test_the_sheet_is_every_style_sheet_base_first_each_once(routes):
    sheet = routes.assets.files[SHEET].decode()
    order = re.findall(r"^/\* ---- (\S+) \*/$", sheet, re.M)
    assert sorted(order) == sorted(name(path) for path, _ in style_sheets())
    assert order[0] == "phone.css"  # the base sheet first, so a control's own rule wins a tie
    for path, source in style_sheets():
        assert f"/* ---- {name(path)} */\n{source}\n" in sheet


def test_the_script_is_every_module_each_once_after_what_it_imports_the_entry_last(routes):
    script = routes.assets.files[SCRIPT].decode()
    order = HEADING.findall(script)
    assert sorted(order) == sorted(name(path) for path, _ in scripts()) and order[-1] == "js/main.js"
    for path, source in scripts():
        here = order.index(name(path))
        for target in IMPORT.findall(source):
            imported = posixpath.normpath(posixpath.join(posixpath.dirname(name(path)), target))
            assert order.index(imported) < here, (name(path), target)
    assert not re.search(r"^(import|export)\b", script, re.M)


@pytest.mark.parametrize("path", [
    "/join/assets/{version}/js/main.js",           # the sources are joined, never served one by one
    "/join/assets/{version}/phone.css",
    "/join/assets/{version}/controls/scale.js",
    "/join/assets/{version}/missing.js",
    "/join/assets/{version}/phone.html",
    "/join/assets/{version}/../routes.py",
    "/join/assets/{version}/%2e%2e/routes.py",
    "/join/assets/{version}/js/%2e%2e/%2e%2e/routes.py",
    "/join/assets/{version}//etc/passwd",
    "/join/assets/000000000000/page.js",           # another version of the page
    "/join/assets/page.js",
    "/join/phone.js",
    "/join/phone.css",
])
def test_anything_else_under_the_prefix_is_not_found(client, routes, path):
    response = client.get(path.format(version=routes.assets.version))
    assert response.status_code == 404
    assert "routes" not in response.text and "root:" not in response.text


def test_the_hash_changes_with_any_source_and_only_with_sources(tmp_path):
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
    assert after.url(SCRIPT) in after.page.decode() and "// changed" in after.files[SCRIPT].decode()


def test_joining_keeps_each_modules_names_its_own_and_renames_only_imports():
    script = join_modules({
        "js/main.js": "import { a as b, c } from './lib.js';\nimport * as ui from '../controls/ui.js';\n"
                      "const a = b + c + ui.d;\n",
        "js/lib.js": "const hidden = 1;\nexport const a = hidden;\nexport function c() { return 2; }\n",
        "controls/ui.js": "import { a } from '../js/lib.js';\nexport const d = a;\n",
    })
    assert HEADING.findall(script) == ["js/lib.js", "controls/ui.js", "js/main.js"]
    assert "const { a: b, c } = module$js$lib;" in script
    assert "const ui = module$controls$ui;" in script
    assert "const { a } = module$js$lib;" in script
    assert "return Object.freeze({ a, c });" in script and "return Object.freeze({ d });" in script
    assert "const a = hidden;" in script and "function c() { return 2; }" in script


@pytest.mark.parametrize("sources, message", [
    ({"js/main.js": "export default function f() {}\n"}, "js/main.js, line 1: only `export function"),
    ({"js/main.js": "// x\nexport let n = 1;\n"}, "js/main.js, line 2: only `export function"),
    ({"js/main.js": "export { a };\n"}, "js/main.js, line 1: only `export function"),
    ({"js/main.js": "import {\n  a } from './lib.js';\n", "js/lib.js": ""}, "js/main.js, line 1: write an import"),
    ({"js/main.js": "import a from './lib.js';\n", "js/lib.js": ""}, "js/main.js, line 1: write an import"),
    ({"js/main.js": "import { a } from './gone.js';\n"}, "js/main.js, line 1: imports ./gone.js, which is not"),
    ({"js/main.js": "import { a } from '../../x.js';\n"}, "js/main.js, line 1: ../../x.js leaves phone/static"),
    ({"js/main.js": "import { a } from './lib.js';\n",
      "js/lib.js": "import { b } from './main.js';\nexport const a = 1;\n"},
     "js/lib.js: an import cycle (js/main.js -> js/lib.js -> js/main.js)"),
    ({"js/other.js": ""}, "js/main.js: the entry module is missing"),
])
def test_a_module_the_joiner_cannot_read_stops_the_server_naming_file_line_and_why(sources, message):
    with pytest.raises(AssetError) as refused:
        join_modules(sources)
    assert str(refused.value).startswith(message), refused.value


def test_a_page_without_its_assets_line_stops_the_server(tmp_path):
    root = tmp_path / "static"
    shutil.copytree(STATIC, root)
    page = root / "phone.html"
    page.write_text(re.sub(r"<!-- assets:.*?-->\n", "", page.read_text(), flags=re.S))
    with pytest.raises(AssetError, match=r"phone/static/phone.html: needs exactly one <!-- assets: --> line"):
        load_assets(root)


def test_sheets_join_base_first_then_by_folder_and_name():
    joined = join_sheets({"controls/b.css": "b{}", "phone.css": "p{}", "controls/a.css": "a{}"})
    assert joined == "/* ---- phone.css */\np{}\n/* ---- controls/a.css */\na{}\n/* ---- controls/b.css */\nb{}\n"
