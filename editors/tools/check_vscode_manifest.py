#!/usr/bin/env python3
"""Checks that the VS Code extension manifest is consistent.

Takes editors/vscode/package.json and the files it names; prints one line per
problem and exits 1 when there is any: the `avm` language must claim `.avm`
and name an existing, valid language-configuration.json with `//` and
`/* */` comments; the grammar entry must point at an existing TextMate grammar
whose scopeName it repeats, for the `avm` language. (vscode-tmgrammar-test is
run with explicit -g/-s arguments, so it would not notice a broken manifest.)
"""

import json
import sys
from pathlib import Path

VSCODE = Path(__file__).resolve().parent.parent / "vscode"


def load_json(path, errors):
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        errors.append(f"{path.name}: {error}")
        return None


def main():
    errors = []
    manifest = load_json(VSCODE / "package.json", errors)
    if manifest is None:
        print("\n".join(errors))
        return 1
    contributes = manifest.get("contributes", {})

    languages = [lang for lang in contributes.get("languages", []) if lang.get("id") == "avm"]
    if len(languages) != 1:
        errors.append("package.json: expected exactly one contributed language with id `avm`")
    for language in languages:
        if ".avm" not in language.get("extensions", []):
            errors.append("package.json: language `avm` does not claim the `.avm` extension")
        configuration_path = VSCODE / language.get("configuration", "")
        configuration = load_json(configuration_path, errors) if configuration_path.is_file() else None
        if configuration is None:
            errors.append(f"package.json: language configuration `{language.get('configuration')}` is missing or invalid")
        else:
            comments = configuration.get("comments", {})
            if comments.get("lineComment") != "//":
                errors.append("language-configuration.json: lineComment is not `//`")
            if comments.get("blockComment") != ["/*", "*/"]:
                errors.append("language-configuration.json: blockComment is not `/* */`")
            for pair in ("{}", "[]", "()"):
                if list(pair) not in configuration.get("brackets", []):
                    errors.append(f"language-configuration.json: brackets lack `{pair}`")

    grammars = [g for g in contributes.get("grammars", []) if g.get("language") == "avm"]
    if len(grammars) != 1:
        errors.append("package.json: expected exactly one grammar for the `avm` language")
    for entry in grammars:
        grammar_path = VSCODE / entry.get("path", "")
        grammar = load_json(grammar_path, errors) if grammar_path.is_file() else None
        if grammar is None:
            errors.append(f"package.json: grammar `{entry.get('path')}` is missing or invalid")
        elif grammar.get("scopeName") != entry.get("scopeName") or entry.get("scopeName") != "source.avm":
            errors.append(
                f"package.json: grammar scopeName `{entry.get('scopeName')}` does not match "
                f"the grammar file's `{grammar.get('scopeName')}` (expected source.avm)"
            )

    for error in errors:
        print(error)
    if errors:
        return 1
    print("vscode manifest: language `avm` (.avm), configuration and grammar source.avm are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
