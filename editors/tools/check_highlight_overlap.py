#!/usr/bin/env python3
"""Checks that no two patterns of highlights.scm capture the same node.

Takes the output of `tree-sitter query queries/highlights.scm FILES...` on
standard input and prints every source range that got more than one capture;
exits 1 when there is any. Non-overlapping patterns make the highlighting the
same in editors that let the first matching pattern win (tree-sitter-highlight,
Helix) and in those that let the last one win (Neovim).
"""

import re
import sys
from collections import defaultdict

CAPTURE = re.compile(
    r"capture: \d+ - ([^,]+), start: \((\d+), (\d+)\), end: \((\d+), (\d+)\)"
)


def main():
    captures = defaultdict(list)
    current_file = "?"
    for line in sys.stdin:
        stripped = line.strip()
        match = CAPTURE.search(line)
        if match:
            name, *position = match.groups()
            captures[(current_file, *map(int, position))].append(name)
        elif stripped and not stripped.startswith("pattern:") and not line.startswith(" "):
            current_file = stripped
    overlaps = {key: names for key, names in captures.items() if len(names) > 1}
    for (path, row, column, end_row, end_column), names in sorted(overlaps.items()):
        print(f"{path}:{row + 1}:{column + 1}-{end_row + 1}:{end_column + 1}: {', '.join(names)}")
    if overlaps:
        return 1
    print(f"highlights: {len(captures)} captured ranges, none captured twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
