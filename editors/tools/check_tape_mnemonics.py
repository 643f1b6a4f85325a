#!/usr/bin/env python3
"""Checks that the Tape TextMate grammar knows every word the Tape printer and parser use.

Takes the Rust source text of the Tape format (no Rust toolchain needed) and the
grammar editors/vscode/syntaxes/tape.tmLanguage.json; prints one line per
problem and exits 1 when there is any, 0 otherwise.

Where the words come from (the source, not docs/tape.md, whose op table mixes
operands and prose):
- op mnemonics: the first word of each arm of `impl fmt::Display for Op` in
  vm/src/tape/text.rs (what the printer emits); every variant of `enum Op`
  (vm/src/tape/op.rs) must have such an arm, so no op is missed silently;
- prim mnemonics: the printer writes `prim.{kind}`, which is expanded into
  `prim.` + each name of `PrimKind::name` in vm/src/tape/prim.rs; every
  variant of `enum PrimKind` must have a name;
- effect mnemonics: `fx.` + each name of `EffectKind::name` in
  vm/src/tape/effect.rs (the printer writes `fx.{kind}`), with each
  instruction's family from `EffectKind::family`; every variant of
  `enum EffectKind` must have a name and a family;
- the parser's words: the op mnemonics it matches in vm/src/tape/parse/op.rs
  (plus every `prim.<name>` when it strips the `prim.` prefix and looks the
  rest up with `PrimKind::from_name`),
  the directives of vm/src/tape/parse/mod.rs, the function kinds of
  `FunctionKind::keyword` (vm/src/tape/program.rs) and the safety keywords of
  `Safety::keyword` (effect.rs).

What is checked, by running the grammar's own regular expressions (they use
only syntax that Python's `re` and Oniguruma read alike):
- an op line `    <mnemonic> r0 -> r1` is claimed by an op rule that captures
  exactly the mnemonic with a `keyword.*` scope (not `invalid.illegal.*`);
- a prim line `    prim.<name> r0 -> r1` gets `keyword.operator.prim.tape`;
- an effect line `    fx.<name> r0 -> r1` gets
  `support.function.effect.<family>.tape`, the family of that instruction;
- a line `.<directive>` gets `keyword.other.directive.<directive>.tape`;
- the function-kind and safety rules match every kind and safety keyword;
- the grammar names no mnemonic that neither the printer nor the parser knows.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TAPE = ROOT / "vm" / "src" / "tape"
GRAMMAR = ROOT / "editors" / "vscode" / "syntaxes" / "tape.tmLanguage.json"

STRING_LITERAL = r'"((?:[^"\\]|\\.)*)"'


class SourceError(Exception):
    """The Rust source does not have the shape this script reads."""


def block_after(text, header, what):
    """The text between the `{` that ends `header` and its matching `}`."""
    start = text.find(header)
    if start < 0:
        raise SourceError(f"cannot find `{header}` ({what})")
    open_brace = text.find("{", start + len(header) - 1)
    depth = 0
    i = open_brace
    while i < len(text):
        c = text[i]
        if c == '"':
            i = skip_string(text, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1 : i]
        i += 1
    raise SourceError(f"unbalanced braces after `{header}` ({what})")


def skip_string(text, i):
    """The index after the string literal that starts at `text[i] == '"'`."""
    i += 1
    while i < len(text) and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def top_level(block):
    """`block` with everything nested in braces removed (string literals kept)."""
    out = []
    depth = 0
    i = 0
    while i < len(block):
        c = block[i]
        if c == '"':
            end = skip_string(block, i)
            if depth == 0:
                out.append(block[i:end])
            i = end
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    return "".join(out)


def enum_variants(source, name):
    body = top_level(block_after(source, f"pub enum {name} ", f"enum {name}"))
    body = re.sub(r"//[^\n]*", "", body)
    return re.findall(r"\b([A-Z][A-Za-z0-9]*)\s*(?:,|$)", body)


def prim_kinds(errors):
    """The text names of `PrimKind::name` (vm/src/tape/prim.rs), one per `enum PrimKind` variant."""
    source = (TAPE / "prim.rs").read_text()
    names = dict(re.findall(r"\b([A-Z][A-Za-z0-9]*)\s*=>\s*" + STRING_LITERAL,
                            block_after(source, "pub fn name(self)", "PrimKind::name")))
    variants = enum_variants(source, "PrimKind")
    if not variants:
        raise SourceError("prim.rs: found no variants of `enum PrimKind`")
    kinds = set()
    for variant in variants:
        if variant not in names:
            errors.append(f"prim.rs: PrimKind::{variant} has no name")
        else:
            kinds.add(names[variant])
    return kinds


def printer_mnemonics(errors, prims):
    """The mnemonics printed by `Display for Op`, `prim.{kind}` expanded with `prims`.

    `fx.{kind}` arms are left out (effects are read from effect.rs)."""
    text = (TAPE / "text.rs").read_text()
    body = block_after(text, "impl fmt::Display for Op {", "the op printer")
    arms = list(re.finditer(r"\bOp::([A-Z][A-Za-z0-9]*)\s*(?:\{[^}]*\})?\s*=>", body))
    mnemonics = {}
    for arm, following in zip(arms, arms[1:] + [None]):
        arm_text = body[arm.end() : following.start() if following else len(body)]
        literal = re.search(r"(?:write!\(\s*f,\s*|write_str\(\s*)" + STRING_LITERAL, arm_text)
        if literal is None:
            errors.append(f"text.rs: the printer arm for Op::{arm.group(1)} writes no string literal")
            continue
        word = re.match(r"[a-z][a-z0-9_.]*(?:\{kind\})?", literal.group(1))
        if word is None:
            errors.append(f"text.rs: the printer arm for Op::{arm.group(1)} starts with `{literal.group(1)}`")
            continue
        mnemonics[arm.group(1)] = word.group(0)
    if not arms:
        raise SourceError("text.rs: found no `Op::` arms in `impl fmt::Display for Op`")
    variants = enum_variants((TAPE / "op.rs").read_text(), "Op")
    if not variants:
        raise SourceError("op.rs: found no variants of `enum Op`")
    for variant in variants:
        if variant not in mnemonics:
            errors.append(f"text.rs: no printer arm found for Op::{variant}")
    if "fx.{kind}" not in mnemonics.values():
        errors.append("text.rs: no printer arm writes `fx.{kind}`; effect mnemonics are read on that assumption")
    printed = set()
    for variant, word in mnemonics.items():
        if word == "fx.{kind}":
            continue
        if word == "prim.{kind}":
            printed |= {f"prim.{kind}" for kind in prims}
        elif "{" in word:
            errors.append(f"text.rs: the printer arm for Op::{variant} writes `{word}`, a placeholder this script cannot expand")
        else:
            printed.add(word)
    return printed


def effect_table(errors):
    """Effect name -> family (lower case), from `EffectKind::name` and `EffectKind::family`."""
    source = (TAPE / "effect.rs").read_text()
    names = dict(re.findall(r"\b([A-Z][A-Za-z0-9]*)\s*=>\s*" + STRING_LITERAL,
                            block_after(source, "pub fn name(self)", "EffectKind::name")))
    families = {}
    for arm in re.finditer(r"((?:[A-Z][A-Za-z0-9]*\s*\|\s*)*[A-Z][A-Za-z0-9]*)\s*=>\s*Family::([A-Za-z]+)",
                           block_after(source, "pub fn family(self)", "EffectKind::family")):
        for variant in re.split(r"\s*\|\s*", arm.group(1)):
            families[variant] = arm.group(2).lower()
    variants = enum_variants(source, "EffectKind")
    if not variants:
        raise SourceError("effect.rs: found no variants of `enum EffectKind`")
    table = {}
    for variant in variants:
        if variant not in names:
            errors.append(f"effect.rs: EffectKind::{variant} has no name")
        elif variant not in families:
            errors.append(f"effect.rs: EffectKind::{variant} has no family")
        else:
            table[names[variant]] = families[variant]
    return table


def quoted_arms(block):
    """The string literals before `=>` at the top level of a match block."""
    words = []
    for arm in re.finditer(r'((?:"[^"]*"\s*\|\s*)*"[^"]*")\s*=>', top_level(block)):
        words += re.findall(STRING_LITERAL, arm.group(1))
    return words


def quoted_results(block):
    """The string literals right after `=>` in a match block."""
    return re.findall(r"=>\s*" + STRING_LITERAL, block)


def parser_words(prims):
    ops_source = (TAPE / "parse" / "op.rs").read_text()
    mnemonics = set()
    for function in ("fn unary(", "fn binary(", "fn parse_op("):
        body = block_after(ops_source, function, f"parser: `{function}`")
        mnemonics |= set(quoted_arms(block_after(body, "match mnemonic {", f"parser: the match in `{function}`")))
    if 'strip_prefix("prim.")' in ops_source and "PrimKind::from_name" in ops_source:
        mnemonics |= {f"prim.{kind}" for kind in prims}
    if "fx." not in ops_source:
        raise SourceError("parse/op.rs: no `fx.` prefix; effect parsing is read on that assumption")
    directives = quoted_arms(block_after((TAPE / "parse" / "mod.rs").read_text(),
                                         "match directive {", "parser: directives"))
    kinds = quoted_results(block_after((TAPE / "program.rs").read_text(),
                                       "pub fn keyword(self)", "FunctionKind::keyword"))
    safety = quoted_results(block_after((TAPE / "effect.rs").read_text(),
                                        "pub fn keyword(self)", "Safety::keyword"))
    for what, words in (("parser op mnemonics", mnemonics), ("directives", directives),
                        ("function kinds", kinds), ("safety keywords", safety)):
        if not words:
            raise SourceError(f"found no {what} in the Rust source")
    return mnemonics, directives, kinds, safety


class Grammar:
    """The grammar's rules, read the way a TextMate engine tries them on one line."""

    def __init__(self, grammar):
        self.repository = grammar["repository"]
        self.top = grammar["patterns"]

    def leaves(self, patterns):
        for rule in patterns:
            include = rule.get("include")
            if include is not None:
                yield from self.leaves(self.repository_patterns(include))
            elif "patterns" in rule and "begin" not in rule and "match" not in rule:
                yield from self.leaves(rule["patterns"])
            else:
                yield rule

    def repository_patterns(self, include):
        if not include.startswith("#") or include[1:] not in self.repository:
            raise SourceError(f"tape.tmLanguage.json: cannot resolve include `{include}`")
        return [self.repository[include[1:]]]

    def first_rule(self, line):
        """The rule a TextMate engine applies at the start of `line` and its match."""
        best = None
        for rule in self.leaves(self.top):
            regex = rule.get("begin", rule.get("match"))
            found = re.compile(regex).search(line)
            if found and (best is None or found.start() < best[1].start()):
                best = (rule, found)
        return best

    @staticmethod
    def capture_scope(rule, group):
        captures = rule.get("beginCaptures", rule.get("captures", {}))
        return captures.get(str(group), {}).get("name", "")

    def alternation_words(self):
        """The words listed in the op rules' `(a|b\\.c)`, `(fx\\.(?:a|b))` and `(prim\\.(?:a|b))` alternations."""
        words = set()
        for rule in self.leaves(self.repository["ops"]["patterns"]):
            if self.capture_scope(rule, 1).startswith("invalid."):
                continue
            found = re.match(r"\^\\s\*\((.*)\)\(\?!", rule.get("begin", rule.get("match", "")))
            if found is None:
                raise SourceError(f"tape.tmLanguage.json: cannot read the op rule `{rule.get('begin')}`")
            inner, prefix = found.group(1), ""
            prefixed = re.fullmatch(r"(fx|prim)\\\.\(\?:(.*)\)", inner)
            if prefixed:
                inner, prefix = prefixed.group(2), prefixed.group(1) + "."
            for word in inner.split("|"):
                words.add(prefix + word.replace("\\.", "."))
        return words


