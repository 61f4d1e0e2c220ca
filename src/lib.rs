//! tokensim: a Monte Carlo simulator of an engineering organisation that either replaces
//! engineers with AI tokens or keeps them and gives them AI with guardrails.
//!
//! The library holds the whole model; the `tokensim` binary is a thin command line over
//! it. See `ARCHITECTURE.md` for the codemap and `docs/model.md` for the model.

pub mod analysis;
pub mod engine;
pub mod library;
pub mod metrics;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
