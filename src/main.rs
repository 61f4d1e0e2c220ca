//! The `tokensim` binary: parse the arguments, run, map the outcome to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    if let Err(f) = cli::run(args) {
        eprintln!("error: {:#}", f.error());
        std::process::exit(f.exit_code());
    }
}
