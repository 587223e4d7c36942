//! A site's output written to disk as it is made, into a staging folder
//! that [`crate::emit::publish`] swaps in whole.

use super::faults::Faults;
use super::staging::{exchange, staging_dir};
use super::{Bytes, Listed, Sink};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A site's output on its way to `out_dir/<id>/`: written into a folder in
/// the staging area, then swapped in whole by [`super::publish::publish`].
///
/// With a `spare` folder (in the project's `.podium-cache/`), the output
/// two builds back is kept there instead of deleted, and the next build
/// starts from it: only files whose bytes differ are written and files no
/// longer built are removed, so an unchanged site costs reads, not writes.
pub struct DiskSink {
    pub out_dir: PathBuf,
    pub id: String,
    tmp: PathBuf,
    spare: Option<PathBuf>,
    /// The temporary folder is the spare (files may already be there).
    reused: bool,
    /// Also write `<file>.gz` beside every text file.
    precompress: bool,
    /// What [`DiskSink::put`] wrote: path, size, SHA-256, for the manifest.
    written: Mutex<Vec<Listed>>,
    /// The first write that failed (its OS error, or its words): every
    /// later one is refused without trying, with the same error, so a
    /// full disk is one error, not one per page.
    failed: Mutex<Option<(Option<i32>, String)>>,
    pub(super) faults: Faults,
}

impl DiskSink {
    /// Prepares the temporary folder: the spare if there is one (claimed
    /// with a rename, so two builds at once cannot both get it), else a
    /// new, empty one.
    pub fn claim(out_dir: &Path, id: &str, spare: Option<&Path>, precompress: bool, faults: &Faults) -> std::io::Result<DiskSink> {
        let staging = staging_dir(out_dir);
        std::fs::create_dir_all(&staging)?;
        let tmp = staging.join(format!("{id}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        let reused = spare.is_some_and(|s| s.is_dir() && std::fs::rename(s, &tmp).is_ok());
        if !reused {
            std::fs::create_dir_all(&tmp)?;
        }
        Ok(DiskSink {
            out_dir: out_dir.to_path_buf(),
            id: id.to_string(),
            tmp,
            spare: spare.map(Path::to_path_buf),
            reused,
            precompress,
            written: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
            faults: faults.clone(),
        })
    }

    /// Writes one file; returns its manifest entry.
    fn put_one(&self, rel: &str, bytes: &[u8]) -> std::io::Result<Listed> {
        self.write(rel, bytes)?;
        Ok((rel.to_string(), bytes.len() as u64, crate::base::digest::sha256_hex(bytes)))
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(first) = self.failed.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            // Whichever page reports it, it is the disk's own words.
            return Err(match first {
                (Some(code), _) => std::io::Error::from_raw_os_error(*code),
                (None, words) => std::io::Error::other(words.clone()),
            });
        }
        let result = self.write_file(rel, bytes);
        if let Err(e) = &result {
            let mut first = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert((e.raw_os_error(), e.to_string()));
        }
        result
    }

    fn write_file(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.faults.full_disk.as_deref() == Some(self.id.as_str()) {
            return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
        }
        let p = self.tmp.join(rel);
        if !(self.reused && same_file(&p, bytes)) {
            if self.reused {
                make_way(&self.tmp, &p)?;
            }
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&p, bytes)?;
        }
        Ok(())
    }

    /// Removes whatever the folder holds that this build did not put (the
    /// spare's stale files): the folder is then the whole new site.
    pub(super) fn complete(&self) -> std::io::Result<()> {
        if self.reused {
            let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            let keep: std::collections::HashSet<&str> = written.iter().map(|w| w.0.as_str()).collect();
            prune(&self.tmp, &keep)?;
        }
        Ok(())
    }

