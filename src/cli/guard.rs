//! The command line's checks before any work: the scenario file's size, the threads, the
//! memory the system can give, and the output folder claimed for the run.

use super::{usage, Common, Failure};
use std::path::Path;
use tokensim::report;

/// The largest scenario file read: far above any real scenario (the documented
/// reference is under 40 KiB), refused before parsing.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

pub(super) fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(usage(format!(
            "{file}: is a folder; give a scenario file (.toml)"
        )));
    }
    let cannot = |e: std::io::Error| usage(format!("{file}: cannot read: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(usage(format!(
            "{file}: is over 1 MiB, more than any scenario needs; nothing was read (a scenario file is at most 1 MiB)"
        )));
    }
    Ok(bytes)
}

/// The worker threads of a run: one per core by default, at least 1 and at most 4 per
/// core when given (more only slows the run; results do not depend on it).
pub(super) fn threads(asked: Option<usize>) -> Result<usize, Failure> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    match asked {
        Some(0) => Err(usage("--threads must be at least 1".into())),
        Some(t) if t > 4 * cores => Err(usage(format!(
            "--threads {t} is more than 4 per core ({} on this machine's {cores}); results do not depend on it, so use at most {}",
            4 * cores,
            4 * cores
        ))),
        Some(t) => Ok(t),
        None => Ok(cores),
    }
}

/// Asks the system, before any work, for the memory a run will need, and gives it back:
/// a run the machine cannot hold is refused cleanly instead of aborting part-way.
pub(super) fn reserve(file: &str, bytes: f64) -> Result<(), Failure> {
    let mut probe: Vec<u8> = Vec::new();
    let want = bytes.min(usize::MAX as f64) as usize;
    probe.try_reserve_exact(want).map_err(|_| {
        Failure::Runtime(anyhow::anyhow!(
            "{file}: this run needs about {:.1} GiB of memory, which the system cannot give; nothing was run. Use fewer --paths or strategies",
            bytes / 1024f64.powi(3)
        ))
    })
}

/// Claims the output folder before any work (see `report::claim`). The run's identity is
/// the command, the scenario file's full path, its overrides, and `options`: the command's
/// options that change its outputs.
pub(super) fn claim(
    c: &Common,
    suffix: &str,
    command: &str,
    options: &[String],
) -> Result<report::Claim, Failure> {
    let out = c
        .out
        .clone()
        .unwrap_or_else(|| report::default_folder(&c.scenario, suffix));
    let mut id = vec![command.to_string(), report::full_path(&c.scenario)];
    id.extend(c.sets.iter().map(|(k, v)| format!("--set={k}={v}")));
    id.extend(c.paths.map(|p| format!("--paths={p}")));
    id.extend(c.seed.map(|s| format!("--seed={s}")));
    id.extend(c.horizon.map(|h| format!("--horizon={h}")));
    id.extend(options.iter().cloned());
    report::claim(&out, &id, c.replace).map_err(|e| Failure::Runtime(e.into()))
}
