#!/usr/bin/env python3
"""Checks that the VS Code extension manifest is consistent.

Takes editors/vscode/package.json and the files it names; prints one line per
problem and exits 1 when there is any. For each language of LANGUAGES (`avm`,
and `tape` for the Tape IR text format): the language must claim its file
extension and name an existing, valid language configuration with the
language's comment tokens and brackets; its grammar entry must point at an
existing TextMate grammar whose scopeName it repeats. (vscode-tmgrammar-test is
run with explicit -g/-s arguments, so it would not notice a broken manifest.)
"""

import json
import sys
from pathlib import Path

VSCODE = Path(__file__).resolve().parent.parent / "vscode"

# id, extension, grammar scope, line comment, block comment (None: the language has none), brackets
LANGUAGES = [
    ("avm", ".avm", "source.avm", "//", ["/*", "*/"], ("{}", "[]", "()")),
    ("tape", ".tape", "source.tape", ";", None, ("[]", "()")),
]


def load_json(path, errors):
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        errors.append(f"{path.name}: {error}")
        return None


def check_language(contributes, spec, errors):
    language_id, extension, scope, line_comment, block_comment, brackets = spec
    languages = [lang for lang in contributes.get("languages", []) if lang.get("id") == language_id]
    if len(languages) != 1:
        errors.append(f"package.json: expected exactly one contributed language with id `{language_id}`")
    for language in languages:
        if extension not in language.get("extensions", []):
            errors.append(f"package.json: language `{language_id}` does not claim the `{extension}` extension")
        configuration_path = VSCODE / language.get("configuration", "")
        configuration = load_json(configuration_path, errors) if configuration_path.is_file() else None
        if configuration is None:
            errors.append(f"package.json: language configuration `{language.get('configuration')}` is missing or invalid")
        else:
            name = configuration_path.name
            comments = configuration.get("comments", {})
            if comments.get("lineComment") != line_comment:
                errors.append(f"{name}: lineComment is not `{line_comment}`")
            if comments.get("blockComment") != block_comment:
                wanted = "absent" if block_comment is None else f"`{' '.join(block_comment)}`"
                errors.append(f"{name}: blockComment is not {wanted}")
            for pair in brackets:
                if list(pair) not in configuration.get("brackets", []):
                    errors.append(f"{name}: brackets lack `{pair}`")

    grammars = [g for g in contributes.get("grammars", []) if g.get("language") == language_id]
    if len(grammars) != 1:
        errors.append(f"package.json: expected exactly one grammar for the `{language_id}` language")
    for entry in grammars:
        grammar_path = VSCODE / entry.get("path", "")
        grammar = load_json(grammar_path, errors) if grammar_path.is_file() else None
        if grammar is None:
            errors.append(f"package.json: grammar `{entry.get('path')}` is missing or invalid")
        elif grammar.get("scopeName") != entry.get("scopeName") or entry.get("scopeName") != scope:
            errors.append(
                f"package.json: grammar scopeName `{entry.get('scopeName')}` does not match "
                f"the grammar file's `{grammar.get('scopeName')}` (expected {scope})"
            )


def main():
    errors = []
    manifest = load_json(VSCODE / "package.json", errors)
    if manifest is None:
        print("\n".join(errors))
        return 1
    contributes = manifest.get("contributes", {})
    for spec in LANGUAGES:
        check_language(contributes, spec, errors)

    for error in errors:
        print(error)
    if errors:
        return 1
    described = ", ".join(f"`{spec[0]}` ({spec[1]}, {spec[2]})" for spec in LANGUAGES)
    print(f"vscode manifest: languages {described}: configurations and grammars are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
