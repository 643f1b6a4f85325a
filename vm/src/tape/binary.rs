//! The Tape binary format.
//!
//! Takes a [`Program`] (to encode) or bytes (to load); produces the binary form or the
//! loaded, verified program. Layout: the magic `b"AVMT"`, the format version as a
//! little-endian `u16`, then the program in postcard encoding. Constants travel as a flat
//! node table (children before parents, each node used once) instead of a tree, so that
//! decoding untrusted bytes needs no recursion and cannot blow up in size or depth.
//! [`load`] checks the magic and the version, decodes, and runs the verifier.

use super::op::FuncIdx;
use super::program::{Behaviour, Const, Function, MAX_CONST_DEPTH, Program};
use super::verify::{VerifyError, verify};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The first four bytes of every binary Tape file.
pub const MAGIC: [u8; 4] = *b"AVMT";

/// The format version this build writes and reads. Bump it on any change to [`Program`],
/// [`super::op::Op`] or the wire layout.
pub const FORMAT_VERSION: u16 = 3;

const HEADER_LEN: usize = MAGIC.len() + 2;

/// Why bytes could not be loaded as a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Fewer bytes than the header needs.
    TooShort { len: usize },
    /// The file does not start with [`MAGIC`].
    BadMagic { found: Vec<u8> },
    /// A format version this build cannot read.
    UnsupportedVersion { found: u16, supported: u16 },
    /// The body is not a valid postcard encoding of a program.
    Decode(postcard::Error),
    /// Bytes left over after the program.
    TrailingBytes { count: usize },
    /// The constant node table is malformed.
    BadConstant { node: u32, problem: ConstProblem },
    /// The program decoded but failed verification.
    Invalid(Vec<VerifyError>),
}

/// What is wrong with a constant node (see [`LoadError::BadConstant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstProblem {
    /// It refers to a node that does not come before it.
    ForwardReference { child: u32 },
    /// It refers to a node that another constant already uses.
    SharedNode { child: u32 },
    /// It nests deeper than [`MAX_CONST_DEPTH`].
    TooDeep,
}

/// Why a program could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// A constant nests deeper than [`MAX_CONST_DEPTH`] (at this constant pool index).
    ConstTooDeep { constant: usize },
    /// The constant pool has more nodes than a `u32` can index.
    TooManyConstNodes,
    /// The serializer failed.
    Encode(postcard::Error),
}

/// A constant node on the wire; children are indices of earlier nodes.
#[derive(Debug, Serialize, Deserialize)]
enum WireConst {
    Int(i64),
    Bool(bool),
    Str(String),
    Unit,
    None,
    Some(u32),
    List(Vec<u32>),
    Tuple(Vec<u32>),
}

#[derive(Debug, Serialize, Deserialize)]
struct WireProgram {
    functions: Vec<Function>,
    const_nodes: Vec<WireConst>,
    /// The node of each constant pool entry.
    constants: Vec<u32>,
    strings: Vec<String>,
    behaviours: Vec<Behaviour>,
    entry: Option<FuncIdx>,
    sources: Vec<String>,
}

/// Encodes `program` (header + postcard body). The program is not verified here.
pub fn encode(program: &Program) -> Result<Vec<u8>, EncodeError> {
    let mut const_nodes = Vec::new();
    let mut constants = Vec::with_capacity(program.constants.len());
    for (i, c) in program.constants.iter().enumerate() {
        if c.depth_within(MAX_CONST_DEPTH) > MAX_CONST_DEPTH {
            return Err(EncodeError::ConstTooDeep { constant: i });
        }
        constants.push(flatten(c, &mut const_nodes)?);
    }
    let wire = WireProgram {
        functions: program.functions.clone(),
        const_nodes,
        constants,
        strings: program.strings.clone(),
        behaviours: program.behaviours.clone(),
        entry: program.entry,
        sources: program.sources.clone(),
    };
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    postcard::to_extend(&wire, out).map_err(EncodeError::Encode)
}

/// Appends `c`'s nodes (children first) and returns the index of its root node. The
/// recursion depth is bounded by [`MAX_CONST_DEPTH`] (checked by the caller).
fn flatten(c: &Const, nodes: &mut Vec<WireConst>) -> Result<u32, EncodeError> {
    let mut children = |items: &[Const]| -> Result<Vec<u32>, EncodeError> {
        items.iter().map(|item| flatten(item, nodes)).collect()
    };
    let node = match c {
        Const::Int(n) => WireConst::Int(*n),
        Const::Bool(b) => WireConst::Bool(*b),
        Const::Str(s) => WireConst::Str(s.clone()),
        Const::Unit => WireConst::Unit,
        Const::None => WireConst::None,
        Const::Some(inner) => WireConst::Some(flatten(inner, nodes)?),
        Const::List(items) => WireConst::List(children(items)?),
        Const::Tuple(items) => WireConst::Tuple(children(items)?),
    };
    let idx = u32::try_from(nodes.len()).map_err(|_| EncodeError::TooManyConstNodes)?;
    nodes.push(node);
    Ok(idx)
}

