"""The load bench's simulated phone loads what the phone page's HTML names (bench/load/phone.py):
the one-file page before the redesign, and links under a content-hashed prefix as the page has now."""

from bench.load.phone import page_assets

PAGE = "http://127.0.0.1:8501/join?code=ABC123"


def test_todays_page_names_its_script_and_style_sheet():
    html = ('<head><link rel="stylesheet" href="/join/phone.css">'
            '<script src="/join/phone.js" defer></script></head><body><noscript>x</noscript></body>')
    assert page_assets(html, PAGE) == ["http://127.0.0.1:8501/join/phone.css", "http://127.0.0.1:8501/join/phone.js"]


def test_es_modules_preloads_and_relative_links_each_once():
    html = ('<link rel="modulepreload" href="/join/a1b2c3/controls/scale.js">'
            '<link rel="preconnect" href="https://example.org">'
            '<link rel="icon" href="/favicon.ico">'
            '<link rel="Stylesheet" href="a1b2c3/phone.css">'
            '<script type="module" src="/join/a1b2c3/main.js"></script>'
            '<script type="module" src="/join/a1b2c3/main.js"></script>'
            '<script>inline()</script>')
    assert page_assets(html, PAGE) == ["http://127.0.0.1:8501/join/a1b2c3/controls/scale.js",
                                       "http://127.0.0.1:8501/a1b2c3/phone.css",
                                       "http://127.0.0.1:8501/join/a1b2c3/main.js"]
