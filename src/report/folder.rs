//! The output folder of a run: checked, locked and claimed before any work, then replaced
//! whole in one step.
//!
//! A run never deletes a file it did not write. Every folder it writes holds
//! `manifest.json`: the files the run wrote and the run's identity (the scenario file's
//! full path, its `--set` overrides and the options that change outputs). A run replaces a
//! folder only when everything in it is listed in its manifest, and only a folder written
//! by a run of the same identity unless told `--replace`. One writer at a time per folder:
//! an operating-system lock on a file beside it, released by the kernel when the holder
//! dies, whatever its process namespace.

use super::ReportError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// The file of a folder that lists what the run wrote.
pub const MANIFEST: &str = "manifest.json";

/// Files named at most in a refusal; the rest are counted.
const NAMED_AT_MOST: usize = 10;

/// What a run wrote and who wrote it: the content of `manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct Manifest {
    tool: String,
    /// The run's identity: command, scenario file (full path), overrides and options.
    run: Vec<String>,
    /// Every file the run wrote, relative to the folder, `/`-separated, sorted.
    files: Vec<String>,
}

/// An output folder claimed for a run: the location checked, the lock held, the previous
/// content (if any) known to be a run's own. Made by [`claim`] before any work; written by
/// [`Claim::commit`].
#[derive(Debug)]
pub struct Claim {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    identity: Vec<String>,
    /// Held until the claim is dropped; the kernel releases it if the process dies.
    _lock: File,
    /// Notes for the user, such as the removal of an interrupted run's leftovers.
    pub notes: Vec<String>,
}

fn io(path: &Path, e: std::io::Error) -> ReportError {
    ReportError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Claims `out` for a run of `identity` (its command line in words: command, scenario
/// file's full path, overrides, options that change outputs): creates its parent, takes
/// the lock, clears what interrupted runs left beside it, checks that the parent is
/// writable, and that the folder is absent, empty, or holds only what a run wrote, of the
/// same identity unless `replace`. Does no work of the run; fails before any.
pub fn claim(out: &Path, identity: &[String], replace: bool) -> Result<Claim, ReportError> {
    let shown = out.display().to_string();
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Err(ReportError::Io {
            path: shown,
            reason: "is not a folder a run can be written to; give --out a folder name, such as results/mine".into(),
        });
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io(&lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(ReportError::Busy {
                path: shown,
                lock: lock_path.display().to_string(),
            })
        }
        Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path, e)),
    }
    let mut claim = Claim {
        out: out.to_path_buf(),
        parent,
        name,
        identity: identity.to_vec(),
        _lock: lock,
        notes: Vec::new(),
    };
    claim.clear_leftovers();
    // Writable: the run's new folder is made now, beside the target.
    let new = claim.new_dir();
    fs::create_dir(&new).map_err(|e| io(&new, e))?;
    if let Err(e) = claim.check_existing(replace) {
        let _ = fs::remove_dir_all(&new);
        return Err(e);
    }
    Ok(claim)
}

impl Claim {
    /// The folder claimed.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Where the run's files are written before the swap; after the swap, where the
    /// previous results are until removed.
    fn new_dir(&self) -> PathBuf {
        self.parent.join(format!(".{}.new", self.name))
    }

    /// Where the previous results wait between the two renames, where no atomic exchange
    /// exists.
    fn old_dir(&self) -> PathBuf {
        self.parent.join(format!(".{}.old", self.name))
    }

    /// What an interrupted run left beside the target: its unfinished folder (or, killed
    /// after the swap, the previous results, already replaced) is removed if it holds only
    /// a run's files; previous results left aside between two renames are put back. We
    /// hold the lock, so no live run owns these.
    fn clear_leftovers(&mut self) {
        let (new, old, out) = (self.new_dir(), self.old_dir(), self.out.clone());
        if new.exists() {
            if only_run_files(&new) {
                let _ = fs::remove_dir_all(&new);
                self.notes.push(format!(
                    "removed {}, left by an interrupted run; the results in {} were never touched by it",
                    new.display(),
                    out.display()
                ));
            } else {
                let aside = self
                    .parent
                    .join(format!(".{}.kept-{}", self.name, unique()));
                let _ = fs::rename(&new, &aside);
                self.notes.push(format!(
                    "moved {} aside to {}: it holds files no run wrote",
                    new.display(),
                    aside.display()
                ));
            }
        }
        if old.exists() {
            if !out.exists() && fs::rename(&old, &out).is_ok() {
                self.notes.push(format!(
                    "restored the previous results in {} from {}, left by an interrupted run",
                    out.display(),
                    old.display()
                ));
            } else if only_run_files(&old) {
                let _ = fs::remove_dir_all(&old);
            }
        }
    }

    /// Refuses a folder holding anything no run wrote, or written by another run.
    fn check_existing(&self, replace: bool) -> Result<(), ReportError> {
        let out = &self.out;
        let shown = out.display().to_string();
        if !out.exists() {
            return Ok(());
        }
        if !out.is_dir() {
            return Err(ReportError::NotAFolder { path: shown });
        }
        let (manifest, unlisted) = survey(out).map_err(|e| io(out, e))?;
        if !unlisted.is_empty() {
            return Err(ReportError::NotOurs {
                path: shown,
                files: name_files(&unlisted),
            });
        }
        match manifest {
            Some(m) if m.run != self.identity && !replace => Err(ReportError::OtherRun {
                path: shown,
                run: m.run.join(" "),
            }),
            _ => Ok(()),
        }
    }

