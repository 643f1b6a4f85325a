//! Tape binary format: round trip, header checks, verification on load, and no panics on
//! random or corrupted bytes.

mod tape_support;

use avm_vm::tape::binary::{FORMAT_VERSION, LoadError, MAGIC, decode, encode, load};
use avm_vm::tape::verify::VerifyErrorKind;
use avm_vm::tape::*;
use proptest::prelude::*;

#[test]
fn samples_round_trip_through_bytes() {
    for program in [
        samples::counter().expect("builds"),
        samples::fib(30).expect("builds"),
        samples::ping_pong(5).expect("builds"),
    ] {
        let bytes = encode(&program).expect("encodes");
        assert_eq!(&bytes[..4], b"AVMT");
        assert_eq!(load(&bytes), Ok(program));
    }
}

#[test]
fn header_is_checked() {
    let bytes = encode(&samples::fib(3).expect("builds")).expect("encodes");
    assert_eq!(load(&bytes[..3]), Err(LoadError::TooShort { len: 3 }));
    let mut wrong_magic = bytes.clone();
    wrong_magic[0] = b'X';
    assert_eq!(
        load(&wrong_magic),
        Err(LoadError::BadMagic {
            found: b"XVMT".to_vec()
        })
    );
    let mut wrong_version = bytes.clone();
    wrong_version[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        load(&wrong_version),
        Err(LoadError::UnsupportedVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        })
    );
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(load(&trailing), Err(LoadError::TrailingBytes { count: 1 }));
    assert!(matches!(
        load(&bytes[..bytes.len() - 1]),
        Err(LoadError::Decode(_))
    ));
    insta::assert_snapshot!(
        [load(&wrong_magic), load(&wrong_version), load(&trailing)]
            .iter()
            .map(|r| r.as_ref().unwrap_err().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn load_runs_the_verifier_and_decode_does_not() {
    let mut program = samples::fib(3).expect("builds");
    program.functions[0].ops.pop();
    let bytes = encode(&program).expect("encodes");
    assert_eq!(decode(&bytes), Ok(program));
    match load(&bytes) {
        Err(LoadError::Invalid(errors)) => {
            assert_eq!(errors[0].kind, VerifyErrorKind::FallsOffEnd);
        }
        other => panic!("expected a verification failure, got {other:?}"),
    }
}

#[test]
fn encoding_refuses_too_deep_constants() {
    let mut deep = Const::Unit;
    for _ in 0..=MAX_CONST_DEPTH {
        deep = Const::List(vec![deep]);
    }
    let program = Program {
        constants: vec![deep],
        ..Program::default()
    };
    assert!(encode(&program).is_err());
}

fn with_header(body: &[u8]) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_programs_round_trip(program in tape_support::program()) {
        let bytes = encode(&program).expect("encodes");
        prop_assert_eq!(decode(&bytes), Ok(program));
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = load(&bytes);
        let _ = load(&with_header(&bytes));
    }

    #[test]
    fn corrupted_encodings_never_panic(
        program in tape_support::program(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = encode(&program).expect("encodes");
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = load(&bytes);
        let len = cut.index(bytes.len() + 1);
        let _ = load(&bytes[..len]);
    }
}
