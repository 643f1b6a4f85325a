//! Durable-world benchmarks (issue 15): the latency of one durable commit against a raw
//! `fdatasync` on the same disk; a one-call program (open the world, prepare, look a counter up
//! by name, call it once, commit) against worlds of 10 and 10^6 objects; and, printed once by
//! the setup, the bytes on disk per counter object. Worlds are built once per run in a
//! temporary directory (the 10^6 one with bulk redb inserts of copies of a real counter).

use avm_runtime::durable::format::{self, BehaviourInfo, OBJECTS, ObjectRecord};
use avm_runtime::durable::{Create, WorldFile};
use avm_vm::ids::ObjectId;
use avm_vm::tape::interp::{RunConfig, run_program};
use avm_vm::trace::TraceMode;
use avm_vm::value::Val;
use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `data/one_call.avm` compiled: looks up "counter" and calls `inc` once (creates and
/// publishes it when absent).
fn program() -> avm_vm::tape::Program {
    avm_vm::tape::parse::parse_program(include_str!("data/one_call.tape")).expect("parses")
}

fn info() -> BTreeMap<String, BehaviourInfo> {
    let mut m = BTreeMap::new();
    m.insert(
        "Counter".into(),
        BehaviourInfo {
            interface: "inc() -> Int".into(),
            fields: vec!["n".into()],
        },
    );
    m
}

fn config() -> RunConfig {
    RunConfig {
        trace_mode: TraceMode::Off,
        ..RunConfig::default()
    }
}

/// One run of the one-call program against the world at `path`; returns its value.
fn one_call(path: &Path) -> Val {
    let file = WorldFile::open(path, Create::IfMissing).expect("opens");
    let prepared = file
        .prepare(&program(), &info(), "bench")
        .expect("prepares");
    let mut world = prepared.world;
    world.touch(config().self_id).expect("touch");
    let result = run_program(&prepared.program, &mut world, &config()).expect("verifies");
    result.outcome.expect("runs")
}

/// A world with a published counter plus `extra` copies of it (ids above the clock's).
fn build_world(dir: &Path, extra: u64) -> PathBuf {
    let path = dir.join(format!("w{extra}.avmw"));
    one_call(&path); // creates and publishes the counter
    let file = WorldFile::open(&path, Create::No).expect("opens");
    let rows = file.objects().expect("reads");
    let template: ObjectRecord = rows
        .iter()
        .find(|r| r.record.object.is_some())
        .map(|r| r.record.clone())
        .expect("the counter");
    drop(file);
    let db = redb::Database::create(&path).expect("redb");
    let base = 1_000_000_000u64;
    let bytes = format::encode(&template).expect("encodes");
    let mut next = 0u64;
    while next < extra {
        let w = db.begin_write().expect("write");
        {
            let mut t = w.open_table(OBJECTS).expect("table");
            for _ in 0..100_000.min(extra - next) {
                t.insert(base + next, bytes.as_slice()).expect("insert");
                next += 1;
            }
        }
        w.commit().expect("commit");
    }
    path
}

fn durable_commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = build_world(dir.path(), 0);
    let file = WorldFile::open(&path, Create::No).expect("opens");
    let prepared = file
        .prepare(&program(), &info(), "bench")
        .expect("prepares");
    let mut world = prepared.world;
    let id = file
        .objects()
        .expect("reads")
        .first()
        .map(|r| ObjectId(r.id))
        .expect("a counter");
    world.touch(id).expect("loads");
    let mut g = c.benchmark_group("durable_commit");
    g.bench_function("field_write_commit", |b| {
        b.iter(|| {
            world
                .store
                .update_field::<avm_vm::error::ExecError>(id, 0, |v| v.checked_add(&Val::Int(1)))
                .expect("field");
            world.committed(&[id]).expect("commits");
        })
    });
    let raw = dir.path().join("raw.bin");
    let mut f = std::fs::File::create(&raw).expect("file");
    let mut n = 0u64;
    g.bench_function("raw_write_fdatasync", |b| {
        b.iter(|| {
            n += 1;
            f.write_all(&n.to_le_bytes()).expect("write");
            f.sync_data().expect("fdatasync");
        })
    });
    g.finish();
}

fn one_call_program(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = c.benchmark_group("one_call_program");
    g.sample_size(10);
    for extra in [10u64, 1_000_000] {
        let path = build_world(dir.path(), extra);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "world of {} objects: {size} bytes on disk, {:.1} bytes per counter object",
            extra + 1,
            size as f64 / (extra + 1) as f64
        );
        g.bench_function(format!("objects_{extra}"), |b| b.iter(|| one_call(&path)));
    }
    g.finish();
}

criterion_group!(benches, durable_commit, one_call_program);
criterion_main!(benches);
