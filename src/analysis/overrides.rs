//! Parameter values as `--set` overrides: the swept parameter `Vary` and its grid, a
//! scenario parsed with extra overrides (`scenario_with`), and numbers written so they
//! read back exactly (`set_text`, `value_text`). Every analysis applies its values this
//! way, so they are validated exactly like the file.
//!
//! It must not read files, read the clock, print or run the model.

use crate::model::Scenario;
use crate::scenario::{self, Overrides, ScenarioError};

/// One swept parameter: `KEY=LO:HI:STEPS`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    pub steps: usize,
}

impl Vary {
    /// Parses `KEY=LO:HI:STEPS` (at least 2 steps; LO and HI included).
    pub fn parse(arg: &str) -> Result<Vary, String> {
        let bad = || {
            format!("--vary takes KEY=LO:HI:STEPS, such as world.subsidy.m_api=1:3:5, got `{arg}`")
        };
        let (key, range) = arg.split_once('=').ok_or_else(bad)?;
        let parts: Vec<&str> = range.split(':').collect();
        if parts.len() != 3 || key.trim().is_empty() {
            return Err(bad());
        }
        let lo: f64 = parts[0].trim().parse().map_err(|_| bad())?;
        let hi: f64 = parts[1].trim().parse().map_err(|_| bad())?;
        let steps: usize = parts[2].trim().parse().map_err(|_| bad())?;
        if !(lo.is_finite() && hi.is_finite() && (2..=1000).contains(&steps)) {
            return Err(format!(
                "--vary {key}: LO and HI must be numbers and STEPS from 2 to 1000"
            ));
        }
        Ok(Vary {
            key: key.trim().to_string(),
            lo,
            hi,
            steps,
        })
    }

    /// The grid values, LO and HI included.
    pub fn values(&self) -> Vec<f64> {
        // The ends are exactly LO and HI; points between land on the decimals a user
        // expects (1.2, not 1.2000000000000002).
        let n = (self.steps - 1) as f64;
        (0..self.steps)
            .map(|i| match i {
                0 => self.lo,
                i if i == self.steps - 1 => self.hi,
                // Rounded to 12 significant digits: the decimals a user expects.
                i => format!(
                    "{:.11e}",
                    (self.lo * (n - i as f64) + self.hi * i as f64) / n
                )
                .parse()
                .unwrap_or(f64::NAN),
            })
            .collect()
    }
}

/// Parses and validates `text` with extra `--set` pairs added to `ov`.
pub fn scenario_with(
    text: &str,
    file: &str,
    ov: &Overrides,
    extra: &[(String, String)],
) -> Result<Scenario, ScenarioError> {
    let mut ov = ov.clone();
    ov.sets.extend(extra.iter().cloned());
    scenario::parse(text, file, &ov)
}

/// A number as `--set` writes it for `key`: whole numbers of the `run` section as
/// integers, anything else exactly as a float (shortest round-trip form).
pub fn set_text(key: &str, x: f64) -> String {
    if key.starts_with("run.") && x.fract() == 0.0 && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        value_text(x)
    }
}

/// A number as a TOML float, exactly (shortest round-trip form).
pub fn value_text(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_and_spans_its_range() {
        let v = Vary::parse("world.subsidy.m_api=1:3:5").unwrap();
        assert_eq!(v.values(), vec![1.0, 1.5, 2.0, 2.5, 3.0]);
        assert!(Vary::parse("k=1:2").is_err());
        assert!(Vary::parse("k=1:2:1").is_err());
    }

    #[test]
    fn values_are_written_so_they_read_back_exactly() {
        for x in [1.0, 0.1, 1e-7, 123456789.25] {
            assert_eq!(value_text(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(value_text(3.0), "3.0");
    }

    #[test]
    fn run_settings_are_set_as_whole_numbers() {
        assert_eq!(set_text("run.paths", 2000.0), "2000");
        assert_eq!(set_text("run.paths", 2000.5), "2000.5");
        assert_eq!(set_text("world.subsidy.m_api", 2.0), "2.0");
    }
}
