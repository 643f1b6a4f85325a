; Syntax highlighting for the AVM language.
;
; Takes the tree of grammar.js and produces standard capture names (the
; nvim-treesitter / Zed set; see README.md for Helix). No two patterns capture
; the same node, so the result does not depend on whether an editor lets the
; first or the last matching pattern win.

; ─── Comments ───────────────────────────────────────────────────────────────

(line_comment) @comment
(block_comment) @comment
(doc_comment) @comment.documentation

; ─── Literals ───────────────────────────────────────────────────────────────

(integer_literal) @number
(string_literal) @string
(escape_sequence) @string.escape
(boolean_literal) @boolean
(none_literal) @constant.builtin
"some" @constant.builtin

; ─── Built-in values ────────────────────────────────────────────────────────

(self) @variable.builtin
(sender) @variable.builtin
(input) @variable.builtin
(wildcard_pattern) @variable.builtin

; ─── Keywords ───────────────────────────────────────────────────────────────

"import" @keyword.import
(import_declaration "as" @keyword.import)
(cast_expression "as" @keyword.operator)

"fn" @keyword.function
(init_declaration "init" @keyword.function)

[
  "struct"
  "enum"
  "object"
] @keyword.type

[
  "pure"
  "unsafe"
] @keyword.modifier

[
  "let"
  "var"
  "state"
] @keyword

[
  "if"
  "else"
  "match"
] @keyword.conditional

[
  "while"
  "for"
  "in"
] @keyword.repeat

(break_expression) @keyword.repeat
(continue_expression) @keyword.repeat

"return" @keyword.return

"try" @keyword.exception
(abort_expression) @keyword.exception
(reject_expression) @keyword.exception

; AVM effects: objects, transactions, distribution, constraints.
[
  "create"
  "destroy"
  "atomic"
  "by"
  "teleport"
  "move"
  "to"
  "fetch"
  "transfer"
  "freeze"
  "post"
  "require"
  "update"
  "register"
] @keyword

; ─── Operators and punctuation ──────────────────────────────────────────────

[
  "+"
  "-"
  "*"
  "/"
  "%"
  "++"
  "=="
  "!="
  "<"
  "<="
  ">"
  ">="
  "&&"
  "||"
  "!"
  ".."
  "..="
  "="
  "+="
  "-="
  "*="
  "/="
  "%="
  "++="
  "=>"
  "->"
  "|"
] @operator

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  ";"
  ":"
  "."
  "::"
] @punctuation.delimiter

; ─── Types ──────────────────────────────────────────────────────────────────

(struct_declaration name: (type_identifier) @type.definition)
(enum_declaration name: (type_identifier) @type.definition)
(object_declaration name: (type_identifier) @type.definition)

