//! `tokensim list` and `tokensim init`: the bundled scenarios, and a copy of one to edit.

use super::{usage, Failure};
use anyhow::Context;
use std::path::PathBuf;
use tokensim::{library, scenario};

pub(super) fn list() {
    let width = library::names().iter().map(|n| n.len()).max().unwrap_or(0);
    for e in &library::SCENARIOS {
        println!("{:width$}  {}", e.name, e.question().unwrap_or(""));
    }
}

pub(super) fn init(name: &str, file: Option<PathBuf>) -> Result<(), Failure> {
    let Some(entry) = library::resolve(name) else {
        let hint = scenario::hint(name, &library::names());
        return Err(usage(format!(
            "no bundled scenario `{name}`{hint}; `tokensim list` prints them"
        )));
    };
    let own = format!("{}.toml", entry.name);
    // A directory gets NAME.toml inside it; anything else is the file to write.
    let path = match file {
        Some(dir) if dir.is_dir() => dir.join(&own),
        Some(file) => file,
        None => PathBuf::from(own),
    };
    let shown = shell_quote(&path.display().to_string());
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::Runtime(anyhow::anyhow!(
                "{shown}: already exists; not overwriting it (remove it or name another file)"
            )))
        }
        Err(e) => {
            return Err(Failure::Runtime(anyhow::anyhow!(
                "{shown}: cannot create: {e}"
            )))
        }
    };
    std::io::Write::write_all(&mut f, entry.text.as_bytes())
        .with_context(|| format!("{shown}: cannot write"))
        .map_err(Failure::Runtime)?;
    println!("Wrote {shown}: edit it, then `tokensim run {shown}`");
    Ok(())
}

/// A path as a POSIX shell word: unchanged when it holds only characters a shell leaves
/// alone, else in single quotes (a single quote inside written `'\''`).
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
