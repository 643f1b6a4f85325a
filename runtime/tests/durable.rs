//! The durable world without the compiler: Tape programs run against a world file, the file
//! reopened and read back; a second writer refused; a newer format refused; storage faults
//! injected through redb's `StorageBackend` give clear errors, never a panic, and leave the
//! world as of its last commit.

use avm_runtime::durable::fault::{Fault, FaultyBackend};
use avm_runtime::durable::format::{BehaviourInfo, KEY_FORMAT, META};
use avm_runtime::durable::{Create, WorldError, WorldFile};
use avm_vm::error::{AvmError, ExecError};
use avm_vm::tape::interp::{RunConfig, run_program};
use avm_vm::trace::{EventType, TraceMode};
use avm_vm::value::Val;
use std::collections::BTreeMap;

/// `data/counter.avm` compiled: create a counter (its `init` sets the state), `inc` twice.
fn counter() -> avm_vm::tape::Program {
    avm_vm::tape::parse::parse_program(include_str!("data/counter.tape")).expect("parses")
}

fn info() -> BTreeMap<String, BehaviourInfo> {
    let mut m = BTreeMap::new();
    m.insert(
        "Counter".to_string(),
        BehaviourInfo {
            interface: "inc() -> Int".into(),
            fields: vec!["n".into()],
        },
    );
    m
}

fn config() -> RunConfig {
    RunConfig {
        trace_mode: TraceMode::On,
        ..RunConfig::default()
    }
}

/// Runs the counter sample against `file`: (outcome, objects created, state updates).
fn run_counter(file: &WorldFile) -> (Result<Val, AvmError>, usize, usize) {
    let prepared = match file.prepare(&counter(), &info(), "counter") {
        Ok(p) => p,
        Err(e) => {
            return (
                Err(ExecError::Storage {
                    message: e.to_string().into(),
                }
                .into()),
                0,
                0,
            );
        }
    };
    let mut world = prepared.world;
    let result = run_program(&prepared.program, &mut world, &config()).expect("verifies");
    let count = |f: fn(&EventType) -> bool| {
        result
            .trace
            .entries()
            .iter()
            .filter(|e| f(&e.event))
            .count()
    };
    let created = count(|e| matches!(e, EventType::ObjectCreated(..)));
    let updates = count(|e| matches!(e, EventType::StateUpdated(..)));
    (result.outcome, created, updates)
}

#[test]
fn objects_outlive_the_run_and_ids_stay_unique() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.avmw");
    for round in 1..=3u64 {
        let file = WorldFile::open(&path, Create::IfMissing).expect("opens");
        let (outcome, _, _) = run_counter(&file);
        assert_eq!(outcome, Ok(Val::Int(2)));
        let objects = file.objects().expect("reads");
        assert_eq!(
            objects.len() as u64,
            round,
            "one counter per run, none lost"
        );
        let ids: std::collections::BTreeSet<u64> = objects.iter().map(|o| o.id).collect();
        assert_eq!(ids.len() as u64, round, "ids are unique across runs");
        for o in &objects {
            assert_eq!(o.record.state, Some(vec![Val::Int(2)]));
            let head = o.record.object.as_ref().expect("live");
            assert_eq!(head.behaviour, "Counter");
            assert!(
                file.code(head.code).expect("reads").is_some(),
                "code stored"
            );
        }
    }
    let mut file = WorldFile::open(&path, Create::No).expect("opens");
    assert_eq!(file.check().expect("checks"), Vec::<String>::new());
    assert_eq!(
        file.log(100).expect("log").len(),
        12,
        "create, init, two incs per run"
    );
}

#[test]
fn a_second_writer_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.avmw");
    let first = WorldFile::open(&path, Create::IfMissing).expect("opens");
    let second = WorldFile::open(&path, Create::IfMissing);
    assert!(
        matches!(second, Err(WorldError::Busy { .. })),
        "got {second:?}"
    );
    drop(first);
    assert!(WorldFile::open(&path, Create::No).is_ok(), "free again");
}

#[test]
fn a_newer_format_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.avmw");
    drop(WorldFile::open(&path, Create::IfMissing).expect("opens"));
    {
        let db = redb::Database::create(&path).expect("redb opens");
        let w = db.begin_write().expect("write");
        w.open_table(META)
            .expect("meta")
            .insert(KEY_FORMAT, 99)
            .expect("insert");
        w.commit().expect("commit");
    }
    let e = WorldFile::open(&path, Create::No).expect_err("refused");
    assert_eq!(
        e,
        WorldError::NewerFormat {
            found: 99,
            supported: avm_runtime::durable::format::FORMAT_VERSION
        }
    );
    let db = redb::Database::create(&path).expect("redb opens");
    let r = redb::ReadableDatabase::begin_read(&db).expect("read");
    let format = r
        .open_table(META)
        .expect("meta")
        .get(KEY_FORMAT)
        .expect("get")
        .map(|v| v.value());
    assert_eq!(format, Some(99), "the newer world is left as it was");
}

