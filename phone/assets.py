"""The phone page's script and style sheet: its ES modules and sheets joined at start-up.

The sources under `phone/static/` are ES modules, one per job and one per control, with no
build step. Served one by one they cost a phone 31 requests on first load, and at 1,000 phones
arriving in 10 s the load bench's page load went from 12 s to 50 s p50 (docs/benchmarks.md,
*The redesign*): the server spends about 0.8 ms of CPU a request whatever its size. So the
server reads them once and serves two files, as the page did before the redesign: every
module joined in the order a browser would run them, and every sheet in the order the page
linked them. Joining is plain text work on the few forms of `import` and `export` the modules
use; any other form is refused at start-up with its file and line, not silently mangled.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent / "static"
ASSETS_PREFIX = "/join/assets"
ENTRY_MODULE = "js/main.js"
SCRIPT, SHEET = "page.js", "page.css"          # the two names served under the prefix
PAGE = "phone.html"                            # the page itself, served at /join
ASSET_MEDIA = {SCRIPT: "text/javascript; charset=utf-8", SHEET: "text/css; charset=utf-8"}
ASSET_CACHE = "public, max-age=31536000, immutable"  # the URL changes whenever a file does
ASSETS_MARKER = re.compile(r"^[ \t]*<!-- assets:.*?-->\n", re.S | re.M)

# The only two import forms the modules use, each on one line:
#   import { a, b as c } from './x.js';      import * as ns from '../controls/x.js';
IMPORT = re.compile(r"import (?:\* as (?P<namespace>[A-Za-z_$][\w$]*)|\{(?P<names>[^{}]*)\}) "
                    r"from '(?P<target>\.\.?/[\w/.-]+\.js)';[ \t]*")
IMPORTED_NAME = re.compile(r"(?P<name>[A-Za-z_$][\w$]*)(?: as (?P<alias>[A-Za-z_$][\w$]*))?")
# ... and the only two export forms: `export function name(` and `export const name =`.
EXPORT = re.compile(r"export (?:function|const) (?P<name>[A-Za-z_$][\w$]*)\b")


class AssetError(ValueError):
    """A module the joiner cannot read: the message names the file, the line and why."""


@dataclass(frozen=True)
class PhoneAssets:
    """The phone page, its one script and its one style sheet, built once: served from memory.

    Both files are under one prefix that names a hash of every source, so a browser may keep
    them for a year: a changed source changes the URL. The page itself is never cached.
    """

    files: dict[str, bytes]   # SCRIPT and SHEET -> bytes
    version: str              # a short sha256 of every source's name and bytes
    page: bytes               # phone.html with the link to the sheet and the module script
    # SCRIPT, SHEET and PAGE gzipped once at start: compressing per request was 40 % of the
    # server's CPU for a page (bench/plumbing.py); for a phone on a crowded network the script
    # is 4-5 times smaller this way.
    gzipped: dict[str, bytes]

    def url(self, name: str) -> str:
        return asset_url(self.version, name)


def asset_url(version: str, name: str) -> str:
    return f"{ASSETS_PREFIX}/{version}/{name}"


def sheet_order(names: list[str]) -> list[str]:
    """Top-level sheets (phone.css) before the controls' own, so a control's rule wins a tie."""
    return sorted(names, key=lambda name: (name.count("/"), name))


def _variable(name: str) -> str:
    """The constant that holds a module's exports in the joined script: js/dom.js -> module$js$dom."""
    return "module$" + re.sub(r"[^\w]", "$", name.removesuffix(".js"))


