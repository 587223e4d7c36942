//! Putting built sites into the output folder without ever losing one.
//!
//! The promises, and how they are kept:
//!
//! - **The output is never the sources.** [`check_out_dir`] refuses an
//!   `--out` that is, contains or lies inside the project's sources
//!   (`sites/`, `content/`, `themes/`, the cache, `.git`) before anything is
//!   written.
//! - **Temporary folders are never uploaded.** Each site is written into
//!   a staging folder beside the output folder, not inside it
//!   (`<parent>/.podium-staging/<out-name>/`), on the same disk so that the
//!   swap is a rename.
//! - **All or nothing.** [`publish`] first finishes writing every site,
//!   then swaps them in one by one; if any step fails, the sites already
//!   swapped are swapped back and nothing is replaced.
//! - **A kill loses nothing.** On Linux the swap is one atomic
//!   `renameat2(RENAME_EXCHANGE)`: `out/<id>` is the old site or the new
//!   one at every instant. Where that call is missing, the swap is two
//!   renames (`out/<id>` → `<id>.old-<pid>`, then the new one in); a build
//!   killed between them leaves `out/<id>` missing, and the next build's
//!   [`recover`] — run before it reads any content, so even a build that
//!   then fails on an editor's mistake repairs it — puts the old site back.
//! - **One failure, one message.** A full disk or a folder that cannot be
//!   written stops the writing at the first failure.

use crate::base::diag::Diagnostic;
use crate::emit::Output;
use crate::msg;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Faults a test can inject into a real build (the binary reads them from
/// `PODIUM_FAULT`): they stand for a full disk, a folder that refuses a
/// rename, or a kill at a chosen point. Never set in normal use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Writing files of this site fails as on a full disk.
    pub full_disk: Option<String>,
    /// Swapping this site in fails as on a read-only folder.
    pub read_only: Option<String>,
    /// The process dies (abort, no cleanup) between the two renames of the
    /// fallback swap.
    pub kill_between_renames: bool,
    /// The process dies right after this site is swapped in.
    pub kill_after_swap: Option<String>,
    /// Use the two-rename swap even where the atomic exchange exists.
    pub no_exchange: bool,
}

impl Faults {
    /// Parses `PODIUM_FAULT`: comma-separated `full-disk:<id>`,
    /// `read-only:<id>`, `kill-between-renames`, `kill-after-swap:<id>`,
    /// `no-exchange`. Unknown words are ignored.
    pub fn parse(spec: &str) -> Faults {
        let mut f = Faults::default();
        for part in spec.split(',').map(str::trim) {
            match part.split_once(':') {
                Some(("full-disk", id)) => f.full_disk = Some(id.to_string()),
                Some(("read-only", id)) => f.read_only = Some(id.to_string()),
                Some(("kill-after-swap", id)) => f.kill_after_swap = Some(id.to_string()),
                _ if part == "kill-between-renames" => f.kill_between_renames = true,
                _ if part == "no-exchange" => f.no_exchange = true,
                _ => {}
            }
        }
        f
    }
}

// ---------------------------------------------------------------- --out

/// Refuses an output folder that would overwrite or delete the sources:
/// one that is or contains the project folder, `sites/`, `content/`,
/// `themes/` (and `--themes`), the cache or `.git`, or lies inside one of
/// them. `public/` inside the project is of course fine.
pub fn check_out_dir(root: &Path, themes: &Path, cache: &Path, out: &Path) -> Result<(), Diagnostic> {
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let protected: Vec<PathBuf> = [
        root_abs.join("sites"),
        root_abs.join("content"),
        root_abs.join("themes"),
        absolute(themes),
        absolute(cache),
        root_abs.join(".git"),
    ]
    .into_iter()
    .collect();
    let refuse = |what: &Path| {
        Err(Diagnostic::error(out, msg!("out_is_sources", out = out.display(), what = what.display())).hint(msg!("hint_out_is_sources")))
    };
    if root_abs.starts_with(&out_abs) {
        return refuse(&root_abs);
    }
    for p in &protected {
        if p.starts_with(&out_abs) || out_abs.starts_with(p) {
            return refuse(p);
        }
    }
    Ok(())
}

/// `p` made absolute and free of `.`, `..` and symbolic links, even where
/// the end of it does not exist yet (its longest existing start is
/// resolved, the rest appended).
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut rest = Vec::new();
    let mut head = joined.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(head) {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    c => out.push(c),
                }
            }
            return out;
        }
        match (head.parent(), head.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                head = parent;
            }
            _ => return joined,
        }
    }
}

// ---------------------------------------------------------------- staging

/// Where a build writes before it swaps: beside the output folder, on its
/// disk, never inside it (an upload of the output would take it).
pub fn staging_dir(out_dir: &Path) -> PathBuf {
    let out_abs = absolute(out_dir);
    let name = out_abs.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    match out_abs.parent() {
        Some(parent) if same_disk(parent, &out_abs) => parent.join(".podium-staging").join(name),
        // The output folder is a disk of its own: a rename can only stay
        // on it. Hidden, and removed after every build.
        _ => out_abs.join(".podium-staging"),
    }
}

