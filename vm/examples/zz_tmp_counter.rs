use avm_vm::itree::builder::*;
use avm_vm::itree::term::Instr;
use avm_vm::itree::{RunConfig, run};
use avm_vm::samples;
use avm_vm::trace::TraceMode;
use avm_vm::world::World;
fn main() {
    let mut world = World::new();
    let config = RunConfig { trace_mode: TraceMode::Off, ..RunConfig::default() };
    let setup = samples::counter_program(Block::new().instr("c", Instr::CreateObj { behaviour: name("Counter"), controller: none() }).effect(Instr::Call(var("c"), string("init"))).ret(var("c")));
    let counter = run(&setup, &mut world, &config).outcome.unwrap();
    let looped = ProgramBuilder::new().behaviour("Counter", samples::increment_behaviour())
        .function("go", &["n"], if_(eq(var("n"), int(0)), ret(unit()), Block::new().effect(Instr::Call(lit(counter.clone()), int(1))).then(call_fn("go", vec![sub(var("n"), int(1))]))))
        .main(call_fn("go", vec![int(1000)]));
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut steps = 0;
    for _ in 0..n { steps += run(&looped, &mut world, &config).steps; }
    println!("{steps}");
}
