//! The I/O floor of a build: read every input file, then write exactly the
//! files a build writes (same paths, same sizes, taken from a reference
//! build's manifest.json), into a temporary folder swapped in as podium
//! does. Podium's build time is measured against this.
//! `cargo run --release --example floor -- PROJECT_DIR REFERENCE_OUT OUT_DIR`

use std::io::Read;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let [project, reference, out] = &args[..] else {
        eprintln!("usage: floor PROJECT_DIR REFERENCE_OUT OUT_DIR");
        std::process::exit(2);
    };
    // Read every input, as a build does.
    let mut read = 0usize;
    for dir in ["sites", "content", "themes"] {
        for e in walkdir::WalkDir::new(project.join(dir)).into_iter().flatten() {
            if e.file_type().is_file() {
                let mut buf = Vec::new();
                if let Ok(mut f) = std::fs::File::open(e.path()) {
                    let _ = f.read_to_end(&mut buf);
                    read += buf.len();
                }
            }
        }
    }
    // Write what a build writes.
    let mut written = 0usize;
    for site in std::fs::read_dir(reference).unwrap().flatten() {
        let manifest = site.path().join("manifest.json");
        let Ok(text) = std::fs::read_to_string(&manifest) else { continue };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let id = site.file_name();
        let tmp = out.join(format!(".{}.floor", id.to_string_lossy()));
        let _ = std::fs::remove_dir_all(&tmp);
        let mut files: Vec<(String, usize)> = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["path"].as_str().unwrap().to_string(), f["size"].as_u64().unwrap() as usize))
            .collect();
        files.push(("manifest.json".into(), text.len()));
        let zeros = vec![b' '; files.iter().map(|f| f.1).max().unwrap_or(0)];
        let mut made = std::collections::HashSet::new();
        for (p, size) in files {
            let dest = tmp.join(&p);
            if let Some(parent) = dest.parent() {
                if made.insert(parent.to_path_buf()) {
                    std::fs::create_dir_all(parent).unwrap();
                }
            }
            std::fs::write(&dest, &zeros[..size]).unwrap();
            written += size;
        }
        swap(&tmp, &out.join(&id));
    }
    println!("read {read} bytes, wrote {written} bytes");
}

fn swap(tmp: &Path, target: &Path) {
    let old = target.with_extension("floor-old");
    if target.exists() {
        std::fs::rename(target, &old).unwrap();
        std::fs::rename(tmp, target).unwrap();
        std::fs::remove_dir_all(&old).unwrap();
    } else {
        std::fs::rename(tmp, target).unwrap();
    }
}
