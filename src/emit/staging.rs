//! Around the output folder: an `--out` that would be the sources is
//! refused; staging folders live beside the output, never inside it; what
//! killed builds left is repaired or removed; two folders are exchanged in
//! one atomic step where the system can.

use crate::base::diag::Diagnostic;
use crate::msg;
use std::path::{Path, PathBuf};

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

/// Removes the staging folder once it is empty (it is, after a build that
/// ended, well or not, unless another build runs).
pub fn tidy(out_dir: &Path) {
    let staging = staging_dir(out_dir);
    let _ = std::fs::remove_dir(&staging);
    if let Some(p) = staging.parent().filter(|p| p.file_name().is_some_and(|n| n == ".podium-staging")) {
        let _ = std::fs::remove_dir(p);
    }
}

/// Exchanges two folders in one atomic step. `Ok(false)` where the system
/// or the file system cannot (the caller falls back to two renames).
pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
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
