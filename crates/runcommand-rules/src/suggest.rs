//! "Did you mean" suggestions.

/// The two rows of the distance table, kept from one candidate to the next.
#[derive(Default)]
struct Rows {
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl Rows {
    /// Levenshtein distance of `a` and `b`, stopping early past `limit` (then `limit + 1`):
    /// lengths further apart than `limit`, or a row whose smallest entry is past it.
    fn distance(&mut self, a: &[char], b: &[char], limit: usize) -> usize {
        if a.len().abs_diff(b.len()) > limit {
            return limit + 1;
        }
        self.prev.clear();
        self.prev.extend(0..=b.len());
        self.cur.clear();
        self.cur.resize(b.len() + 1, 0);
        for (i, ca) in a.iter().enumerate() {
            if let Some(c0) = self.cur.first_mut() {
                *c0 = i + 1;
            }
            for (j, cb) in b.iter().enumerate() {
                let sub = self.prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != cb);
                let del = self.prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
                let ins = self.cur.get(j).copied().unwrap_or(usize::MAX) + 1;
                if let Some(c) = self.cur.get_mut(j + 1) {
                    *c = sub.min(del).min(ins);
                }
            }
            std::mem::swap(&mut self.prev, &mut self.cur);
            // Entries never decrease down a column: past the limit in a whole row, past it at
            // the end.
            if self.prev.iter().all(|&d| d > limit) {
                return limit + 1;
            }
        }
        self.prev
            .last()
            .copied()
            .unwrap_or(usize::MAX)
            .min(limit + 1)
    }
}

/// The closest candidate: equal ignoring case first, then the smallest edit distance (ignoring
/// case) within `SUGGESTION_MAX_DISTANCE` and at most a third of the word's length. Candidates
/// whose length is too far from the word's are skipped before any distance is computed.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Option<&'c str> {
    if let Some(c) = candidates.clone().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let max = usize::try_from(runcommand_catalog::limits::SUGGESTION_MAX_DISTANCE).unwrap_or(3);
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    let limit = max.min(word.chars().count().div_ceil(3)).max(1);
    let mut rows = Rows::default();
    let mut candidate: Vec<char> = Vec::new();
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        // An ASCII candidate keeps its length when lowercased: compare lengths first.
        if c.is_ascii() && c.len().abs_diff(lower.len()) > limit {
            continue;
        }
        candidate.clear();
        candidate.extend(c.to_lowercase().chars());
        let d = rows.distance(&lower, &candidate, limit);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Levenshtein distance over characters, stopping early past `limit` (then `limit + 1`).
    fn distance(a: &str, b: &str, limit: usize) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        Rows::default().distance(&a, &b, limit)
    }

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
        assert_eq!(distance("kitten", "sitting", 2), 3);
        assert_eq!(distance("abcdef", "uvwxyz", 2), 3);
        assert_eq!(distance("", "abc", 3), 3);
    }
}
