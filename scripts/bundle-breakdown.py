#!/usr/bin/env python3
"""Shows where the release wasm's gzip bytes go, by crate and module.

Run after a release build (`trunk build --release --offline`):

    python3 scripts/bundle-breakdown.py [path/to/leadline.wasm]

It re-runs wasm-bindgen and wasm-opt -Oz keeping function names, then for
each group of functions (a crate, or a module of ours) measures how much
smaller the gzip'd module gets when their bodies are emptied. That is the
group's real share of the download: raw sizes mislead, because generated
code (serde, views) compresses far better than strings and hand-written code.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import zlib

FEATURES = [
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
]


def leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def uleb(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sections(module):
    found, i = [], 8
    while i < len(module):
        sid = module[i]
        size, j = leb(module, i + 1)
        found.append((sid, module[j:j + size]))
        i = j + size
    return found


def imported_functions(body):
    count, j = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, j = leb(body, j)
            j += n
        kind = body[j]
        j += 1
        if kind == 0:  # function: type index
            _, j = leb(body, j)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            j += 1
            flags, j = leb(body, j)
            _, j = leb(body, j)
            if flags & 1:
                _, j = leb(body, j)
        elif kind == 2:  # memory: limits
            flags, j = leb(body, j)
            _, j = leb(body, j)
            if flags & 1:
                _, j = leb(body, j)
        elif kind == 3:  # global: valtype, mutability
            j += 2
        else:  # tag
            j += 1
            _, j = leb(body, j)
    return functions


def function_names(secs):
    names = {}
    for sid, body in secs:
        if sid != 0:
            continue
        n, j = leb(body, 0)
        if body[j:j + n] != b"name":
            continue
        j += n
        while j < len(body):
            sub = body[j]
            size, j = leb(body, j + 1)
            if sub == 1:
                count, k = leb(body, j)
                for _ in range(count):
                    index, k = leb(body, k)
                    n, k = leb(body, k)
                    names[index] = body[k:k + n].decode("utf8", "replace")
                    k += n
            j += size
    return names


def group_of(name):
    if "leadline::" in name:
        if "serde" in name:
            return "leadline (serde impls)"
        m = re.search(r"leadline::([a-z_]+)(?:::([a-z_]+)(?=::))?", name)
        return "leadline::" + "::".join(p for p in m.groups() if p) if m else "leadline"
    if "serde" in name:
        return "serde, serde_json"
    m = re.match(r"<?&?(?:mut )?([A-Za-z_0-9]+)(?:\[[0-9a-f]+\])?(?:::([A-Za-z_0-9]+))?", name)
    if not m:
        return "(unnamed)"
    crate, module = m.groups()
    return f"{crate}::{module}" if crate in ("core", "alloc", "std") and module else crate


def main():
    wasm = sys.argv[1] if len(sys.argv) > 1 else "target/wasm32-unknown-unknown/release/leadline.wasm"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["wasm-bindgen", "--target", "web", "--keep-debug", "--out-dir", tmp, wasm], check=True)
        bound = os.path.join(tmp, os.path.basename(wasm).replace(".wasm", "_bg.wasm"))
        optimised = os.path.join(tmp, "opt.wasm")
        subprocess.run(["wasm-opt", "-Oz", "-g", *FEATURES, bound, "-o", optimised], check=True)
        module = open(optimised, "rb").read()

    secs = sections(module)
    first = sum(imported_functions(body) for sid, body in secs if sid == 2)
    names = function_names(secs)
    code = next(body for sid, body in secs if sid == 10)
    count, j = leb(code, 0)
    bodies = []
    for _ in range(count):
        size, k = leb(code, j)
        bodies.append(code[k:k + size])
        j = k + size

    def gzip_without(emptied):
        out = bytearray(module[:8])
        for sid, body in secs:
            if sid == 0:  # names and other custom sections are not shipped
                continue
            if sid == 10:
                rebuilt = bytearray(uleb(len(bodies)))
                for index, fn_body in enumerate(bodies):
                    fn_body = b"\x00\x00\x0b" if index in emptied else fn_body  # no locals; unreachable
                    rebuilt += uleb(len(fn_body)) + fn_body
                body = bytes(rebuilt)
            out += bytes([sid]) + uleb(len(body)) + body
        return len(zlib.compress(bytes(out), 9))

    groups = collections.defaultdict(set)
    for index in range(len(bodies)):
        groups[group_of(names.get(first + index, ""))].add(index)
    total = gzip_without(set())
    rows = []
    for group, members in groups.items():
        raw = sum(len(bodies[i]) for i in members)
        if raw >= 1024:
            rows.append((total - gzip_without(members), raw, group))
    rows.sort(reverse=True)
    data = next((body for sid, body in secs if sid == 11), b"")
    print(f"module without names: {total / 1024:.1f} KB gzip")
    print(f"{'gzip KB':>8} {'raw KB':>8}  group")
    for saved, raw, group in rows[:40]:
        print(f"{saved / 1024:8.1f} {raw / 1024:8.1f}  {group}")
    print(f"{len(zlib.compress(data, 9)) / 1024:8.1f} {len(data) / 1024:8.1f}  data section (strings, tables), gzip'd alone")


if __name__ == "__main__":
    main()
