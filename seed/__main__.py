"""Seed maintenance: `python -m seed check` parses every file; `python -m seed hash` records reviewed hashes."""

from __future__ import annotations

import argparse
import re
import sys

from seed.load import FILES, SEED_DIR, SOURCES_FILE, SeedError, parse_seed, sha256_of


def record_hashes() -> list[str]:
    """Write the current sha256 of every seed file into sources.toml; return the files whose hash changed."""
    path = SEED_DIR / SOURCES_FILE
    text = path.read_text(encoding="utf-8")
    changed = []
    for spec in FILES:
        digest = sha256_of(SEED_DIR / spec.file)
        pattern = re.compile(r'(file = "' + re.escape(spec.file) + r'"\n(?:(?!\[\[).*\n)*?sha256 = ")([0-9a-f]*)(")')
        match = pattern.search(text)
        if match is None:
            raise SeedError(SOURCES_FILE, None, f"no [[dataset]] entry with a sha256 line for {spec.file}")
        if match.group(2) != digest:
            changed.append(spec.file)
            text = text[: match.start(2)] + digest + text[match.end(2):]
    path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__)
    parser.add_argument("command", choices=["check", "hash"])
    args = parser.parse_args(argv)
    try:
        if args.command == "hash":
            changed = record_hashes()
            print("recorded new sha256 for: " + (", ".join(changed) if changed else "nothing (all unchanged)"))
        bundle = parse_seed()
    except SeedError as err:
        print(f"seed error: {err}", file=sys.stderr)
        return 1
    total = sum(len(p.rows) for p in bundle.files.values())
    print(f"{len(bundle.files)} files, {total} rows: all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