def check_line(grammar, line, word, wanted, errors):
    """`line` must be claimed by a rule whose capture 1 is exactly `word`, scoped as `wanted`."""
    best = grammar.first_rule(line)
    if best is None:
        errors.append(f"tape.tmLanguage.json: no rule matches `{line.strip()}`")
        return
    rule, found = best
    scope = grammar.capture_scope(rule, 1)
    if found.lastindex is None or found.group(1) != word:
        errors.append(f"tape.tmLanguage.json: `{word}` is not matched as a whole word in `{line.strip()}`")
    elif not wanted(scope):
        errors.append(f"tape.tmLanguage.json: `{word}` gets the scope `{scope}`")


def main():
    errors = []
    try:
        prims = prim_kinds(errors)
        printed = printer_mnemonics(errors, prims)
        effects = effect_table(errors)
        parsed, directives, kinds, safety = parser_words(prims)
        grammar = Grammar(json.loads(GRAMMAR.read_text()))
        listed = grammar.alternation_words()
    except (OSError, json.JSONDecodeError, re.error, SourceError) as error:
        print(error)
        return 1

    ops = printed | parsed
    for word in sorted(printed - parsed):
        errors.append(f"parse/op.rs: the printer emits `{word}` but the parser has no arm for it")
    prim_words = {f"prim.{kind}" for kind in prims}
    for word in sorted(ops - prim_words):
        check_line(grammar, f"    {word} r0 -> r1", word,
                   lambda scope: scope.startswith("keyword.") and scope.endswith(".tape"), errors)
    for word in sorted(ops & prim_words):
        check_line(grammar, f"    {word} r0 -> r1", word,
                   lambda scope: scope == "keyword.operator.prim.tape", errors)
    for name, family in sorted(effects.items()):
        wanted = f"support.function.effect.{family}.tape"
        check_line(grammar, f"    fx.{name} r0 -> r1", f"fx.{name}", lambda scope, w=wanted: scope == w, errors)
    for directive in directives:
        wanted = f"keyword.other.directive.{directive}.tape"
        check_line(grammar, f".{directive}", f".{directive}", lambda scope, w=wanted: scope == w, errors)
    for rule_name, words in (("function-kind", kinds), ("safety", safety)):
        rules = list(grammar.leaves([{"include": f"#{rule_name}"}]))
        for word in words:
            if not any(re.fullmatch(rule["match"], word) for rule in rules):
                errors.append(f"tape.tmLanguage.json: the `{rule_name}` rule does not match `{word}`")
    known = ops | {f"fx.{name}" for name in effects}
    for word in sorted(listed - known):
        errors.append(f"tape.tmLanguage.json: the op rules name `{word}`, which neither the printer nor the parser knows")

    for error in errors:
        print(error)
    if errors:
        return 1
    print(
        f"tape mnemonics: {len(ops)} op mnemonics ({len(prims)} of them prim.*), {len(effects)} fx.* effects in "
        f"{len(set(effects.values()))} families, {len(directives)} directives, {len(kinds)} function kinds "
        f"and {len(safety)} safety keywords are highlighted by tape.tmLanguage.json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