    /// Gives up: the output is untouched, and the temporary folder is
    /// removed (or, if it was the spare, kept as the spare: whatever it
    /// holds, the next build compares it file by file).
    pub fn abandon(self) {
        if let Some(spare) = self.spare.as_deref().filter(|s| self.reused && !s.exists()) {
            if std::fs::rename(&self.tmp, spare).is_ok() {
                return;
            }
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
    }

    /// Swaps the new site in. Afterwards `self.tmp` holds the previous
    /// site (if there was one).
    pub(super) fn swap_in(&self) -> std::io::Result<Swapped> {
        if self.faults.read_only.as_deref() == Some(self.id.as_str()) {
            return Err(std::io::Error::from_raw_os_error(30)); // EROFS
        }
        let target = self.out_dir.join(&self.id);
        if std::fs::symlink_metadata(&target).is_err() {
            std::fs::create_dir_all(&self.out_dir)?;
            std::fs::rename(&self.tmp, &target)?;
            return Ok(Swapped::Fresh);
        }
        if !self.faults.no_exchange && exchange(&self.tmp, &target)? {
            return Ok(Swapped::Exchanged);
        }
        let old = self.tmp.with_file_name(format!("{}.old-{}", self.id, std::process::id()));
        std::fs::rename(&target, &old)?;
        if self.faults.kill_between_renames {
            std::process::abort();
        }
        if let Err(e) = std::fs::rename(&self.tmp, &target) {
            let _ = std::fs::rename(&old, &target);
            return Err(e);
        }
        std::fs::rename(&old, &self.tmp)?;
        Ok(Swapped::Exchanged)
    }

    /// Undoes [`DiskSink::swap_in`]: the previous site goes back.
    pub(super) fn swap_back(&self, how: Swapped) -> std::io::Result<()> {
        let target = self.out_dir.join(&self.id);
        match how {
            Swapped::Fresh => std::fs::rename(&target, &self.tmp),
            Swapped::Exchanged => {
                if exchange(&self.tmp, &target)? {
                    return Ok(());
                }
                let aside = self.tmp.with_file_name(format!("{}.new-{}", self.id, std::process::id()));
                std::fs::rename(&target, &aside)?;
                std::fs::rename(&self.tmp, &target)?;
                std::fs::rename(&aside, &self.tmp)
            }
        }
    }

    /// After every site is in: the previous site becomes the spare, or is
    /// removed.
    pub(super) fn retire(self, how: Swapped) {
        if how == Swapped::Exchanged {
            let kept = self.spare.as_deref().is_some_and(|s| {
                s.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok()) && !s.exists() && std::fs::rename(&self.tmp, s).is_ok()
            });
            if !kept {
                let _ = std::fs::remove_dir_all(&self.tmp);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Swapped {
    /// There was no previous site.
    Fresh,
    /// The previous site is now in the temporary folder.
    Exchanged,
}

/// Whether `p` is a plain file holding exactly `bytes`. Read back in
/// pieces: comparing a big file (a search index) must not cost its size in
/// memory.
fn same_file(p: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    if !std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(p) else { return false };
    let mut buf = [0u8; 64 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rest.len().min(buf.len());
        if f.read_exact(&mut buf[..n]).is_err() || buf[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    // Nothing beyond: the file did not grow since its size was read.
    f.read(&mut buf[..1]).is_ok_and(|n| n == 0)
}

/// Clears the way for a file at `p` inside `dir`: a folder or a link where
/// the file goes, or a file where one of its folders goes.
fn make_way(dir: &Path, p: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p)?,
        Ok(m) if !m.is_file() => std::fs::remove_file(p)?,
        _ => {}
    }
    let mut up = p.parent();
    while let Some(d) = up.filter(|d| *d != dir) {
        if std::fs::symlink_metadata(d).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(d)?;
        }
        up = d.parent();
    }
    Ok(())
}

/// Removes every file under `dir` whose path is not in `keep`, then the
/// folders left empty (deepest first: walkdir's contents_first).
fn prune(dir: &Path, keep: &std::collections::HashSet<&str>) -> std::io::Result<()> {
    for e in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let e = e.map_err(std::io::Error::other)?;
        let rel = e.path().strip_prefix(dir).map_err(std::io::Error::other)?;
        let key = rel.to_string_lossy().replace('\\', "/");
        if e.file_type().is_dir() {
            if std::fs::read_dir(e.path())?.next().is_none() {
                std::fs::remove_dir(e.path())?;
            }
        } else if !keep.contains(key.as_str()) {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

impl Sink for DiskSink {
    /// Writes one file (and its `.gz`, when precompressing) unless the
    /// spare already holds exactly these bytes; lists it for the manifest.
    fn put(&self, rel: &str, bytes: Bytes) -> std::io::Result<()> {
        let mut listed = vec![self.put_one(rel, &bytes)?];
        if self.precompress && crate::emit::manifest::gets_gz(rel) {
            let gz = crate::emit::manifest::gzip(&bytes);
            listed.push(self.put_one(&format!("{rel}.gz"), &gz)?);
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).extend(listed);
        Ok(())
    }

    fn failed(&self) -> bool {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    fn listed(&self) -> Vec<Listed> {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn place(&self, path: &str) -> PathBuf {
        self.out_dir.join(&self.id).join(path)
    }

    fn get(&self, path: &str) -> Option<Bytes> {
        std::fs::read(self.tmp.join(path)).ok().map(Bytes::from)
    }
}
