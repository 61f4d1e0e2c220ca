//! The one integration test binary: calibration against published figures, closed forms
//! at fixed seeds, determinism, validation errors and the command line end to end.

mod analysis;
mod architecture;
mod calibration;
mod cli;
mod closed_form;
mod corpus;
mod correlations;
mod determinism;
mod docs;
mod fuzz;
mod golden;
mod guards;
mod library;
mod outputs;
mod staged;
mod support;
mod validation;
