//! Problems in a scenario: what is wrong, at which key, line and column, and how a list
//! of them reads as one error message.
//!
//! It only describes and places problems; it must not parse, validate or read files.

use super::locate;
use std::fmt;

/// One problem in a scenario, located in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Dotted key path, such as `strategies.replacement.layoffs[0].fraction`.
    pub key: String,
    pub message: String,
    /// 1-based line and column, where the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Why a scenario could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: cannot read: {reason}")]
    Read { file: String, reason: String },
    #[error("{}", render(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render(file: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match (p.line, p.column) {
            (Some(l), Some(c)) => out.push_str(&format!("{file}:{l}:{c}: ")),
            _ => out.push_str(&format!("{file}: ")),
        }
        if !p.key.is_empty() {
            out.push_str(&format!("{}: ", p.key));
        }
        out.push_str(&p.message);
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Places problems found in a cleaned copy at their keys in the original text.
pub(super) fn relocate(text: &str, problems: &mut [Problem]) {
    for p in problems {
        match locate::locate(text, &p.key, true) {
            Some(offset) => {
                let (l, c) = line_col(text, offset);
                (p.line, p.column) = (Some(l), Some(c));
            }
            None => (p.line, p.column) = (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn problems_render_one_a_line_with_their_place_and_key() {
        let placed = Problem {
            key: "run.paths".into(),
            message: "must be a whole number in [1, 100000000], got 0".into(),
            line: Some(3),
            column: Some(9),
        };
        let unplaced = Problem {
            key: String::new(),
            message: "the file is not valid UTF-8 text; save it as UTF-8".into(),
            line: None,
            column: None,
        };
        assert_eq!(
            render("s.toml", &[placed, unplaced]),
            "s.toml:3:9: run.paths: must be a whole number in [1, 100000000], got 0\n\
             s.toml: the file is not valid UTF-8 text; save it as UTF-8"
        );
    }
}
