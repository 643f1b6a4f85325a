//! Property: the text format round-trips exactly for random programs,
//! `parse(print(p)) == p` and `print(parse(print(p))) == print(p)`.

mod tape_support;

use avm_vm::tape::parse::{parse_const, parse_op, parse_program};
use avm_vm::tape::text::print_program;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn program_text_round_trips(program in tape_support::program()) {
        let printed = print_program(&program);
        let parsed = parse_program(&printed);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed, printed);
        let parsed = parsed.unwrap();
        prop_assert_eq!(print_program(&parsed), printed);
        prop_assert_eq!(parsed, program);
    }

    #[test]
    fn op_text_round_trips(op in tape_support::op()) {
        prop_assert_eq!(parse_op(&op.to_string()), Ok(op));
    }

    #[test]
    fn const_text_round_trips(c in tape_support::constant()) {
        prop_assert_eq!(parse_const(&c.to_string()), Ok(c));
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = parse_program(&text);
    }

    #[test]
    fn parser_never_panics_on_mutated_programs(
        program in tape_support::program(),
        cut in any::<prop::sample::Index>(),
        junk in "[ -~\n]{0,8}",
    ) {
        let printed = print_program(&program);
        let mut at = cut.index(printed.len() + 1);
        while !printed.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{}{}", &printed[..at], junk, &printed[at..]);
        let _ = parse_program(&mutated);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random verified programs: they verify, and survive text and binary round trips
    /// (binary through `load`, which verifies again).
    #[test]
    fn verified_programs_round_trip_through_text_and_binary(
        program in tape_support::valid_program()
    ) {
        prop_assert_eq!(avm_vm::tape::verify::verify(&program), Ok(()));
        let printed = print_program(&program);
        let parsed = parse_program(&printed);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed, printed);
        let parsed = parsed.unwrap();
        prop_assert_eq!(print_program(&parsed), printed);
        prop_assert_eq!(&parsed, &program);
        let bytes = avm_vm::tape::binary::encode(&program).expect("encodes");
        prop_assert_eq!(avm_vm::tape::binary::load(&bytes), Ok(program));
    }
}
