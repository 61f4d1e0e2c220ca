//! The scenario library: every scenario at the top of `scenarios/`, compiled into the
//! binary so that `tokensim list` and `tokensim init` work with nothing but the binary.
//!
//! Each file's first line is its question, written `# <name>: <question>`; `question`
//! reads it and a test holds every bundled file to it.
//!
//! This module must not read or write files, parse or validate scenarios, or print: it
//! only hands out the bundled text, byte for byte. The command line writes the copies and
//! `scenario::parse` validates them.

/// One bundled scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The file stem: `tokensim init NAME` takes it.
    pub name: &'static str,
    /// The file's text, exactly as committed under `scenarios/`.
    pub text: &'static str,
}

macro_rules! bundle {
    ($($name:literal),* $(,)?) => {
        [$(Entry { name: $name, text: include_str!(concat!("../scenarios/", $name, ".toml")) }),*]
    };
}

/// Every bundled scenario, the reference first, then the cases in the order of issue 7,
/// then the staged decisions of issue 18.
pub const SCENARIOS: [Entry; 9] = bundle!(
    "reference",
    "microsoft_2026",
    "uber_2026",
    "fintech_roi",
    "replacement_thesis",
    "tokenmaxxing",
    "startup_20",
    "hybrid_routing",
    "staged_replacement",
);

/// The bundled scenario with this name.
pub fn find(name: &str) -> Option<&'static Entry> {
    SCENARIOS.iter().find(|e| e.name == name)
}

/// The bundled scenario a user means by `name`: the name itself, in any letter case, with
/// or without a trailing `.toml` (so `UBER_2026` and `uber_2026.toml` find `uber_2026`).
pub fn resolve(name: &str) -> Option<&'static Entry> {
    let stem = match name.len().checked_sub(5) {
        Some(i) if name.is_char_boundary(i) && name[i..].eq_ignore_ascii_case(".toml") => {
            &name[..i]
        }
        _ => name,
    };
    SCENARIOS.iter().find(|e| e.name.eq_ignore_ascii_case(stem))
}

/// The names of every bundled scenario, in library order.
pub fn names() -> Vec<&'static str> {
    SCENARIOS.iter().map(|e| e.name).collect()
}

impl Entry {
    /// The one-line question from the first line, `# <name>: <question>`; `None` if the
    /// first line does not follow that convention.
    pub fn question(&self) -> Option<&'static str> {
        let first = self.text.lines().next()?;
        let rest = first.strip_prefix("# ")?.strip_prefix(self.name)?;
        let q = rest.strip_prefix(": ")?.trim();
        (!q.is_empty()).then_some(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_question_and_a_unique_name() {
        for (i, e) in SCENARIOS.iter().enumerate() {
            assert!(e.question().is_some(), "{} has no question line", e.name);
            assert!(
                SCENARIOS[..i].iter().all(|o| o.name != e.name),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn a_first_line_without_the_convention_has_no_question() {
        let e = Entry {
            name: "x",
            text: "# y: a question\n",
        };
        assert_eq!(e.question(), None);
        let e = Entry {
            name: "x",
            text: "# x:\n",
        };
        assert_eq!(e.question(), None);
        let e = Entry {
            name: "x",
            text: "# x: Why?\n[run]\n",
        };
        assert_eq!(e.question(), Some("Why?"));
        assert_eq!(find("x"), None);
        assert_eq!(find("reference").map(|e| e.name), Some("reference"));
    }

    #[test]
    fn resolve_ignores_letter_case_and_a_trailing_toml() {
        for typed in ["uber_2026", "UBER_2026", "Uber_2026.toml", "uber_2026.TOML"] {
            assert_eq!(resolve(typed).map(|e| e.name), Some("uber_2026"), "{typed}");
        }
        for typed in ["uber_2026.tom", "uber_2026.toml.toml", ".toml", "", "uber"] {
            assert_eq!(resolve(typed), None, "{typed}");
        }
    }
}
