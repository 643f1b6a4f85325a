//! Régin's matching-based filtering for `AllDiff` (generalised arc consistency).
//!
//! Takes the domains of the variables of one `AllDiff` (and a matching hint from the previous
//! run) and produces, per variable, the values that belong to no solution of the `AllDiff` alone,
//! or the index of a variable that cannot be matched (no solution at all).
//!
//! Method (Régin 1994): find a maximum matching variable → value in the bipartite value graph
//! (Kuhn's augmenting paths, seeded by the hint); orient matched edges variable → value and the
//! other edges value → variable; an unmatched edge `(x, v)` is in some maximum matching iff `v`
//! is reachable from a free value (even alternating path) or `x` and `v` lie in one strongly
//! connected component (even alternating cycle). Every other unmatched edge is removed. The
//! result is the unique GAC fixpoint, so it does not depend on the matching found.

use super::domain::Domain;

/// The bipartite value graph.
struct ValueGraph {
    /// Per variable, the indices (into `values`) of its domain values, ascending.
    adjacency: Vec<Vec<usize>>,
    /// Per value index, the variables whose domain holds it.
    holders: Vec<Vec<usize>>,
}

/// Values to remove per variable (ascending), or `Err(k)` when variable `k` cannot get a value
/// distinct from the others'. `hint` holds the matched value of each variable from an earlier
/// call (any content is accepted; it only speeds up the matching) and is updated.
pub fn gac_filter(domains: &[&Domain], hint: &mut Vec<i64>) -> Result<Vec<Vec<i64>>, usize> {
    let n = domains.len();
    let mut values: Vec<i64> = domains.iter().flat_map(|d| d.iter()).collect();
    values.sort_unstable();
    values.dedup();
    let m = values.len();
    let index_of = |v: i64| values.binary_search(&v).ok();
    let mut graph = ValueGraph {
        adjacency: Vec::with_capacity(n),
        holders: vec![Vec::new(); m],
    };
    for (k, d) in domains.iter().enumerate() {
        let row: Vec<usize> = d.iter().filter_map(index_of).collect();
        for &j in &row {
            graph.holders[j].push(k);
        }
        graph.adjacency.push(row);
    }

    // Maximum matching, seeded by the hint.
    let mut var_match: Vec<Option<usize>> = vec![None; n];
    let mut value_match: Vec<Option<usize>> = vec![None; m];
    for (k, d) in domains.iter().enumerate() {
        if let Some(&v) = hint.get(k)
            && d.contains(v)
            && let Some(j) = index_of(v)
            && value_match[j].is_none()
        {
            var_match[k] = Some(j);
            value_match[j] = Some(k);
        }
    }
    for k in 0..n {
        if var_match[k].is_none() {
            let mut visited = vec![false; m];
            if !augment(&graph, k, &mut var_match, &mut value_match, &mut visited) {
                return Err(k);
            }
        }
    }
    hint.clear();
    // Every variable is matched here.
    hint.extend(var_match.iter().map(|j| j.map_or(0, |j| values[j])));

    // Successors in the oriented graph.
    let successors = |node: usize, out: &mut Vec<usize>| {
        out.clear();
        if node < n {
            if let Some(j) = var_match[node] {
                out.push(n + j);
            }
        } else {
            let j = node - n;
            for &k in &graph.holders[j] {
                if var_match[k] != Some(j) {
                    out.push(k);
                }
            }
        }
    };

    // Nodes reachable from a free value.
    let mut reachable = vec![false; n + m];
    let mut stack: Vec<usize> = (0..m)
        .filter(|j| value_match[*j].is_none())
        .map(|j| n + j)
        .collect();
    for &node in &stack {
        reachable[node] = true;
    }
    let mut next = Vec::new();
    while let Some(node) = stack.pop() {
        successors(node, &mut next);
        for &s in &next {
            if !std::mem::replace(&mut reachable[s], true) {
                stack.push(s);
            }
        }
    }

    // Node numbering: variables `0..n`, values `n..n + m`.
    let component = strongly_connected_components(n + m, successors);
    let mut removals = vec![Vec::new(); n];
    for k in 0..n {
        for &j in &graph.adjacency[k] {
            if var_match[k] != Some(j) && !reachable[n + j] && component[n + j] != component[k] {
                removals[k].push(values[j]);
            }
        }
    }
    Ok(removals)
}

/// Kuhn's augmenting path from variable `k` (depth bounded by the number of variables).
fn augment(
    graph: &ValueGraph,
    k: usize,
    var_match: &mut [Option<usize>],
    value_match: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for &j in &graph.adjacency[k] {
        if std::mem::replace(&mut visited[j], true) {
            continue;
        }
        let free = match value_match[j] {
            None => true,
            Some(other) => augment(graph, other, var_match, value_match, visited),
        };
        if free {
            var_match[k] = Some(j);
            value_match[j] = Some(k);
            return true;
        }
    }
    false
}

/// Tarjan's algorithm, iterative: the component number of every node.
fn strongly_connected_components(
    nodes: usize,
    successors: impl Fn(usize, &mut Vec<usize>),
) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; nodes];
    let mut low = vec![0; nodes];
    let mut on_stack = vec![false; nodes];
    let mut component = vec![UNSEEN; nodes];
    let mut stack = Vec::new();
    let mut counter = 0;
    let mut components = 0;
    // Call frames: (node, its successors, next successor to visit).
    let mut frames: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    for root in 0..nodes {
        if index[root] != UNSEEN {
            continue;
        }
        let mut out = Vec::new();
        successors(root, &mut out);
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, out, 0));
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&s) = frame.1.get(frame.2) {
                frame.2 += 1;
                if index[s] == UNSEEN {
                    let mut out = Vec::new();
                    successors(s, &mut out);
                    index[s] = counter;
                    low[s] = counter;
                    counter += 1;
                    stack.push(s);
                    on_stack[s] = true;
                    frames.push((s, out, 0));
                } else if on_stack[s] {
                    low[node] = low[node].min(index[s]);
                }
                continue;
            }
            frames.pop();
            if let Some(parent) = frames.last() {
                low[parent.0] = low[parent.0].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(top) = stack.pop() {
                    on_stack[top] = false;
                    component[top] = components;
                    if top == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(domains: &[&[i64]]) -> Result<Vec<Vec<i64>>, usize> {
        let owned: Vec<Domain> = domains
            .iter()
            .map(|d| Domain::from_values(d.iter().copied()))
            .collect();
        let refs: Vec<&Domain> = owned.iter().collect();
        gac_filter(&refs, &mut Vec::new())
    }

    #[test]
    fn hall_set_with_holes_is_found() {
        // {1, 3} twice is a Hall set (not an interval): the third variable loses 1 and 3.
        assert_eq!(
            filter(&[&[1, 3], &[1, 3], &[1, 2, 3]]),
            Ok(vec![vec![], vec![], vec![1, 3]])
        );
    }

    #[test]
    fn unmatched_variable_fails() {
        assert_eq!(filter(&[&[1, 3], &[1, 3], &[3, 1]]), Err(2));
    }

    #[test]
    fn free_values_keep_their_edges() {
        assert_eq!(filter(&[&[1, 2], &[2, 3]]), Ok(vec![vec![], vec![]]));
    }
}
