#!/usr/bin/env python3
"""Checks that both editor grammars use exactly the keywords of keywords.txt.

Takes editors/keywords.txt (one keyword a line, sorted), editors/contextual-keywords.txt
(the keywords that are names wherever their form cannot start; never reserved), the TextMate grammar
editors/vscode/syntaxes/avm.tmLanguage.json and the tree-sitter grammar
editors/tree-sitter-avm/grammar.js; prints one line per disagreement and exits
1 when there is any, 0 otherwise. The compiler's keyword-agreement test compares
the lexer's keyword list with the same keywords.txt.
"""

import json
import re
import sys
from pathlib import Path

EDITORS = Path(__file__).resolve().parent.parent
KEYWORDS = EDITORS / "keywords.txt"
CONTEXTUAL = EDITORS / "contextual-keywords.txt"
TEXTMATE = EDITORS / "vscode" / "syntaxes" / "avm.tmLanguage.json"
TREE_SITTER = EDITORS / "tree-sitter-avm" / "grammar.js"


def textmate_keyword_rules(grammar):
    """Words of the `\\b(a|b|c)\\b` rules of the `keywords` repository entry."""
    words = set()
    for rule in grammar["repository"]["keywords"]["patterns"]:
        for alternation in re.findall(r"\\b\(([^()]*)\)\\b", rule.get("match", "")):
            words.update(alternation.split("|"))
    return words


def textmate_name_exclusions(grammar):
    """Words of the `(?!(?:a|b)\\b)` guards that keep keywords out of definition names."""
    lists = set()
    for rule in grammar["repository"]["definitions"]["patterns"]:
        for alternation in re.findall(r"\(\?!\(\?:([^()]*)\)\\b\)", rule.get("match", "")):
            lists.add(tuple(alternation.split("|")))
    return lists


def tree_sitter_reserved(source):
    block = re.search(r"reserved:\s*\{\s*global:\s*_\s*=>\s*\[(.*?)\]", source, re.S)
    if block is None:
        return None
    return re.findall(r"'([^']*)'", block.group(1))


def main():
    errors = []
    keywords = [line.strip() for line in KEYWORDS.read_text().splitlines() if line.strip()]
    if keywords != sorted(keywords):
        errors.append(f"{KEYWORDS.name}: not sorted")
    if len(set(keywords)) != len(keywords):
        errors.append(f"{KEYWORDS.name}: duplicate entries")
    wanted = set(keywords)
    contextual = [line.strip() for line in CONTEXTUAL.read_text().splitlines() if line.strip()]
    if contextual != sorted(set(contextual)):
        errors.append(f"{CONTEXTUAL.name}: not sorted, or duplicate entries")
    for word in sorted(set(contextual) - wanted):
        errors.append(f"{CONTEXTUAL.name}: `{word}` is not in keywords.txt")
    # Only the reserved words are never names (definition guards, tree-sitter `reserved`).
    reserved = wanted - set(contextual)

    grammar = json.loads(TEXTMATE.read_text())
    textmate = textmate_keyword_rules(grammar)
    for word in sorted(wanted - textmate):
        errors.append(f"avm.tmLanguage.json: keyword `{word}` has no keyword rule")
    for word in sorted(textmate - wanted):
        errors.append(f"avm.tmLanguage.json: keyword rule for `{word}`, which is not in keywords.txt")
    exclusions = textmate_name_exclusions(grammar)
    if not exclusions:
        errors.append("avm.tmLanguage.json: definition rules have no keyword exclusion guard")
    for exclusion in exclusions:
        if set(exclusion) != reserved:
            errors.append(
                "avm.tmLanguage.json: definition-name guard differs from the reserved words: "
                f"missing {sorted(reserved - set(exclusion))}, extra {sorted(set(exclusion) - reserved)}"
            )

    source = TREE_SITTER.read_text()
    tree_sitter = tree_sitter_reserved(source)
    if tree_sitter is None:
        errors.append("grammar.js: no `reserved: { global: ... }` list")
    else:
        for word in sorted(reserved - set(tree_sitter)):
            errors.append(f"grammar.js: keyword `{word}` is not reserved")
        for word in sorted(set(tree_sitter) - reserved):
            errors.append(f"grammar.js: reserved word `{word}` is contextual or not in keywords.txt")
    for word in keywords:
        # A reserved word: once in the reserved list, at least once in a rule.
        uses = 2 if word in reserved else 1
        if len(re.findall(r"'" + re.escape(word) + r"'", source)) < uses:
            errors.append(f"grammar.js: keyword `{word}` is used by no rule")

    for error in errors:
        print(error)
    if errors:
        return 1
    print(
        f"keywords: {len(keywords)} keywords ({len(contextual)} contextual) agree in keywords.txt, "
        "contextual-keywords.txt, avm.tmLanguage.json and grammar.js"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