([
  (_ type: (type_identifier) @type.builtin)
  (_ return_type: (type_identifier) @type.builtin)
  (type_arguments (type_identifier) @type.builtin)
  (tuple_type (type_identifier) @type.builtin)
  (tuple_fields (type_identifier) @type.builtin)
  (function_type_parameters (type_identifier) @type.builtin)
  (generic_type name: (type_identifier) @type.builtin)
]
  (#any-of? @type.builtin "Int" "Bool" "String" "Unit" "Any" "List" "Option" "Ref" "TxId" "MachineId" "ControllerId" "FdVar" "ObjectMeta"))

([
  (_ type: (type_identifier) @type)
  (_ return_type: (type_identifier) @type)
  (type_arguments (type_identifier) @type)
  (tuple_type (type_identifier) @type)
  (tuple_fields (type_identifier) @type)
  (function_type_parameters (type_identifier) @type)
  (generic_type name: (type_identifier) @type)
]
  (#not-any-of? @type "Int" "Bool" "String" "Unit" "Any" "List" "Option" "Ref" "TxId" "MachineId" "ControllerId" "FdVar" "ObjectMeta"))

(type_parameters (type_identifier) @type)
(create_expression kind: (type_identifier) @type)
(struct_expression name: (type_identifier) @type)
(struct_pattern name: (type_identifier) @type)
(scoped_identifier path: (type_identifier) @type)

; ─── Constructors (enum variants) ───────────────────────────────────────────

(enum_variant name: (type_identifier) @constructor)
(scoped_identifier name: (type_identifier) @constructor)
(call_expression function: (type_identifier) @constructor)
(constructor_pattern constructor: (_) @constructor)
(match_arm pattern: (type_identifier) @constructor)
(or_pattern (type_identifier) @constructor)
(arguments (type_identifier) @constructor)
(list_expression (type_identifier) @constructor)
(tuple_expression (type_identifier) @constructor)
(some_expression (type_identifier) @constructor)
(parenthesized_expression (type_identifier) @constructor)
(binary_expression left: (type_identifier) @constructor)
(binary_expression right: (type_identifier) @constructor)
(let_declaration value: (type_identifier) @constructor)
(var_declaration value: (type_identifier) @constructor)
(state_declaration value: (type_identifier) @constructor)
(assignment_statement right: (type_identifier) @constructor)
(field_initializer value: (type_identifier) @constructor)
(match_arm value: (type_identifier) @constructor)
(return_expression value: (type_identifier) @constructor)
(expression_statement (type_identifier) @constructor)
(if_expression (type_identifier) @constructor)
(while_statement (type_identifier) @constructor)
(match_expression (type_identifier) @constructor)
(index_expression (type_identifier) @constructor)
(unary_expression (type_identifier) @constructor)
(cast_expression value: (type_identifier) @constructor)
(range_expression (type_identifier) @constructor)
(closure_expression body: (type_identifier) @constructor)
(post_statement (type_identifier) @constructor)
(require_statement (type_identifier) @constructor)
(try_expression (type_identifier) @constructor)
(atomic_expression (type_identifier) @constructor)
(create_expression controller: (type_identifier) @constructor)
(teleport_expression (type_identifier) @constructor)
(move_expression (type_identifier) @constructor)
(transfer_expression (type_identifier) @constructor)
(destroy_expression (type_identifier) @constructor)
(fetch_expression (type_identifier) @constructor)
(freeze_expression (type_identifier) @constructor)

; ─── Functions ──────────────────────────────────────────────────────────────

(source_file (function_declaration name: (identifier) @function))
(object_body (function_declaration name: (identifier) @function.method))

(call_expression
  function: (identifier) @function.builtin
  (#any-of? @function.builtin "print" "receive" "call" "here" "machine_of" "machine" "controller" "current_controller" "controller_of" "reflect" "scry_meta" "scry_deep" "reify_context" "reify_tx" "reify_constraints" "fd_vars" "all_different" "narrow" "label" "choose" "begin_tx" "commit_tx" "abort_tx" "publish" "lookup" "len" "to_string" "min" "max" "abs" "map" "filter" "fold" "contains" "reverse"))

(call_expression
  function: (identifier) @function.call
  (#not-any-of? @function.call "print" "receive" "call" "here" "machine_of" "machine" "controller" "current_controller" "controller_of" "reflect" "scry_meta" "scry_deep" "reify_context" "reify_tx" "reify_constraints" "fd_vars" "all_different" "narrow" "label" "choose" "begin_tx" "commit_tx" "abort_tx" "publish" "lookup" "len" "to_string" "min" "max" "abs" "map" "filter" "fold" "contains" "reverse"))

(method_call_expression method: (identifier) @function.method.call)

(update_pure_statement name: (identifier) @function)
(update_pure_statement value: (identifier) @function)
(register_pure_statement name: (identifier) @function)
(register_pure_statement value: (identifier) @function)

; ─── Variables, fields, modules ─────────────────────────────────────────────

(parameter name: (identifier) @variable.parameter)
(closure_parameter name: (identifier) @variable.parameter)

(state_declaration name: (identifier) @variable.member)
(field_declaration name: (identifier) @variable.member)
(field_expression field: (identifier) @variable.member)
(field_initializer field: (identifier) @variable.member)
(shorthand_field_initializer (identifier) @variable.member)
(field_pattern field: (identifier) @variable.member)
(shorthand_field_pattern (identifier) @variable.member)

(module_path (identifier) @module)
(import_declaration alias: (identifier) @module)

; Locals and bindings: identifiers used as values or bound by patterns. These
; are listed by parent (not as one `(identifier)` catch-all) so that they never
; overlap the captures above; a use of a parameter is highlighted like the
; parameter through locals.scm.
[
  (expression_statement (identifier) @variable)
  (let_declaration (identifier) @variable)
  (var_declaration (identifier) @variable)
  (assignment_statement (identifier) @variable)
  (while_statement (identifier) @variable)
  (for_statement (identifier) @variable)
  (post_statement (identifier) @variable)
  (require_statement (identifier) @variable)
  (arguments (identifier) @variable)
  (list_expression (identifier) @variable)
  (tuple_expression (identifier) @variable)
  (some_expression (identifier) @variable)
  (parenthesized_expression (identifier) @variable)
  (if_expression (identifier) @variable)
  (match_expression (identifier) @variable)
  (match_arm (identifier) @variable)
  (atomic_expression (identifier) @variable)
  (index_expression (identifier) @variable)
  (unary_expression (identifier) @variable)
  (binary_expression (identifier) @variable)
  (cast_expression (identifier) @variable)
  (range_expression (identifier) @variable)
  (try_expression (identifier) @variable)
  (create_expression (identifier) @variable)
  (destroy_expression (identifier) @variable)
  (fetch_expression (identifier) @variable)
  (freeze_expression (identifier) @variable)
  (teleport_expression (identifier) @variable)
  (move_expression (identifier) @variable)
  (transfer_expression (identifier) @variable)
  (return_expression (identifier) @variable)
  (tuple_pattern (identifier) @variable)
  (list_pattern (identifier) @variable)
  (rest_pattern (identifier) @variable)
  (or_pattern (identifier) @variable)
  (field_initializer value: (identifier) @variable)
  (method_call_expression receiver: (identifier) @variable)
  (field_expression value: (identifier) @variable)
  (closure_expression body: (identifier) @variable)
  (state_declaration value: (identifier) @variable)
  (field_pattern pattern: (identifier) @variable)
  (constructor_pattern "(" (identifier) @variable)
  (some_pattern (identifier) @variable)
]
