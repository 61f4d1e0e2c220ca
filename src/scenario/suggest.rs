//! Typo suggestions: the closest known name to a mistyped key, strategy or word, by edit
//! distance, for the "did you mean" of a message.
//!
//! Pure functions of strings; it must not decide what is valid or report problems.

use crate::model::params;

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or variant) adds "did you mean".
pub(super) fn typo_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(name, &expected).map(did_you_mean)
}

/// ` (did you mean `x`?)`, the hint a message ends with.
pub fn did_you_mean(x: &str) -> String {
    format!(" (did you mean `{x}`?)")
}

/// The hint for a mistyped `word` among `candidates`, or nothing where none is close.
pub fn hint(word: &str, candidates: &[&str]) -> String {
    suggest(word, candidates)
        .map(did_you_mean)
        .unwrap_or_default()
}

/// The registry key closest to `key`, for a mistyped `--param`.
pub fn suggest_key(key: &str) -> Option<String> {
    let generic = params::generic_key(key);
    let keys: Vec<&str> = params::PARAMS.iter().map(|p| p.key).collect();
    let best = keys.iter().min_by_key(|k| edit_distance(&generic, k))?;
    (edit_distance(&generic, best) <= (generic.len() / 4).max(2)).then(|| best.to_string())
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
/// A word also matches the leading `_`-separated words of a key (`senority` matches
/// `seniority_weight`).
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let distance = |c: &str| {
        let mut best = edit_distance(word, c);
        for (i, _) in c.match_indices('_') {
            best = best.min(edit_distance(word, &c[..i]) + 1);
        }
        best
    };
    let best = candidates
        .iter()
        .map(|c| (distance(c), *c))
        .min_by_key(|(d, _)| *d)?;
    let limit = (word.chars().count() / 3).max(2);
    (best.0 <= limit).then_some(best.1)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("rouitng", &["routing", "caching"]), Some("routing"));
        assert_eq!(suggest("zzzzzz", &["routing", "caching"]), None);
    }

    #[test]
    fn a_word_matches_the_leading_words_of_a_key() {
        assert_eq!(
            suggest("senority", &["seniority_weight", "fraction"]),
            Some("seniority_weight")
        );
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("routing", "routing"), 0);
        assert_eq!(edit_distance("routing", "rooting"), 1);
        assert_eq!(edit_distance("route", "routing"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn serde_messages_get_a_hint_only_for_a_close_name() {
        let m = "unknown field `rouitng`, expected one of `routing`, `caching`";
        assert_eq!(typo_hint(m).as_deref(), Some(" (did you mean `routing`?)"));
        let far = "unknown field `zzzzzz`, expected one of `routing`, `caching`";
        assert_eq!(typo_hint(far), None);
        assert_eq!(typo_hint("invalid type: string"), None);
    }
}
