//! "Did you mean" suggestions.

/// Levenshtein distance over characters, stopping early past `limit`.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(usize::MAX)
}

/// The closest candidate: equal ignoring case first, then the smallest edit distance (ignoring
/// case) within `SUGGESTION_MAX_DISTANCE` and at most a third of the word's length.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Option<&'c str> {
    if let Some(c) = candidates.clone().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let max = usize::try_from(runcommand_catalog::limits::SUGGESTION_MAX_DISTANCE).unwrap_or(3);
    let limit = max.min(word.chars().count().div_ceil(3)).max(1);
    let lower = word.to_lowercase();
    candidates
        .map(|c| (distance(&lower, &c.to_lowercase(), limit), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let names = ["InstanceId", "CommandContent", "Type", "Timeout"];
        assert_eq!(
            did_you_mean("InstanceIds", names.iter().copied()),
            Some("InstanceId")
        );
        assert_eq!(
            did_you_mean("commandContent", names.iter().copied()),
            Some("CommandContent")
        );
        assert_eq!(
            did_you_mean("Timout", names.iter().copied()),
            Some("Timeout")
        );
        assert_eq!(did_you_mean("Zebra", names.iter().copied()), None);
        assert_eq!(did_you_mean("", names.iter().copied()), None);
        assert_eq!(distance("kitten", "sitting", 5), 3);
    }
}
