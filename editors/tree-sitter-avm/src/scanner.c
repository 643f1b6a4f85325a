// External scanner for tree-sitter-avm. Takes the source text at the
// parser's current position and produces one of:
// - `block_comment`: a whole, possibly nested, block comment
//   (`/* a /* b */ c */`). An unterminated comment produces no token, so the
//   parser reports an error instead of swallowing the rest of the file.
// - `_call_open` / `_index_open`: a zero-width token before a `(` / `[` that
//   is on the same line as the previous token, so that a call's argument list
//   or an index never starts on a new line (a line starting with `(` or `[`
//   starts a new statement).

#include "tree_sitter/parser.h"

#include <stdbool.h>

enum TokenType {
  BLOCK_COMMENT,
  CALL_OPEN,
  INDEX_OPEN,
  ERROR_SENTINEL,
};

void *tree_sitter_avm_external_scanner_create(void) { return NULL; }

void tree_sitter_avm_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_avm_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_avm_external_scanner_deserialize(void *payload, const char *buffer,
                                                  unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static bool is_horizontal_space(int32_t c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool is_space(int32_t c) {
  return is_horizontal_space(c) || c == '\n' || c == '\r';
}

static bool scan_block_comment(TSLexer *lexer) {
  if (lexer->lookahead != '/') {
    return false;
  }
  lexer->advance(lexer, false);
  if (lexer->lookahead != '*') {
    return false;
  }
  lexer->advance(lexer, false);

  unsigned depth = 1;
  while (depth > 0) {
    if (lexer->eof(lexer)) {
      return false;
    }
    if (lexer->lookahead == '/') {
      lexer->advance(lexer, false);
      if (lexer->lookahead == '*') {
        lexer->advance(lexer, false);
        depth++;
      }
    } else if (lexer->lookahead == '*') {
      lexer->advance(lexer, false);
      if (lexer->lookahead == '/') {
        lexer->advance(lexer, false);
        depth--;
      }
    } else {
      lexer->advance(lexer, false);
    }
  }
  lexer->mark_end(lexer);
  lexer->result_symbol = BLOCK_COMMENT;
  return true;
}

bool tree_sitter_avm_external_scanner_scan(void *payload, TSLexer *lexer,
                                           const bool *valid_symbols) {
  (void)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];

  while (is_horizontal_space(lexer->lookahead)) {
    lexer->advance(lexer, true);
  }
  if (!recovering && valid_symbols[CALL_OPEN] && lexer->lookahead == '(') {
    lexer->mark_end(lexer);
    lexer->result_symbol = CALL_OPEN;
    return true;
  }
  if (!recovering && valid_symbols[INDEX_OPEN] && lexer->lookahead == '[') {
    lexer->mark_end(lexer);
    lexer->result_symbol = INDEX_OPEN;
    return true;
  }

  if (!valid_symbols[BLOCK_COMMENT]) {
    return false;
  }
  while (is_space(lexer->lookahead)) {
    lexer->advance(lexer, true);
  }
  return scan_block_comment(lexer);
}