#[cfg(unix)]
fn same_disk(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        // The output folder does not exist yet: it will be made in its
        // parent, on the parent's disk.
        _ => true,
    }
}

#[cfg(not(unix))]
fn same_disk(_: &Path, _: &Path) -> bool {
    true
}

/// Does a process with this id still run? (Unknown: assume it does.)
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new(&format!("/proc/{pid}")).exists()
}

/// A leftover of a build: `<id>.tmp-<pid>` / `<id>.old-<pid>` in the
/// staging folder, or `.<id>.tmp-<pid>` / `.<id>.old-<pid>` inside the
/// output folder (where builds before this one kept them).
fn leftover(name: &str) -> Option<(&str, &'static str, u32)> {
    let name = name.strip_prefix('.').unwrap_or(name);
    for kind in ["tmp", "old"] {
        if let Some((id, pid)) = name.rsplit_once(&format!(".{kind}-")) {
            if let Ok(pid) = pid.parse::<u32>() {
                return Some((id, kind, pid));
            }
        }
    }
    None
}

/// Repairs what killed builds left: a site whose swap was cut between its
/// two renames gets its old folder back; the other leftovers of dead
/// builds are removed. Returns the sites put back.
pub fn recover(out_dir: &Path) -> Vec<String> {
    let staging = staging_dir(out_dir);
    let mut restored = Vec::new();
    // In the staging folder, `<id>.tmp-<pid>`; inside the output folder,
    // only the hidden `.<id>.tmp-<pid>` of earlier versions (never an
    // operator's own `backup.old-2019`).
    for (dir, hidden) in [(staging.as_path(), false), (out_dir, true)] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut found: Vec<(String, &'static str, u32, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') != hidden {
                    return None;
                }
                let (id, kind, pid) = leftover(&name)?;
                (!alive(pid)).then(|| (id.to_string(), kind, pid, e.path()))
            })
            .collect();
        // The old folders first: they may be needed.
        found.sort_by_key(|(_, kind, _, _)| *kind != "old");
        for (id, kind, _, path) in found {
            let target = out_dir.join(&id);
            if kind == "old" && !target.exists() && std::fs::rename(&path, &target).is_ok() {
                restored.push(id);
                continue;
            }
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    restored
}

// ---------------------------------------------------------------- sink