#[test]
fn a_missing_world_and_a_non_world_are_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none.avmw");
    assert!(matches!(
        WorldFile::open(&missing, Create::No),
        Err(WorldError::Missing { .. })
    ));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some words").expect("write");
    assert!(matches!(
        WorldFile::open(&text, Create::IfMissing),
        Err(WorldError::NotAWorld { .. })
    ));
}

#[test]
fn export_then_import_gives_the_same_world() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.avmw");
    let file = WorldFile::open(&path, Create::IfMissing).expect("opens");
    let _ = run_counter(&file);
    let export = file.export().expect("exports");
    let json = serde_json::to_string(&export).expect("json");
    let back: avm_runtime::durable::inspect::Export = serde_json::from_str(&json).expect("parses");
    let copy = WorldFile::open(&dir.path().join("copy.avmw"), Create::IfMissing).expect("opens");
    copy.import(&back).expect("imports");
    let again = copy.export().expect("exports");
    assert_eq!(again.objects, export.objects);
    assert_eq!(again.code, export.code);
    assert_eq!(again.clock, export.clock);
    assert!(matches!(
        copy.import(&back),
        Err(WorldError::NotEmpty { .. })
    ));
}

/// The state the counter has after `updates` committed state writes (`init`, then `inc`s).
fn expected_state(updates: usize) -> Vec<Val> {
    match updates {
        0 => Vec::new(),
        n => vec![Val::Int(i64::try_from(n).unwrap_or(1) - 1)],
    }
}

/// Runs the counter sample on a backend with `fault`, then reopens the file normally: no
/// panic, a storage error if the run did not finish, and the world as of the last commit.
fn run_with_fault(fault: Fault) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.avmw");
    // A world that already holds one counter, written without faults.
    {
        let file = WorldFile::open(&path, Create::IfMissing).expect("opens");
        assert_eq!(run_counter(&file).0, Ok(Val::Int(2)));
    }
    let mut finished = None;
    {
        let handle = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .expect("open");
        let backend = FaultyBackend::new(handle, fault).expect("backend");
        match WorldFile::open_with_backend(backend) {
            Err(e) => assert!(
                matches!(e, WorldError::Storage { .. } | WorldError::NotAWorld { .. }),
                "{fault:?}: {e:?}"
            ),
            Ok(file) => {
                let (outcome, created, updates) = run_counter(&file);
                match &outcome {
                    Ok(v) => assert_eq!(v, &Val::Int(2)),
                    Err(AvmError::Exec(ExecError::Storage { .. })) => {}
                    Err(other) => panic!("{fault:?}: not a storage error: {other:?}"),
                }
                finished = Some((created, updates, outcome.is_ok()));
            }
        }
    }
    let mut file = WorldFile::open(&path, Create::No).expect("reopens after the fault");
    assert_eq!(
        file.check().expect("checks"),
        Vec::<String>::new(),
        "{fault:?}"
    );
    let objects = file.objects().expect("reads");
    assert_eq!(
        objects[0].record.state,
        Some(vec![Val::Int(2)]),
        "{fault:?}: old object kept"
    );
    // Every commit the run saw succeed is there. The commit that failed may be there too: a
    // crash inside redb's commit can come after the data reached the disk (the outcome of an
    // interrupted commit is unknown to the writer, as with any database).
    match finished {
        None => assert!(objects.len() <= 2, "{fault:?}"),
        Some((created, updates, ok)) => {
            let in_flight = usize::from(!ok);
            assert!(
                (1 + created..=1 + created + in_flight).contains(&objects.len()),
                "{fault:?}: {} objects, {created} created",
                objects.len()
            );
            if objects.len() == 2 {
                let state = objects[1].record.state.clone().unwrap_or_default();
                let allowed = [expected_state(updates), expected_state(updates + in_flight)];
                assert!(
                    allowed.contains(&state),
                    "{fault:?}: state {state:?}, committed updates {updates}"
                );
            }
        }
    }
}

#[test]
fn failing_writes_leave_the_world_as_of_the_last_commit() {
    for n in 0..40 {
        run_with_fault(Fault::FailWritesAfter(n));
    }
}

#[test]
fn a_full_disk_leaves_the_world_as_of_the_last_commit() {
    for n in 0..40 {
        run_with_fault(Fault::DiskFullAfter(n));
    }
}

#[test]
fn a_crash_after_the_nth_io_leaves_the_world_as_of_the_last_commit() {
    for n in 0..80 {
        run_with_fault(Fault::CrashAfter(n));
    }
}
