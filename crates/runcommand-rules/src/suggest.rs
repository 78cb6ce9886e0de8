//! "Did you mean" suggestions.

/// The closest candidate: equal ignoring case first, then the smallest edit distance (ignoring
/// case) within `SUGGESTION_MAX_DISTANCE` and at most a third of the word's length
/// ([`runcommand_suggest::closest`]).
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Option<&'c str> {
    let max = usize::try_from(runcommand_catalog::limits::SUGGESTION_MAX_DISTANCE).unwrap_or(3);
    runcommand_suggest::did_you_mean(word, candidates, max)
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
    }
}