    /// Writes `files` (and `manifest.json`) as the whole content of the folder: into the
    /// new folder beside it, then swapped into place in one step where the system can
    /// (Linux `renameat2` with `RENAME_EXCHANGE`), by two renames elsewhere. A kill at
    /// any point leaves the old or the new results at the folder's path.
    pub fn commit(self, files: &[super::OutputFile]) -> Result<Vec<String>, ReportError> {
        let new = self.new_dir();
        let result = self.fill(&new, files).and_then(|()| {
            // The user may have put a file in the folder while the run worked.
            self.check_existing(true)?;
            self.swap(&new)
        });
        if result.is_err() {
            let _ = fs::remove_dir_all(&new);
        }
        result.map(|()| self.notes)
    }

    /// Writes the manifest first, so that a folder left by a kill lists all it holds.
    fn fill(&self, new: &Path, files: &[super::OutputFile]) -> Result<(), ReportError> {
        let mut listed: Vec<String> = files.iter().map(|(f, _)| f.clone()).collect();
        listed.sort();
        let manifest = Manifest {
            tool: "tokensim".into(),
            run: self.identity.clone(),
            files: listed,
        };
        let p = new.join(MANIFEST);
        let text = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        fs::write(&p, text).map_err(|e| io(&p, e))?;
        for (file, bytes) in files {
            let p = new.join(file);
            // Sub-folders only inside our own new folder, never the folder itself.
            if let Some(dir) = p.parent().filter(|d| *d != new) {
                fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            fs::write(&p, bytes).map_err(|e| io(&p, e))?;
        }
        Ok(())
    }

    fn swap(&self, new: &Path) -> Result<(), ReportError> {
        let out = &self.out;
        if !out.exists() {
            return fs::rename(new, out).map_err(|e| io(out, e));
        }
        if exchange(new, out).is_ok() {
            // The previous results, now at `new`, hold only a run's files (checked).
            let _ = fs::remove_dir_all(new);
            return Ok(());
        }
        let old = self.old_dir();
        fs::rename(out, &old).map_err(|e| io(out, e))?;
        if let Err(e) = fs::rename(new, out) {
            // Put the previous results back rather than leave nothing.
            let _ = fs::rename(&old, out);
            return Err(io(out, e));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

/// Swaps two paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No atomic exchange here: the caller uses two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// A name no other leftover has: the process id and a count.
fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Every file under `dir`, relative and `/`-separated, sorted (folders are not listed,
/// only what they hold; an empty folder is listed with a trailing `/`).
fn files_under(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let mut empty = true;
        for e in fs::read_dir(&path)? {
            let e = e?;
            empty = false;
            let name = format!("{rel}{}", e.file_name().to_string_lossy());
            if e.file_type()?.is_dir() {
                stack.push((e.path(), format!("{name}/")));
            } else {
                found.insert(name);
            }
        }
        if empty && !rel.is_empty() {
            found.insert(rel);
        }
    }
    Ok(found)
}

/// A folder's manifest (if it has a readable one of ours) and the files in it that the
/// manifest does not list.
fn survey(dir: &Path) -> std::io::Result<(Option<Manifest>, Vec<String>)> {
    let manifest: Option<Manifest> = fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_slice(&t).ok())
        .filter(|m: &Manifest| m.tool == "tokensim");
    let listed: BTreeSet<&str> = manifest
        .iter()
        .flat_map(|m| m.files.iter().map(String::as_str))
        .chain(manifest.as_ref().map(|_| MANIFEST))
        .collect();
    let unlisted = files_under(dir)?
        .into_iter()
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    Ok((manifest, unlisted))
}

fn only_run_files(dir: &Path) -> bool {
    matches!(survey(dir), Ok((_, unlisted)) if unlisted.is_empty())
}

/// The first files of a list, and how many more.
fn name_files(files: &[String]) -> String {
    let mut s = files
        .iter()
        .take(NAMED_AT_MOST)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED_AT_MOST {
        s.push_str(&format!(" and {} more", files.len() - NAMED_AT_MOST));
    }
    s
}

/// The default output folder of a scenario file: its path relative to the current folder,
/// without a leading `scenarios/` and without `.toml`, under `output/`, with `suffix`
/// (`-sweep`, ...): `scenarios/calibration/fintech_roi.toml` ->
/// `output/calibration/fintech_roi`. A file outside the current folder gets its stem and
/// the first 8 hex digits of the SHA-256 of its full path: `output/mine-1a2b3c4d`. Two
/// scenario files never share a default folder.
pub fn default_folder(scenario: &Path, suffix: &str) -> PathBuf {
    let full = fs::canonicalize(scenario).unwrap_or_else(|_| scenario.to_path_buf());
    let here = std::env::current_dir().and_then(fs::canonicalize);
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "scenario".into())
    };
    let inside = here
        .ok()
        .and_then(|h| full.strip_prefix(h).ok().map(Path::to_path_buf));
    match inside {
        Some(rel) => {
            let mut dirs: Vec<String> = rel
                .parent()
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            if dirs.first().is_some_and(|d| d == "scenarios") {
                dirs.remove(0);
            }
            let mut out = PathBuf::from("output");
            out.extend(dirs);
            out.join(format!("{}{suffix}", stem(&rel)))
        }
        None => {
            use sha2::{Digest, Sha256};
            let digest = Sha256::digest(full.as_os_str().to_string_lossy().as_bytes());
            let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
            PathBuf::from("output").join(format!("{}-{hex}{suffix}", stem(&full)))
        }
    }
}

/// The full path of a scenario file, as a run's identity records it.
pub fn full_path(scenario: &Path) -> String {
    fs::canonicalize(scenario)
        .unwrap_or_else(|_| scenario.to_path_buf())
        .display()
        .to_string()
}
