//! Keyword agreement between the compiler and the editor grammars.
//!
//! Takes the lexer's reserved words (`avm_compiler::syntax::token::KEYWORDS`)
//! and `editors/keywords.txt` (one word a line) and checks that they are the
//! same set, naming the words found in only one of them. The chain is:
//! lexer ↔ `editors/keywords.txt` (this test) ↔ both editor grammars, the
//! TextMate `avm.tmLanguage.json` and the tree-sitter `grammar.js`
//! (`editors/tools/check_keywords.py`, step 1 of `scripts/test-editors`).
//! Likewise the contextual keywords
//! (`avm_compiler::syntax::soft_keywords::SOFT_KEYWORDS`) and
//! `editors/contextual-keywords.txt`: names wherever their form cannot start,
//! so the tree-sitter grammar does not reserve them.

use std::collections::BTreeSet;

use avm_compiler::syntax::soft_keywords::SOFT_KEYWORDS;
use avm_compiler::syntax::token::KEYWORDS;

/// `editors/keywords.txt`, read at compile time so the test needs no IO path logic.
const KEYWORDS_TXT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../editors/keywords.txt"
));

/// `editors/contextual-keywords.txt`.
const CONTEXTUAL_TXT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../editors/contextual-keywords.txt"
));

#[test]
fn contextual_keywords_equal_editor_list_and_are_keywords() {
    let editors: Vec<&str> = CONTEXTUAL_TXT
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(
        editors, SOFT_KEYWORDS,
        "editors/contextual-keywords.txt must list SOFT_KEYWORDS, sorted, one a line"
    );
    for word in SOFT_KEYWORDS {
        assert!(KEYWORDS.contains(word), "`{word}` is not a keyword");
    }
}

#[test]
fn lexer_keywords_equal_editor_keywords_txt() {
    let editors: BTreeSet<&str> = KEYWORDS_TXT
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let lexer: BTreeSet<&str> = KEYWORDS.iter().copied().collect();
    let only_lexer: Vec<&str> = lexer.difference(&editors).copied().collect();
    let only_editors: Vec<&str> = editors.difference(&lexer).copied().collect();
    assert!(
        only_lexer.is_empty() && only_editors.is_empty(),
        "the lexer's KEYWORDS and editors/keywords.txt differ\n  \
         only in the lexer (add to editors/keywords.txt and both grammars): {only_lexer:?}\n  \
         only in editors/keywords.txt: {only_editors:?}"
    );
}

#[test]
fn editor_keywords_txt_is_sorted_without_duplicates() {
    let words: Vec<&str> = KEYWORDS_TXT
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let mut sorted = words.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        words, sorted,
        "editors/keywords.txt must be sorted, one word a line, no duplicates"
    );
}
