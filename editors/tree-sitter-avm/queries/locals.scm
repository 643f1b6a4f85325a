; Scopes, definitions and references for the AVM language.
;
; Takes the tree of grammar.js and produces `@local.scope`,
; `@local.definition` and `@local.reference` captures (the names that
; tree-sitter-highlight, Helix and Neovim all read), so that a use of a
; parameter or local is highlighted like its definition and editors can jump
; to it.

; ─── Scopes ─────────────────────────────────────────────────────────────────

(source_file) @local.scope
(object_body) @local.scope
(function_declaration) @local.scope
(init_declaration) @local.scope
(block) @local.scope
(closure_expression) @local.scope
(for_statement) @local.scope
(match_arm) @local.scope

; ─── Definitions ────────────────────────────────────────────────────────────

(function_declaration name: (identifier) @local.definition)
(state_declaration name: (identifier) @local.definition)
(parameter name: (identifier) @local.definition)
(closure_parameter name: (identifier) @local.definition)
(import_declaration alias: (identifier) @local.definition)

; Bindings introduced by patterns (let, var, for, match arms).
(let_declaration pattern: (identifier) @local.definition)
(var_declaration pattern: (identifier) @local.definition)
(for_statement pattern: (identifier) @local.definition)
(match_arm pattern: (identifier) @local.definition)
(tuple_pattern (identifier) @local.definition)
(list_pattern (identifier) @local.definition)
(rest_pattern name: (identifier) @local.definition)
(constructor_pattern "(" (identifier) @local.definition)
(some_pattern (identifier) @local.definition)
(field_pattern pattern: (identifier) @local.definition)
(shorthand_field_pattern (identifier) @local.definition)
(or_pattern (identifier) @local.definition)

; ─── References ─────────────────────────────────────────────────────────────

(identifier) @local.reference