/// A site's output on its way to `out_dir/<id>/`: written into a folder in
/// the staging area, then swapped in whole by [`publish`].
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
    written: Mutex<Vec<(String, u64, String)>>,
    /// A write failed: every later one is refused without trying, so a
    /// full disk is one error, not one per page.
    failed: AtomicBool,
    faults: Faults,
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
            failed: AtomicBool::new(false),
            faults: faults.clone(),
        })
    }

    /// Has a write failed? (Then every later one is refused.)
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// Writes one file (and its `.gz`, when precompressing) unless the
    /// spare already holds exactly these bytes.
    /// The file is listed (path, size, SHA-256) for the manifest.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut listed = vec![self.put_one(rel, bytes)?];
        if self.precompress && crate::emit::manifest::is_text(rel) {
            let gz = crate::emit::manifest::gzip(bytes);
            listed.push(self.put_one(&format!("{rel}.gz"), &gz)?);
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).extend(listed);
        Ok(())
    }

    /// Writes one file; returns its manifest entry.
    fn put_one(&self, rel: &str, bytes: &[u8]) -> std::io::Result<(String, u64, String)> {
        self.write(rel, bytes)?;
        Ok((rel.to_string(), bytes.len() as u64, crate::base::digest::sha256_hex(bytes)))
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.failed() {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        let result = self.write_file(rel, bytes);
        if result.is_err() {
            self.failed.store(true, Ordering::Relaxed);
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

    /// Path, size and SHA-256 of every file [`DiskSink::put`] wrote.
    pub fn written(&self) -> Vec<(String, u64, String)> {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Writes `output` (the files that did not go through [`DiskSink::put`];
    /// its manifest already lists them) and removes whatever else the
    /// folder holds: the folder is then the whole new site.
    fn complete(&self, output: &Output) -> std::io::Result<()> {
        use rayon::prelude::*;
        output.files.par_iter().try_for_each(|(rel, bytes)| self.write(rel, bytes))?;
        if self.reused {
            let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            let keep: std::collections::HashSet<&str> = written
                .iter()
                .map(|w| w.0.as_str())
                .chain(output.files.keys().map(String::as_str))
                .collect();
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
    fn swap_in(&self) -> std::io::Result<Swapped> {
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
    fn swap_back(&self, how: Swapped) -> std::io::Result<()> {
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
    fn retire(self, how: Swapped) {
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

/// Removes the staging folder once it is empty (it is, after a build that
/// ended, well or not, unless another build runs).
pub fn tidy(out_dir: &Path) {
    let staging = staging_dir(out_dir);
    let _ = std::fs::remove_dir(&staging);
    if let Some(p) = staging.parent().filter(|p| p.file_name().is_some_and(|n| n == ".podium-staging")) {
        let _ = std::fs::remove_dir(p);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Swapped {
    /// There was no previous site.
    Fresh,
    /// The previous site is now in the temporary folder.
    Exchanged,
}

/// Exchanges two folders in one atomic step. `Ok(false)` where the system
/// or the file system cannot (the caller falls back to two renames).
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(ca), Ok(cb)) = (
            std::ffi::CString::new(a.as_os_str().as_bytes()),
            std::ffi::CString::new(b.as_os_str().as_bytes()),
        ) else {
            return Ok(false);
        };
        // SAFETY: two valid NUL-terminated paths that live across the
        // call; renameat2 reads them and touches no other memory.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::ENOTSUP) => Ok(false),
            _ => Err(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// A site ready to go out: its sink and the files not yet written.
pub struct Ready<'a> {
    pub sink: DiskSink,
    pub output: &'a Output,
}

/// Puts every site in, or none: each is completed first, then all are
/// swapped; when one fails, those already swapped go back. The error names
/// the folder that failed.
pub fn publish(sites: Vec<Ready>) -> Result<(), Diagnostic> {
    let failure = |sink: &DiskSink, e: std::io::Error| {
        Diagnostic::error(sink.out_dir.join(&sink.id), msg!("cannot_write_output", e = e)).hint(msg!("check_output_folder_writable"))
    };
    if let Some((i, e)) = sites
        .iter()
        .enumerate()
        .find_map(|(i, r)| r.sink.complete(r.output).err().map(|e| (i, e)))
    {
        let d = failure(&sites[i].sink, e);
        sites.into_iter().for_each(|r| r.sink.abandon());
        return Err(d);
    }
    let mut swapped: Vec<(DiskSink, Swapped)> = Vec::new();
    let mut waiting = sites.into_iter();
    for r in waiting.by_ref() {
        match r.sink.swap_in() {
            Ok(how) => {
                if r.sink.faults.kill_after_swap.as_deref() == Some(r.sink.id.as_str()) {
                    std::process::abort();
                }
                swapped.push((r.sink, how));
            }
            Err(e) => {
                let d = failure(&r.sink, e);
                for (sink, how) in swapped.into_iter().rev() {
                    // Best effort: a folder that took a rename a moment
                    // ago takes this one too.
                    let _ = sink.swap_back(how);
                    sink.abandon();
                }
                r.sink.abandon();
                waiting.for_each(|r| r.sink.abandon());
                return Err(d);
            }
        }
    }
    for (sink, how) in swapped {
        sink.retire(how);
    }
    Ok(())
}

// ---------------------------------------------------------------- files

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

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("podium-publish-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn the_output_folder_cannot_be_the_sources() {
        let root = temp("out-rules");
        for d in ["sites/a", "content/a", "themes/default"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let themes = root.join("themes");
        let cache = root.join(".podium-cache");
        let refused = [
            ".",
            "content",
            "sites",
            "themes",
            ".podium-cache",
            ".git",
            "content/a",
            "content/new",
            "sites/a/out",
            "themes/default/x",
            ".podium-cache/spare",
            "..",
            "public/../content",
        ];
        for out in refused {
            assert!(
                check_out_dir(&root, &themes, &cache, &root.join(out)).is_err(),
                "--out {out} is refused"
            );
        }
        for out in ["public", "public/x", "../elsewhere", "contents"] {
            assert!(
                check_out_dir(&root, &themes, &cache, &root.join(out)).is_ok(),
                "--out {out} is allowed"
            );
        }
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn leftover_names_are_read_back() {
        assert_eq!(leftover("liaoning.tmp-42"), Some(("liaoning", "tmp", 42)));
        assert_eq!(leftover(".liaoning.old-7"), Some(("liaoning", "old", 7)));
        assert_eq!(leftover("a.b.old-7"), Some(("a.b", "old", 7)));
        assert_eq!(leftover("liaoning"), None);
        assert_eq!(leftover("x.tmp-abc"), None);
    }

    #[test]
    fn staging_is_beside_the_output_never_inside() {
        let root = temp("staging");
        let out = root.join("public");
        let s = staging_dir(&out);
        assert!(!s.starts_with(absolute(&out)), "{}", s.display());
        assert_eq!(s, absolute(&root).join(".podium-staging").join("public"));
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn an_exchange_swaps_two_folders() {
        let root = temp("exchange");
        let (a, b) = (root.join("a"), root.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        std::fs::write(b.join("f"), "b").unwrap();
        if exchange(&a, &b).unwrap() {
            assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "b");
            assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "a");
        }
        let _ = std::fs::remove_dir_all(root);
    }
}
