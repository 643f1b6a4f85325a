/**
 * @file Tree-sitter grammar for the AVM language (`.avm` source files).
 *
 * Takes the surface syntax of the AVM language design brief (items,
 * statements, expressions with precedence, patterns, types and every AVM
 * form) and produces the concrete syntax tree used by the highlight and
 * locals queries. Newlines separate statements (`;` is optional), so blocks
 * are sequences of statements with optional `;` between them; where a
 * statement could continue on the next line (`a` newline `- b`), the longer
 * expression wins.
 *
 * Nested block comments come from the external scanner in `src/scanner.c`,
 * which also decides that a call's `(` or an index's `[` must be on the same
 * line as the callee: a line that starts with `(` or `[` starts a new
 * statement.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PREC = {
  closure: -1,
  statement: -1,
  range: 1,
  or: 2,
  and: 3,
  compare: 4,
  concat: 5,
  additive: 6,
  multiplicative: 7,
  cast: 8,
  unary: 9,
  call: 10,
  field: 11,
  method: 12,
};

/**
 * One or more `rule`s separated by commas, with an optional trailing comma.
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)), optional(','));
}

/**
 * Zero or more `rule`s separated by commas, with an optional trailing comma.
 * @param {RuleOrLiteral} rule
 * @returns {ChoiceRule}
 */
function commaSep(rule) {
  return optional(commaSep1(rule));
}

