//! The one integration test binary: calibration against published figures, closed forms
//! at fixed seeds, determinism, validation errors and the command line end to end.

mod analysis;
mod architecture;
mod attribute;
mod calibration;
mod cli;
mod closed_form;
mod corpus;
mod correlations;
mod deck;
mod determinism;
mod discovery;
mod docs;
mod folders;
mod fuzz;
mod golden;
mod guards;
mod library;
mod limits;
mod messages;
mod outputs;
mod pack;
mod staged;
mod support;
mod validation;
