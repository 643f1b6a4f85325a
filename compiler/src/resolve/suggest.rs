//! "Did you mean …?" suggestions.
//!
//! Takes a misspelt name and candidate names; produces the closest candidate
//! by edit distance, only when it is close enough to be a plausible typo.

/// The candidate closest to `name` by Levenshtein distance, if the distance
/// is at most a third of the name's length (at least 1) and not zero.
/// One-letter names get no suggestion (every other short name is "close").
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    if length < 2 {
        return None;
    }
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = strsim::levenshtein(name, candidate);
        if distance <= limit
            && best.is_none_or(|(d, c)| distance < d || (distance == d && candidate < c))
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(closest("cout", ["count", "other"]), Some("count"));
        assert_eq!(closest("x", ["y"]), None);
        assert_eq!(closest("total", ["count"]), None);
        assert_eq!(closest("same", ["same"]), None);
    }
}