module.exports = grammar({
  name: 'avm',

  word: $ => $.identifier,

  // The words of ../keywords.txt that are not in ../contextual-keywords.txt
  // are reserved: never an identifier (the compiler reserves the same words).
  // A contextual keyword is a keyword where its form can start and an
  // identifier wherever the keyword is not valid (`e.to`, `to: Int`).
  reserved: {
    global: _ => [
      'abort',
      'as',
      'atomic',
      'break',
      'continue',
      'else',
      'false',
      'fn',
      'for',
      'if',
      'in',
      'let',
      'match',
      'none',
      'reject',
      'return',
      'self',
      'some',
      'true',
      'try',
      'unsafe',
      'var',
      'while',
    ],
  },

  externals: $ => [
    $.block_comment,
    // Zero-width markers: an argument list `(` (`_call_open`) or an index
    // `[` (`_index_open`) on the same line as what it applies to. A `(` or
    // `[` that starts a line starts a new statement instead (`destroy c`
    // newline `[a, b]` is two statements).
    $._call_open,
    $._index_open,
    // Never produced: tells the scanner that the parser is recovering from
    // an error (every external symbol is then valid).
    $._error_sentinel,
  ],

  extras: $ => [/\s/, $.line_comment, $.doc_comment, $.block_comment],

  supertypes: $ => [$._item, $._statement, $._expression, $._pattern, $._type],

  conflicts: $ => [
    // `Name {` starts a struct literal, or ends a condition before a block
    // (`if x == Empty { ... }`); the parse that survives wins.
    [$._expression, $.struct_expression],
    // A contextual keyword at the start of an expression is its form or a
    // name (`transfer a to k`, `transfer(a, b, 5)`, `post(x)`): GLR keeps
    // both, the parse that survives wins, the form when both do.
    [$._contextual_name, $.move_expression],
    [$._contextual_name, $.transfer_expression],
    [$._contextual_name, $.create_expression],
    [$._contextual_name, $.teleport_expression],
    [$._contextual_name, $.require_statement],
    [$._contextual_name, $.post_statement],
  ],

  rules: {
    source_file: $ => repeat(choice($._item, ';')),

    // ───────────────────────────── items ─────────────────────────────

    _item: $ => choice(
      $.import_declaration,
      $.struct_declaration,
      $.enum_declaration,
      $.object_declaration,
      $.function_declaration,
    ),

    import_declaration: $ => seq(
      'import',
      field('path', $.module_path),
      optional(seq('as', field('alias', $.identifier))),
    ),

    module_path: $ => seq($.identifier, repeat(seq('.', $.identifier))),

    type_parameters: $ => seq('[', commaSep1($.type_identifier), ']'),

    struct_declaration: $ => seq(
      'struct',
      field('name', $.type_identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('body', $.field_declaration_list),
    ),

    field_declaration_list: $ => seq(
      '{',
      repeat(seq($.field_declaration, optional(','))),
      '}',
    ),

    field_declaration: $ => seq(
      field('name', $.identifier),
      ':',
      field('type', $._type),
    ),

    enum_declaration: $ => seq(
      'enum',
      field('name', $.type_identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('body', $.enum_variant_list),
    ),

    enum_variant_list: $ => seq(
      '{',
      repeat(seq($.enum_variant, optional(','))),
      '}',
    ),

    enum_variant: $ => seq(
      field('name', $.type_identifier),
      optional(field('fields', choice($.tuple_fields, $.field_declaration_list))),
    ),

    tuple_fields: $ => seq('(', commaSep1($._type), ')'),

    object_declaration: $ => seq(
      'object',
      field('name', $.type_identifier),
      field('body', $.object_body),
    ),

    object_body: $ => seq(
      '{',
      repeat(choice(
        $.state_declaration,
        $.init_declaration,
        $.function_declaration,
        ';',
      )),
      '}',
    ),

    state_declaration: $ => seq(
      'state',
      field('name', $.identifier),
      ':',
      field('type', $._type),
      optional(seq('=', field('value', $._expression))),
    ),

    init_declaration: $ => seq(
      'init',
      field('parameters', $.parameters),
      field('body', $.block),
    ),

    function_declaration: $ => seq(
      optional(field('modifier', $.function_modifier)),
      'fn',
      field('name', $.identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('parameters', $.parameters),
      optional(seq('->', field('return_type', $._type))),
      field('body', $.block),
    ),

    function_modifier: _ => choice('pure', 'unsafe'),

    parameters: $ => seq('(', commaSep($.parameter), ')'),

    parameter: $ => seq(
      field('name', $.identifier),
      ':',
      field('type', $._type),
    ),

    // ───────────────────────────── types ─────────────────────────────

    _type: $ => choice(
      $.type_identifier,
      $.generic_type,
      $.tuple_type,
      $.unit_type,
      $.function_type,
    ),

    generic_type: $ => prec(1, seq(
      field('name', $.type_identifier),
      field('arguments', $.type_arguments),
    )),

    type_arguments: $ => seq('[', commaSep1($._type), ']'),

    tuple_type: $ => seq('(', $._type, repeat1(seq(',', $._type)), optional(','), ')'),

    unit_type: _ => seq('(', ')'),

    function_type: $ => seq(
      optional('pure'),
      'fn',
      field('parameters', $.function_type_parameters),
      '->',
      field('return_type', $._type),
    ),

    function_type_parameters: $ => seq('(', commaSep($._type), ')'),

    // ─────────────────────────── statements ──────────────────────────

    block: $ => seq('{', repeat(choice($._statement, ';')), '}'),

    _statement: $ => choice(
      $.let_declaration,
      $.var_declaration,
      $.assignment_statement,
      $.while_statement,
      $.for_statement,
      $.post_statement,
      $.require_statement,
      $.update_pure_statement,
      $.register_pure_statement,
      $.expression_statement,
    ),

    let_declaration: $ => seq(
      'let',
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
    ),

    var_declaration: $ => seq(
      'var',
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
    ),

    assignment_statement: $ => seq(
      field('left', $._expression),
      field('operator', choice('=', '+=', '-=', '*=', '/=', '%=', '++=')),
      field('right', $._expression),
    ),

    while_statement: $ => seq(
      'while',
      field('condition', $._expression),
      field('body', $.block),
    ),

    for_statement: $ => seq(
      'for',
      field('pattern', $._pattern),
      'in',
      field('iterable', $._expression),
      field('body', $.block),
    ),

    post_statement: $ => seq('post', field('constraint', $._expression)),

    require_statement: $ => seq('require', field('condition', $._expression)),

    update_pure_statement: $ => seq(
      'update',
      'pure',
      field('name', $.identifier),
      '=',
      field('value', $._expression),
    ),

    register_pure_statement: $ => seq(
      'register',
      'pure',
      field('name', $.identifier),
      '=',
      field('value', $._expression),
    ),

    expression_statement: $ => prec(PREC.statement, $._expression),

    // ────────────────────────── expressions ──────────────────────────

    _expression: $ => choice(
      $.identifier,
      alias($._contextual_name, $.identifier),
      $.type_identifier,
      $.scoped_identifier,
      $.integer_literal,
      $.string_literal,
      $.boolean_literal,
      $.none_literal,
      $.some_expression,
      $.unit_expression,
      $.self,
      $.sender,
      $.input,
      $.list_expression,
      $.tuple_expression,
      $.parenthesized_expression,
      $.struct_expression,
      $.block,
      $.unsafe_block,
      $.if_expression,
      $.match_expression,
      $.atomic_expression,
      $.call_expression,
      $.method_call_expression,
      $.field_expression,
      $.index_expression,
      $.unary_expression,
      $.binary_expression,
      $.cast_expression,
      $.range_expression,
      $.closure_expression,
      $.try_expression,
      $.create_expression,
      $.destroy_expression,
      $.fetch_expression,
      $.freeze_expression,
      $.teleport_expression,
      $.move_expression,
      $.transfer_expression,
      $.return_expression,
      $.break_expression,
      $.continue_expression,
      $.abort_expression,
      $.reject_expression,
    ),

    // A contextual keyword that can start an expression, read as a name
    // (`transfer(a, b, 5)`, `update + 1`); elsewhere (`e.to`, `to: Int`) the
    // keyword is not valid and the word lexes as an identifier anyway.
    _contextual_name: _ => prec.dynamic(-1, choice(
      'create', 'destroy', 'fetch', 'freeze', 'move', 'post', 'register',
      'require', 'teleport', 'transfer', 'update',
    )),

    scoped_identifier: $ => seq(
      field('path', $.type_identifier),
      '::',
      field('name', $.type_identifier),
    ),

    unit_expression: _ => seq('(', ')'),

    list_expression: $ => seq('[', commaSep($._expression), ']'),

    tuple_expression: $ => seq(
      '(',
      $._expression,
      ',',
      commaSep($._expression),
      ')',
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    // `some(e)`: an option holding `e` (`some` is a keyword, not a function).
    some_expression: $ => seq('some', '(', field('value', $._expression), ')'),

    struct_expression: $ => prec.dynamic(1, seq(
      field('name', $.type_identifier),
      field('body', $.field_initializer_list),
    )),

    field_initializer_list: $ => seq(
      '{',
      commaSep(choice($.field_initializer, $.shorthand_field_initializer)),
      '}',
    ),

    field_initializer: $ => seq(
      field('field', $.identifier),
      ':',
      field('value', $._expression),
    ),

    shorthand_field_initializer: $ => $.identifier,

    unsafe_block: $ => seq('unsafe', field('body', $.block)),

    if_expression: $ => prec.right(seq(
      'if',
      field('condition', $._expression),
      field('consequence', $.block),
      optional(seq('else', field('alternative', choice($.block, $.if_expression)))),
    )),

    match_expression: $ => seq(
      'match',
      field('value', $._expression),
      field('body', $.match_block),
    ),

    match_block: $ => seq('{', repeat(seq($.match_arm, optional(','))), '}'),

    match_arm: $ => prec(PREC.statement, seq(
      field('pattern', $._pattern),
      optional(seq('if', field('guard', $._expression))),
      '=>',
      field('value', $._expression),
    )),

    atomic_expression: $ => seq(
      'atomic',
      optional(seq('by', field('controller', $._expression))),
      field('body', $.block),
    ),

    call_expression: $ => prec(PREC.call, seq(
      field('function', $._expression),
      $._call_open,
      field('arguments', $.arguments),
    )),

    arguments: $ => seq('(', commaSep($._expression), ')'),

    // `c.add(5)`: a method call (AVM `call`) or a call of a module's
    // function (`fd.solve(qs)`); kept apart from `field_expression` so that
    // queries can tell methods from fields.
    method_call_expression: $ => prec(PREC.method, seq(
      field('receiver', $._expression),
      '.',
      field('method', $.identifier),
      $._call_open,
      field('arguments', $.arguments),
    )),

    field_expression: $ => prec(PREC.field, seq(
      field('value', $._expression),
      '.',
      field('field', choice($.identifier, $.integer_literal)),
    )),

    index_expression: $ => prec(PREC.call, seq(
      field('value', $._expression),
      $._index_open,
      '[',
      field('index', $._expression),
      ']',
    )),

    unary_expression: $ => prec(PREC.unary, seq(
      field('operator', choice('-', '!')),
      field('operand', $._expression),
    )),

    binary_expression: $ => {
      const table = [
        [PREC.or, '||'],
        [PREC.and, '&&'],
        [PREC.compare, choice('==', '!=', '<', '<=', '>', '>=')],
        [PREC.concat, '++'],
        [PREC.additive, choice('+', '-')],
        [PREC.multiplicative, choice('*', '/', '%')],
      ];
      return choice(...table.map(([precedence, operator]) => prec.left(
        /** @type {number} */ (precedence),
        seq(
          field('left', $._expression),
          // @ts-ignore
          field('operator', operator),
          field('right', $._expression),
        ),
      )));
    },

    cast_expression: $ => prec.left(PREC.cast, seq(
      field('value', $._expression),
      'as',
      field('type', $._type),
    )),

    range_expression: $ => prec.left(PREC.range, seq(
      field('start', $._expression),
      field('operator', choice('..', '..=')),
      field('end', $._expression),
    )),

    closure_expression: $ => prec.right(PREC.closure, seq(
      field('parameters', $.closure_parameters),
      optional(seq('->', field('return_type', $._type))),
      field('body', $._expression),
    )),

    closure_parameters: $ => choice(
      '||',
      seq('|', commaSep($.closure_parameter), '|'),
    ),

    closure_parameter: $ => seq(
      field('name', $.identifier),
      optional(seq(':', field('type', $._type))),
    ),

    try_expression: $ => prec(PREC.unary, seq('try', field('body', $._expression))),

    create_expression: $ => prec.right(seq(
      'create',
      field('kind', $.type_identifier),
      optional(seq($._call_open, field('arguments', $.arguments))),
      optional(seq('by', field('controller', $._expression))),
    )),

    destroy_expression: $ => prec(PREC.unary, seq('destroy', field('object', $._expression))),

    fetch_expression: $ => prec(PREC.unary, seq('fetch', field('object', $._expression))),

    freeze_expression: $ => prec(PREC.unary, seq('freeze', field('object', $._expression))),

    teleport_expression: $ => prec.right(seq('teleport', field('machine', $._expression))),

    move_expression: $ => prec.right(seq(
      'move',
      field('object', $._expression),
      'to',
      field('machine', $._expression),
    )),

    transfer_expression: $ => prec.right(seq(
      'transfer',
      field('object', $._expression),
      'to',
      field('controller', $._expression),
    )),

    return_expression: $ => prec.right(seq('return', optional(field('value', $._expression)))),

    break_expression: _ => 'break',

    continue_expression: _ => 'continue',

    abort_expression: _ => 'abort',

    reject_expression: _ => 'reject',

    // ──────────────────────────── patterns ───────────────────────────

    _pattern: $ => choice(
      $.wildcard_pattern,
      $.identifier,
      $.type_identifier,
      $.scoped_identifier,
      $._literal_pattern,
      $.range_pattern,
      $.unit_expression,
      $.tuple_pattern,
      $.list_pattern,
      $.constructor_pattern,
      $.some_pattern,
      $.struct_pattern,
      $.or_pattern,
    ),

    wildcard_pattern: _ => '_',

    _literal_pattern: $ => choice(
      $.integer_literal,
      $.negative_literal,
      $.string_literal,
      $.boolean_literal,
      $.none_literal,
    ),

    negative_literal: $ => seq('-', $.integer_literal),

    range_pattern: $ => seq(
      field('start', choice($.integer_literal, $.negative_literal)),
      field('operator', choice('..', '..=')),
      field('end', choice($.integer_literal, $.negative_literal)),
    ),

    tuple_pattern: $ => seq('(', $._pattern, ',', commaSep($._pattern), ')'),

    list_pattern: $ => seq('[', commaSep(choice($._pattern, $.rest_pattern)), ']'),

    rest_pattern: $ => seq('..', optional(field('name', $.identifier))),

    constructor_pattern: $ => seq(
      field('constructor', choice($.identifier, $.type_identifier, $.scoped_identifier)),
      '(',
      commaSep($._pattern),
      ')',
    ),

    // `some(p)`: an option holding a value that matches `p`.
    some_pattern: $ => seq('some', '(', field('pattern', $._pattern), ')'),

    struct_pattern: $ => seq(
      field('name', $.type_identifier),
      '{',
      commaSep(choice($.field_pattern, $.shorthand_field_pattern, '..')),
      '}',
    ),

    field_pattern: $ => seq(field('field', $.identifier), ':', field('pattern', $._pattern)),

    shorthand_field_pattern: $ => $.identifier,

    or_pattern: $ => prec.left(seq($._pattern, '|', $._pattern)),

    // ──────────────────────────── tokens ─────────────────────────────

    identifier: _ => /[a-z_][A-Za-z0-9_]*/,

    type_identifier: _ => /[A-Z][A-Za-z0-9_]*/,

    integer_literal: _ => token(choice(
      /0x[0-9A-Fa-f][0-9A-Fa-f_]*/,
      /0b[01][01_]*/,
      /0o[0-7][0-7_]*/,
      /[0-9][0-9_]*/,
    )),

    string_literal: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    string_content: _ => token.immediate(prec(1, /[^"\\]+/)),

    escape_sequence: _ => token.immediate(seq(
      '\\',
      choice(/[nrt0\\"']/, /u\{[0-9A-Fa-f]{1,6}\}/),
    )),

    boolean_literal: _ => choice('true', 'false'),

    none_literal: _ => 'none',

    self: _ => 'self',

    sender: _ => 'sender',

    input: _ => 'input',

    // `///` starts a doc comment; `////` and more is a plain comment (the
    // longer match wins, and on a tie the earlier rule, `doc_comment`).
    doc_comment: _ => token(seq('///', optional(seq(/[^\/\n]/, /[^\n]*/)))),

    line_comment: _ => token(seq('//', /[^\n]*/)),
  },
});
