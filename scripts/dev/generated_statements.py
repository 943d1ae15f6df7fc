#!/usr/bin/env python3
"""Prints the statements of the generated install script that come from the given sources, in
the script's order (which is the dependency order): the starting point of an upgrade script's
section for new objects. Not a test; pgrx writes the install script on `cargo pgrx install`.

Usage: scripts/dev/generated_statements.py [--script PATH] SOURCE_PREFIX... [--symbol NAME...]
  SOURCE_PREFIX  e.g. src/models/bgbb.rs: every block whose "-- src/..." line starts with it
  --symbol NAME  also every block defining a function of the C symbol NAME (the Rust name of a #[pg_extern])
"""
import argparse
import re
import subprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", default=None)
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--symbol", nargs="*", default=[])
    a = ap.parse_args()
    script = a.script
    if script is None:
        share = subprocess.run(["/usr/lib/postgresql/15/bin/pg_config", "--sharedir"], capture_output=True, text=True).stdout.strip()
        version = re.search(r'^version = "([^"]+)"', open("Cargo.toml").read(), re.M).group(1)
        script = f"{share}/extension/crm_ext--{version}.sql"
    text = open(script, encoding="utf-8").read()
    blocks = re.findall(r"/\* <begin connected objects> \*/\n(.*?)/\* </end connected objects> \*/", text, re.S)
    for b in blocks:
        src = re.search(r"^-- (\S+):\d+$", b, re.M)
        syms = set(re.findall(r"'MODULE_PATHNAME', '(\w+?)(?:_wrapper)?'", b))
        if (src and any(src.group(1).startswith(p) for p in a.sources)) or syms & set(a.symbol):
            print(b.rstrip() + "\n")


if __name__ == "__main__":
    main()