/// Decodes bytes into a program without verifying it.
pub fn decode(bytes: &[u8]) -> Result<Program, LoadError> {
    if bytes.len() < HEADER_LEN {
        return Err(LoadError::TooShort { len: bytes.len() });
    }
    let (magic, rest) = bytes.split_at(MAGIC.len());
    if magic != MAGIC {
        return Err(LoadError::BadMagic {
            found: magic.to_vec(),
        });
    }
    let (version, body) = rest.split_at(2);
    let found = u16::from_le_bytes([version[0], version[1]]);
    if found != FORMAT_VERSION {
        return Err(LoadError::UnsupportedVersion {
            found,
            supported: FORMAT_VERSION,
        });
    }
    let (wire, trailing): (WireProgram, _) =
        postcard::take_from_bytes(body).map_err(LoadError::Decode)?;
    if !trailing.is_empty() {
        return Err(LoadError::TrailingBytes {
            count: trailing.len(),
        });
    }
    let constants = rebuild_constants(wire.const_nodes, &wire.constants)?;
    Ok(Program {
        functions: wire.functions,
        constants,
        strings: wire.strings,
        behaviours: wire.behaviours,
        entry: wire.entry,
        sources: wire.sources,
    })
}

/// Decodes and verifies: the way to turn untrusted bytes into a runnable program.
pub fn load(bytes: &[u8]) -> Result<Program, LoadError> {
    let program = decode(bytes)?;
    verify(&program).map_err(LoadError::Invalid)?;
    Ok(program)
}

/// Turns the node table back into trees, iteratively: each node is built once from
/// already-built children, which it takes (so no node is shared and sizes stay linear).
fn rebuild_constants(nodes: Vec<WireConst>, roots: &[u32]) -> Result<Vec<Const>, LoadError> {
    let mut built: Vec<Option<(Const, usize)>> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.into_iter().enumerate() {
        let node_idx = u32::try_from(i).unwrap_or(u32::MAX);
        let (value, depth) = match node {
            WireConst::Int(n) => (Const::Int(n), 1),
            WireConst::Bool(b) => (Const::Bool(b), 1),
            WireConst::Str(s) => (Const::Str(s), 1),
            WireConst::Unit => (Const::Unit, 1),
            WireConst::None => (Const::None, 1),
            WireConst::Some(child) => {
                let (inner, d) = take_child(&mut built, node_idx, child)?;
                (Const::Some(Box::new(inner)), d + 1)
            }
            WireConst::List(children) => {
                let (items, d) = take_children(&mut built, node_idx, children)?;
                (Const::List(items), d + 1)
            }
            WireConst::Tuple(children) => {
                let (items, d) = take_children(&mut built, node_idx, children)?;
                (Const::Tuple(items), d + 1)
            }
        };
        if depth > MAX_CONST_DEPTH {
            return Err(LoadError::BadConstant {
                node: node_idx,
                problem: ConstProblem::TooDeep,
            });
        }
        built.push(Some((value, depth)));
    }
    roots
        .iter()
        .map(|&root| {
            let bad = |problem| LoadError::BadConstant {
                node: root,
                problem,
            };
            let slot = usize::try_from(root)
                .ok()
                .and_then(|r| built.get_mut(r))
                .ok_or(bad(ConstProblem::ForwardReference { child: root }))?;
            slot.take()
                .map(|(c, _)| c)
                .ok_or(bad(ConstProblem::SharedNode { child: root }))
        })
        .collect()
}

/// Takes the already-built node `child` (which must precede `node` and be unused).
fn take_child(
    built: &mut [Option<(Const, usize)>],
    node: u32,
    child: u32,
) -> Result<(Const, usize), LoadError> {
    let bad = |problem| LoadError::BadConstant { node, problem };
    // `built` holds exactly the nodes before `node`, so any index in it precedes `node`.
    let slot = usize::try_from(child)
        .ok()
        .and_then(|c| built.get_mut(c))
        .ok_or(bad(ConstProblem::ForwardReference { child }))?;
    slot.take().ok_or(bad(ConstProblem::SharedNode { child }))
}

