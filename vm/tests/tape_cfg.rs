//! CFG view: blocks and edges of a function with a loop and a branch, rendered as Mermaid
//! and DOT (snapshots).

mod tape_support;

use avm_vm::tape::cfg::{BlockId, Cfg, Edge, EdgeKind};
use avm_vm::tape::parse::parse_program;
use avm_vm::tape::*;
use proptest::prelude::*;

/// sum_even(n): total = 0; while n > 0 { if n % 2 == 0 { total += n }; n -= 1 }; total
const LOOP_AND_BRANCH: &str = r#"
.func "sum_even" params=1 regs=5 safe pure
    int 0 -> r1
    int 0 -> r2
loop:
    gt r0, r2 -> r3
    brnot r3, done
    int 2 -> r4
    rem r0, r4 -> r4
    eq r4, r2 -> r4
    brnot r4, odd
    add r1, r0 -> r1
odd:
    int 1 -> r4
    sub r0, r4 -> r0
    jump loop
done:
    ret r1
.end
"#;

fn function() -> Function {
    let program = parse_program(LOOP_AND_BRANCH).expect("parses");
    assert_eq!(verify::verify(&program), Ok(()));
    program.functions[0].clone()
}

#[test]
fn blocks_and_edges_of_a_loop_with_a_branch() {
    let f = function();
    let cfg = Cfg::build(&f);
    let shape: Vec<(u32, u32, Vec<Edge>)> = cfg
        .blocks
        .iter()
        .map(|b| (b.start, b.end, b.successors.clone()))
        .collect();
    let e = |to, kind| Edge {
        to: BlockId(to),
        kind,
    };
    assert_eq!(
        shape,
        vec![
            (0, 2, vec![e(1, EdgeKind::Fallthrough)]),
            (2, 4, vec![e(2, EdgeKind::NotTaken), e(5, EdgeKind::Taken)]),
            (4, 8, vec![e(3, EdgeKind::NotTaken), e(4, EdgeKind::Taken)]),
            (8, 9, vec![e(4, EdgeKind::Fallthrough)]),
            (9, 12, vec![e(1, EdgeKind::Jump)]),
            (12, 13, vec![]),
        ]
    );
    assert_eq!(cfg.block_of(0), Some(BlockId(0)));
    assert_eq!(cfg.block_of(10), Some(BlockId(4)));
    assert_eq!(cfg.block_of(13), None);
}

#[test]
fn mermaid_rendering() {
    let f = function();
    insta::assert_snapshot!(Cfg::build(&f).to_mermaid(&f));
}

#[test]
fn dot_rendering() {
    let f = function();
    insta::assert_snapshot!(Cfg::build(&f).to_dot(&f));
}

#[test]
fn counter_dispatch_mermaid() {
    let program = samples::counter().expect("builds");
    let f = &program.functions[0];
    insta::assert_snapshot!(Cfg::build(f).to_mermaid(f));
}

proptest! {
    #[test]
    fn blocks_partition_the_ops(f in tape_support::function()) {
        let cfg = Cfg::build(&f);
        let mut next = 0;
        for block in &cfg.blocks {
            prop_assert_eq!(block.start, next);
            prop_assert!(block.end > block.start);
            next = block.end;
            for edge in &block.successors {
                prop_assert!((edge.to.0 as usize) < cfg.blocks.len());
            }
        }
        prop_assert_eq!(next as usize, f.ops.len());
        let _ = cfg.to_dot(&f);
        let _ = cfg.to_mermaid(&f);
    }
}
