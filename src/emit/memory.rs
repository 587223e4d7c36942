//! Files kept in memory: what `serve` serves, what `check` and the tests
//! look at.

use super::{Bytes, Listed, Output, Sink};
use std::sync::Mutex;

#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Output>,
    /// Also keep `<file>.gz` beside every text file.
    pub precompress: bool,
}

impl MemorySink {
    pub fn new(precompress: bool) -> Self {
        MemorySink {
            files: Mutex::default(),
            precompress,
        }
    }

    /// Everything taken.
    pub fn into_output(self) -> Output {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Bytes) -> std::io::Result<()> {
        let gz = (self.precompress && super::manifest::gets_gz(path)).then(|| super::manifest::gzip(&bytes));
        let mut out = self.files.lock().unwrap_or_else(|e| e.into_inner());
        out.files.insert(path.to_string(), bytes);
        if let Some(gz) = gz {
            out.files.insert(format!("{path}.gz"), gz.into());
        }
        Ok(())
    }

    fn failed(&self) -> bool {
        false
    }

    fn get(&self, path: &str) -> Option<Bytes> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).files.get(path).cloned()
    }

    fn listed(&self) -> Vec<Listed> {
        use rayon::prelude::*;
        let out = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let files: Vec<(&String, &Bytes)> = out.files.iter().collect();
        files
            .par_iter()
            .map(|(p, b)| (p.to_string(), b.len() as u64, crate::base::digest::sha256_hex(b)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_copies_are_deterministic_and_decompress() {
        let fill = |s: &MemorySink| {
            s.put("index.html", b"<p>hello hello hello</p>".to_vec().into()).unwrap();
            s.put("a.png", vec![1, 2, 3].into()).unwrap();
            s.put("manifest.json", b"{}".to_vec().into()).unwrap();
        };
        let (a, b) = (MemorySink::new(true), MemorySink::new(true));
        fill(&a);
        fill(&b);
        let (f, g) = (a.into_output().files, b.into_output().files);
        assert_eq!(f, g);
        assert!(f.contains_key("index.html.gz") && !f.contains_key("a.png.gz") && !f.contains_key("manifest.json.gz"));
        let mut d = flate2::read::GzDecoder::new(&f["index.html.gz"][..]);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut d, &mut s).unwrap();
        assert_eq!(s, "<p>hello hello hello</p>");
    }
}