def _resolve(importer: str, target: str) -> str:
    """The module `target` names, relative to `importer`; ValueError if it leaves the folder."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(importer), target))
    if resolved == ".." or resolved.startswith("../"):
        raise ValueError(target)
    return resolved


def _binding(importer: str, number: int, match: re.Match[str], modules: dict[str, str]) -> tuple[str, str]:
    """(the imported module's name, the `const` line that takes its exports in the joined script)."""
    where = f"{importer}, line {number}"
    try:
        source = _resolve(importer, match["target"])
    except ValueError:
        raise AssetError(f"{where}: {match['target']} leaves phone/static") from None
    if source not in modules:
        raise AssetError(f"{where}: imports {match['target']}, which is not a module under phone/static")
    if match["namespace"]:
        return source, f"const {match['namespace']} = {_variable(source)};"
    names = []
    for item in (part.strip() for part in match["names"].split(",")):
        found = IMPORTED_NAME.fullmatch(item)
        if not found:
            raise AssetError(f"{where}: cannot read the imported name {item!r}")
        names.append(found["name"] + (f": {found['alias']}" if found["alias"] else ""))
    return source, f"const {{ {', '.join(names)} }} = {_variable(source)};"


@dataclass(frozen=True)
class _Module:
    name: str
    imports: list[str]      # modules it imports, in the order it names them
    body: str               # its source with imports taken from the joined constants
    exports: list[str]


def _read_module(name: str, source: str, modules: dict[str, str]) -> _Module:
    imports, lines, exports = [], [], []
    for number, line in enumerate(source.splitlines(), start=1):
        where = f"{name}, line {number}"
        if re.match(r"import\b", line):
            match = IMPORT.fullmatch(line)
            if not match:
                raise AssetError(f"{where}: write an import on one line as "
                                 "import { a, b as c } from './x.js'; or import * as x from './x.js';")
            target, line = _binding(name, number, match, modules)
            imports.append(target)
        elif re.match(r"export\b", line):
            match = EXPORT.match(line)
            if not match:
                raise AssetError(f"{where}: only `export function name` and `export const name` "
                                 "can be joined (no default, no let, no export list)")
            exports.append(match["name"])
            line = line.removeprefix("export ")
        lines.append(line)
    return _Module(name, imports, "\n".join(lines), exports)


def join_modules(sources: dict[str, str], entry: str = ENTRY_MODULE) -> str:
    """One script that runs `entry` and its imports as the browser would run the modules.

    A browser runs a module's imports first, depth first, in the order it names them, each
    once; so here. Each module's body goes in a function of its own, so its top-level names
    stay its own, and returns its exports frozen (a module namespace cannot be written
    either). Exports are functions and constants only, so copying them out is the same as a
    live binding. An import cycle is refused: no module here needs one (architecture.md).
    """
    if entry not in sources:
        raise AssetError(f"{entry}: the entry module is missing")
    modules: dict[str, _Module] = {}
    order: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            cycle = " -> ".join([*visiting[visiting.index(name):], name])
            raise AssetError(f"{visiting[-1]}: an import cycle ({cycle}) cannot be joined")
        visiting.append(name)
        modules[name] = _read_module(name, sources[name], sources)
        for target in modules[name].imports:
            visit(target)
        visiting.pop()
        order.append(name)

    visit(entry)
    parts = ["// phone/static's modules, joined in the order they run by phone/assets.py at start-up.",
             "// Edit the modules there: each one below is one function, headed by its file name."]
    for name in order:
        module = modules[name]
        parts.append(f"// ---- {name}\nconst {_variable(name)} = (() => {{\n{module.body}\n"
                     f"return Object.freeze({{ {', '.join(module.exports)} }});\n}})();")
    return "\n".join(parts) + "\n"


def join_sheets(sources: dict[str, str]) -> str:
    """Every sheet, base first, each headed by its file name: the cascade the page's links made."""
    return "".join(f"/* ---- {name} */\n{sources[name]}\n" for name in sheet_order(list(sources)))


def load_assets(root: Path = STATIC) -> PhoneAssets:
    sources = {path.relative_to(root).as_posix(): path.read_bytes()
               for path in sorted(root.rglob("*")) if path.is_file() and path.suffix in (".js", ".css")}
    digest = hashlib.sha256()
    for name, body in sorted(sources.items()):
        digest.update(f"{name}\0{len(body)}\0".encode())
        digest.update(body)
    version = digest.hexdigest()[:12]
    text = {name: body.decode("utf-8") for name, body in sources.items()}
    files = {
        SCRIPT: join_modules({n: s for n, s in text.items() if n.endswith(".js")}).encode("utf-8"),
        SHEET: join_sheets({n: s for n, s in text.items() if n.endswith(".css")}).encode("utf-8"),
    }
    lines = [f'  <link rel="stylesheet" href="{html.escape(asset_url(version, SHEET))}">',
             f'  <script type="module" src="{html.escape(asset_url(version, SCRIPT))}"></script>']
    template = (root / "phone.html").read_text(encoding="utf-8")
    page, found = ASSETS_MARKER.subn(lambda _: "\n".join(lines) + "\n", template)
    if found != 1:
        raise AssetError("phone/static/phone.html: needs exactly one <!-- assets: --> line")
    body = page.encode("utf-8")
    gzipped = {name: gzip.compress(data, compresslevel=9, mtime=0)
               for name, data in {**files, PAGE: body}.items()}
    return PhoneAssets(files, version, body, gzipped)
