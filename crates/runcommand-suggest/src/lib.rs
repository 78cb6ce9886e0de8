//! "Did you mean": the candidate closest to a misspelt word in edit distance. Shared by the
//! schedule grammar (time zone names: some 600 candidates) and the rules (parameter names,
//! enumeration values, codes), which ask on every misspelling they report.
//!
//! Only candidates within a limit can be suggested, so the work is bounded by it: a candidate
//! whose length (for ASCII, known without decoding) is further than the limit from the word's is
//! skipped, and a table row past the limit ends the computation. The rows are reused from one
//! candidate to the next.

#![forbid(unsafe_code)]

/// The two rows of an edit-distance table, kept from one candidate to the next.
#[derive(Default)]
pub struct Rows {
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl Rows {
    /// The Levenshtein distance of `a` and `b`, or `limit + 1` when it is above `limit`
    /// (lengths further apart than `limit`, or a row whose smallest entry is past it: entries
    /// never decrease from one row to the next).
    pub fn distance(&mut self, a: &[char], b: &[char], limit: usize) -> usize {
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

/// "Did you mean": a candidate equal to `word` ignoring ASCII case first, else the closest in
/// edit distance (ignoring case) within `max_distance` edits and at most a third of the word's
/// length (so a short word is not "corrected" into an unrelated one).
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
    max_distance: usize,
) -> Option<&'c str> {
    if let Some(c) = candidates.clone().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let limit = max_distance.min(word.chars().count().div_ceil(3)).max(1);
    closest(word, candidates, limit).map(|(c, _)| c)
}

/// The candidate closest to `word` in edit distance, both lowercased, with its distance: the
/// first of equally close ones, and only within `limit` edits.
pub fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Option<(&'c str, usize)> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    let mut rows = Rows::default();
    let mut candidate: Vec<char> = Vec::new();
    let mut best: Option<(&'c str, usize)> = None;
    for c in candidates {
        // An ASCII candidate keeps its length when lowercased: compare lengths first.
        if c.is_ascii() && c.len().abs_diff(word.len()) > limit {
            continue;
        }
        candidate.clear();
        candidate.extend(c.to_lowercase().chars());
        let d = rows.distance(&word, &candidate, limit);
        if d <= limit && best.is_none_or(|(_, b)| d < b) {
            best = Some((c, d));
            if d == 0 {
                break;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str, limit: usize) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        Rows::default().distance(&a, &b, limit)
    }

    /// The whole table, unbounded: the reference.
    fn full(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn bounded_distance_is_the_distance_or_past_the_limit() {
        let words = [
            "",
            "a",
            "kitten",
            "sitting",
            "Asia/Shanghai",
            "Asia/Shangai",
            "aisa",
            "é",
        ];
        for a in words {
            for b in words {
                for limit in 0..5 {
                    let d = full(a, b);
                    assert_eq!(distance(a, b, limit), d.min(limit + 1), "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn closest_is_the_first_of_the_nearest_within_the_limit() {
        let names = [
            "InstanceId",
            "CommandContent",
            "Type",
            "Timeout",
            "Timeouts",
        ];
        assert_eq!(closest("InstanceIds", names, 2), Some(("InstanceId", 1)));
        assert_eq!(
            closest("commandcontent", names, 2),
            Some(("CommandContent", 0))
        );
        assert_eq!(closest("Timout", names, 2), Some(("Timeout", 1)));
        // One edit from both: the first one listed.
        assert_eq!(closest("Timeoutz", names, 2), Some(("Timeout", 1)));
        assert_eq!(closest("Timeoutss", names, 2), Some(("Timeouts", 1)));
        assert_eq!(closest("Zebra", names, 2), None);
        assert_eq!(closest("", names, 1), None);
    }
}
