#!/usr/bin/env python3
"""Checks that the printed Tape samples are still what the Tape printer prints.

Takes the samples in editors/samples/ that were copied from the printer's insta
snapshots (vm/tests/snapshots/tape_text__<name>.snap, see PRINTED) and compares
each with the program text of its snapshot; prints one line per difference and
exits 1 when there is any, 0 otherwise. Other .tape samples (hand-written, such
as escrow.tape) must be listed in HAND_WRITTEN, so that a new sample is never
left unclassified. When the printer changes, copy the text again and update the
samples' scope snapshots (see scripts/test-editors).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "editors" / "samples"
SNAPSHOTS = ROOT / "vm" / "tests" / "snapshots"

# sample stem -> insta snapshot name (tape_text__<name>.snap)
PRINTED = {"counter": "counter", "fib": "fib", "pingpong": "ping_pong", "hand_written": "hand_written"}
HAND_WRITTEN = {"escrow"}


def snapshot_body(text):
    """The snapshot's content: what follows the second `---` line of the insta header."""
    lines = text.splitlines()
    separators = [i for i, line in enumerate(lines) if line == "---"]
    if len(separators) < 2 or separators[0] != 0:
        return None
    return "\n".join(lines[separators[1] + 1 :])


def main():
    errors = []
    for stem, snapshot in sorted(PRINTED.items()):
        sample = SAMPLES / f"{stem}.tape"
        source = SNAPSHOTS / f"tape_text__{snapshot}.snap"
        if not sample.is_file() or not source.is_file():
            errors.append(f"missing {sample.relative_to(ROOT)} or {source.relative_to(ROOT)}")
            continue
        body = snapshot_body(source.read_text())
        if body is None:
            errors.append(f"{source.relative_to(ROOT)}: no insta header (--- ... ---)")
        elif body.rstrip("\n") != sample.read_text().rstrip("\n"):
            errors.append(f"{sample.relative_to(ROOT)} differs from the printer's {source.relative_to(ROOT)}")
    for sample in sorted(SAMPLES.glob("*.tape")):
        if sample.stem not in PRINTED and sample.stem not in HAND_WRITTEN:
            errors.append(f"{sample.relative_to(ROOT)}: neither printed (PRINTED) nor hand-written (HAND_WRITTEN)")

    for error in errors:
        print(error)
    if errors:
        return 1
    print(f"tape samples: {len(PRINTED)} printed samples equal the printer's snapshots, {len(HAND_WRITTEN)} hand-written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
