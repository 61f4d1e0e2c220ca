//! The output schema: what one strategy on one path yields over the horizon (`Metric`)
//! and month by month (`Series`), each a typed name with its key in the output files,
//! and the compact store of every path's results (`Finals`).
//!
//! Engine, statistics and report all read and write results through these types, so a
//! metric is never looked up by a string that could be misspelt. This module does no
//! arithmetic of the model, no statistics and no I/O, and depends on no other module of
//! the crate.

mod finals;

pub use finals::{ratio, spend_per_wu, Finals, MAX_LAYOFFS};

/// Declares an enum of named outputs from one list: the variants in the order of a
/// result row, each variant's key in the output files, every variant (`ALL`), and a row
/// type of one `f64` per variant indexed by the enum, so names, order and indices cannot
/// drift apart.
macro_rules! outputs {
    (
        $(#[$doc:meta])* $name:ident, $(#[$rdoc:meta])* $row:ident
        { $($(#[$vdoc:meta])* $variant:ident = $key:literal),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),*
        }

        impl $name {
            /// Every variant, in the order of a row.
            pub const ALL: [$name; [$($key),*].len()] = [$($name::$variant),*];
            /// How many there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The name in the output files (`summary.csv`, `monthly.csv`, ...).
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),*
                }
            }

            /// Position in a row.
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The variant whose key is `key`, if any.
            pub fn from_key(key: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|m| m.key() == key)
            }
        }

        $(#[$rdoc])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $row(pub [f64; $name::COUNT]);

        impl Default for $row {
            fn default() -> $row {
                $row([0.0; $name::COUNT])
            }
        }

        impl std::ops::Index<$name> for $row {
            type Output = f64;
            fn index(&self, m: $name) -> &f64 {
                &self.0[m.index()]
            }
        }

        impl std::ops::IndexMut<$name> for $row {
            fn index_mut(&mut self, m: $name) -> &mut f64 {
                &mut self.0[m.index()]
            }
        }
    };
}

outputs!(
    /// A result of one strategy on one path over the horizon.
    Metric,
    /// One path's results of one strategy, one value per `Metric`.
    MetricRow {
        /// Net present value: value minus cost, discounted.
        Npv = "npv",
        Value = "value",
        TotalCost = "total_cost",
        Payroll = "payroll",
        Severance = "severance",
        Hiring = "hiring",
        /// Metered token spend.
        Tokens = "tokens",
        /// Flat seats.
        Seats = "seats",
        IncidentCost = "incident_cost",
        Loops = "loops",
        /// Output in work units.
        Output = "output",
        CostPerWu = "cost_per_wu",
        /// Incidents of every kind, destructive ones among them.
        Incidents = "incidents",
        Destructive = "destructive",
        KnowledgeEnd = "knowledge_end",
        HeadcountEnd = "headcount_end",
        /// 1 where the rehire rule fired, else 0.
        RehireFired = "rehire_fired",
        /// How many of the strategy's layoffs happened (a gated stage happens only where
        /// its gate held); which ones, by `Finals::stages`.
        LayoffsFired = "layoffs_fired",
        SpendPerWu = "spend_per_wu",
        RetryRate = "retry_rate",
        CacheHitRate = "cache_hit_rate",
        ReviewMissed = "review_missed_share",
        ReviewBurden = "review_burden",
        UpliftClamped = "uplift_clamped",
    }
);

outputs!(
    /// A monthly series of one strategy on one path.
    Series,
    /// One month of one path's series of one strategy, one value per `Series`.
    SeriesRow {
        CumCost = "cum_cost",
        CumNetValue = "cum_net_value",
        Output = "output",
        Headcount = "headcount",
        Knowledge = "knowledge",
        /// All AI spend: metered tokens, flat seats and runaway loops.
        TokenSpend = "token_spend",
        Incidents = "incidents",
        /// AI spend per engineer or agent seat.
        SpendPerFte = "token_spend_per_fte",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_follow_the_order_of_keys() {
        for (i, m) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
        assert_eq!(Metric::ALL[0].key(), "npv");
        assert_eq!(Metric::UpliftClamped.index(), Metric::COUNT - 1);
        assert_eq!(Series::Incidents.key(), "incidents");
        assert_eq!(Series::from_key("no such series"), None);
        let mut row = SeriesRow::default();
        row[Series::Knowledge] = 0.5;
        assert_eq!(row.0[4], 0.5);
    }
}
