//! The Tape op set: size, and the effect table against the spec's ten instruction families.

use avm_vm::tape::*;

#[test]
fn ops_are_small_and_copy() {
    fn is_copy<T: Copy>() {}
    is_copy::<Op>();
    assert!(size_of::<Op>() <= 16, "Op is {} bytes", size_of::<Op>());
}

#[test]
fn every_family_has_the_spec_instruction_count() {
    let count = |family| {
        EffectKind::ALL
            .iter()
            .filter(|k| k.is_spec() && k.family() == family)
            .count()
    };
    assert_eq!(
        [
            count(Family::Obj),
            count(Family::Introspect),
            count(Family::Reflect),
            count(Family::Reify),
            count(Family::Tx),
            count(Family::Pure),
            count(Family::Machine),
            count(Family::Controller),
            count(Family::Fd),
            count(Family::Nondet),
        ],
        [4, 6, 3, 3, 3, 3, 4, 4, 4, 2]
    );
}

#[test]
fn effect_table() {
    let rows: Vec<String> = EffectKind::ALL
        .iter()
        .map(|k| {
            let operand = match k.function_operand() {
                FunctionOperand::None => String::new(),
                FunctionOperand::Predicate { params } => format!(" + predicate/{params}"),
                FunctionOperand::PureImplementation => " + pure function".to_owned(),
            };
            format!(
                "{:<24} {:<11} {:<7} args={}{}",
                format!("fx.{k}"),
                format!("{:?}", k.family()),
                k.safety().keyword(),
                k.arity(),
                operand
            )
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}