/// Takes several children; returns them and their greatest depth.
fn take_children(
    built: &mut [Option<(Const, usize)>],
    node: u32,
    children: Vec<u32>,
) -> Result<(Vec<Const>, usize), LoadError> {
    let mut depth = 0;
    let mut items = Vec::with_capacity(children.len());
    for child in children {
        let (c, d) = take_child(built, node, child)?;
        depth = depth.max(d);
        items.push(c);
    }
    Ok((items, depth))
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::TooShort { len } => write!(
                f,
                "not a Tape binary: {len} bytes is shorter than the {HEADER_LEN}-byte header"
            ),
            LoadError::BadMagic { found } => write!(
                f,
                "not a Tape binary: it starts with {found:02x?}, expected {MAGIC:02x?} (\"AVMT\")"
            ),
            LoadError::UnsupportedVersion { found, supported } => write!(
                f,
                "Tape binary format version {found} is not supported (this build reads version {supported})"
            ),
            LoadError::Decode(e) => write!(f, "the Tape binary is corrupt: {e}"),
            LoadError::TrailingBytes { count } => {
                write!(
                    f,
                    "the Tape binary has {count} unexpected bytes after the program"
                )
            }
            LoadError::BadConstant { node, problem } => {
                write!(f, "the Tape binary's constant node {node} is malformed: ")?;
                match problem {
                    ConstProblem::ForwardReference { child } => {
                        write!(
                            f,
                            "it refers to node {child}, which does not come before it"
                        )
                    }
                    ConstProblem::SharedNode { child } => {
                        write!(f, "node {child} is used more than once")
                    }
                    ConstProblem::TooDeep => {
                        write!(f, "it is nested deeper than {MAX_CONST_DEPTH} levels")
                    }
                }
            }
            LoadError::Invalid(errors) => {
                write!(f, "the program is malformed:")?;
                for error in errors {
                    write!(f, "\n  {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::ConstTooDeep { constant } => write!(
                f,
                "constant c{constant} is nested deeper than {MAX_CONST_DEPTH} levels"
            ),
            EncodeError::TooManyConstNodes => f.write_str("the constant pool is too large"),
            EncodeError::Encode(e) => write!(f, "could not encode the program: {e}"),
        }
    }
}

impl std::error::Error for EncodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(wire: &WireProgram) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        postcard::to_extend(wire, out).expect("encodes")
    }

    fn wire(const_nodes: Vec<WireConst>, constants: Vec<u32>) -> WireProgram {
        WireProgram {
            functions: Vec::new(),
            const_nodes,
            constants,
            strings: Vec::new(),
            behaviours: Vec::new(),
            entry: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn forward_reference_is_rejected() {
        let bytes = bytes_of(&wire(vec![WireConst::Some(0)], vec![0]));
        assert_eq!(
            decode(&bytes),
            Err(LoadError::BadConstant {
                node: 0,
                problem: ConstProblem::ForwardReference { child: 0 }
            })
        );
    }

    #[test]
    fn shared_nodes_are_rejected_so_sizes_stay_linear() {
        let nodes = vec![WireConst::Int(1), WireConst::List(vec![0, 0])];
        assert_eq!(
            decode(&bytes_of(&wire(nodes, vec![1]))),
            Err(LoadError::BadConstant {
                node: 1,
                problem: ConstProblem::SharedNode { child: 0 }
            })
        );
        let nodes = vec![WireConst::Int(1)];
        assert!(matches!(
            decode(&bytes_of(&wire(nodes, vec![0, 0]))),
            Err(LoadError::BadConstant {
                problem: ConstProblem::SharedNode { .. },
                ..
            })
        ));
    }

    #[test]
    fn deep_constants_are_rejected_without_recursion() {
        let mut nodes = vec![WireConst::Unit];
        for i in 0..100_000u32 {
            nodes.push(WireConst::Some(i));
        }
        let result = decode(&bytes_of(&wire(nodes, vec![100_000])));
        assert!(matches!(
            result,
            Err(LoadError::BadConstant {
                problem: ConstProblem::TooDeep,
                ..
            })
        ));
    }

    #[test]
    fn constants_round_trip_through_nodes() {
        let program = Program {
            constants: vec![
                Const::List(vec![
                    Const::Tuple(vec![Const::Int(-1), Const::Str("x".into())]),
                    Const::Some(Box::new(Const::None)),
                ]),
                Const::Unit,
                Const::Bool(true),
            ],
            ..Program::default()
        };
        let bytes = encode(&program).expect("encodes");
        assert_eq!(decode(&bytes), Ok(program));
    }
}
