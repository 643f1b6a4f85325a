#!/usr/bin/env python3
"""TextMate scope snapshots of every program in examples/ and std/.

Takes every `examples/**/*.avm` and `std/**/*.avm` file (a recursive glob, so
new files are included without editing anything) and the committed snapshots
under editors/vscode/snapshots/, which mirror the repository paths
(examples/bank/main.avm -> editors/vscode/snapshots/examples/bank/main.avm.snap).

vscode-tmgrammar-snap keeps a snapshot next to its source file; to keep
examples/ and std/ free of editor files, the sources and their snapshots are
copied into a temporary mirror tree and the tool runs there, with the
extension's package.json as its configuration (so `.avm` maps to source.avm).

Without arguments: compares, not updates. Fails (exit 1) when a source has no
snapshot, when a snapshot has no source any more, or when the grammar's scopes
differ from a snapshot (the tool prints the differing lines). With --update:
writes every snapshot again from the current grammar and deletes snapshots
whose source is gone; review the diff and commit it.

Needs editors/vscode/node_modules (`npm ci`, or scripts/install-ci-tools).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VSCODE = ROOT / "editors" / "vscode"
SNAPSHOTS = VSCODE / "snapshots"
SNAP_TOOL = VSCODE / "node_modules" / ".bin" / "vscode-tmgrammar-snap"
# Source directories, and the file extensions the extension's grammars cover.
SOURCE_DIRS = ("examples", "std")
EXTENSIONS = ("avm",)


def sources():
    """Repository-relative paths of the programs to snapshot, sorted."""
    found = []
    for directory in SOURCE_DIRS:
        base = ROOT / directory
        for ext in EXTENSIONS:
            found.extend(p.relative_to(ROOT) for p in base.glob(f"**/*.{ext}") if p.is_file())
    return sorted(found)


def committed_snapshots():
    """Repository-relative source paths that have a committed snapshot, sorted."""
    if not SNAPSHOTS.is_dir():
        return []
    return sorted(p.relative_to(SNAPSHOTS).with_suffix("") for p in SNAPSHOTS.glob("**/*.snap"))


def snapshot_of(source):
    return SNAPSHOTS / f"{source}.snap"


def run_tool(mirror, files, update):
    """Runs vscode-tmgrammar-snap in `mirror` on `files`; True when it passes."""
    command = [str(SNAP_TOOL), "--config", str(VSCODE / "package.json")]
    if update:
        command.append("-u")
    command.extend(str(f) for f in files)
    return subprocess.run(command, cwd=mirror).returncode == 0


def main(argv):
    update = argv[1:] == ["--update"]
    if argv[1:] and not update:
        print(f"usage: {argv[0]} [--update]", file=sys.stderr)
        return 2
    if not SNAP_TOOL.exists():
        print(f"{SNAP_TOOL.relative_to(ROOT)} is missing: run `npm ci` in editors/vscode")
        return 1
    files = sources()
    if not files:
        print("no .avm files under " + ", ".join(f"{d}/" for d in SOURCE_DIRS))
        return 1

    have = set(committed_snapshots())
    missing = [f for f in files if f not in have]
    orphans = sorted(have - set(files))
    status = 0
    if update:
        for orphan in orphans:
            print(f"deleting snapshot without a source: {snapshot_of(orphan).relative_to(ROOT)}")
            snapshot_of(orphan).unlink()
    else:
        for f in missing:
            print(f"missing snapshot: {snapshot_of(f).relative_to(ROOT)} (create it with --update and commit it)")
        for orphan in orphans:
            print(f"snapshot without a source: {snapshot_of(orphan).relative_to(ROOT)} (its source {orphan} is gone; delete it)")
        if missing or orphans:
            status = 1

    with tempfile.TemporaryDirectory(prefix="avm-snapshots-") as tmp:
        mirror = Path(tmp)
        checked = [f for f in files if update or f in have]
        for f in checked:
            (mirror / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / f, mirror / f)
            if f in have:
                shutil.copyfile(snapshot_of(f), mirror / f"{f}.snap")
        print(f"scope snapshots of {len(checked)} files under " + ", ".join(f"{d}/" for d in SOURCE_DIRS))
        if checked and not run_tool(mirror, checked, update):
            status = 1
        if update:
            for f in checked:
                target = snapshot_of(f)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(mirror / f"{f}.snap", target)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
