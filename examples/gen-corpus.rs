//! Writes a deterministic Podium project for benchmarks:
//! `cargo run --release --example gen-corpus -- --notices 5000 --out DIR [--no-code]`
//! Each notice exists in Chinese and English with a body of about 3.4 KB
//! (headings, a list, a table, links and, unless `--no-code`, an 18-line
//! fenced YAML block). Tracks, topics and a timeline come along.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut notices = 5000usize;
    let mut out = PathBuf::from("corpus");
    let mut code = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--notices" => notices = args.next().and_then(|v| v.parse().ok()).expect("--notices N"),
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--no-code" => code = false,
            other => panic!("unknown argument {other}"),
        }
    }
    let site = out.join("sites/corpus");
    let content = out.join("content/corpus");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(content.join("notices")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "name: {zh: 基准测试分赛, en: Benchmark Competition}\nbase_url: https://bench.example/\nlanguages: [zh, en]\n",
    )
    .unwrap();
    std::fs::write(
        content.join("timeline.yaml"),
        "stages:\n  - {id: registration, kind: registration, name: {zh: 报名, en: Registration}, start: 2025-06-03, end: 2025-07-18}\n  - {id: winners, kind: publicity, name: {zh: 获奖公示, en: Winners}, start: 2025-08-22}\n",
    )
    .unwrap();
    for t in 1..=10 {
        let dir = content.join(format!("tracks/track-{t}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut y = format!("number: {t}\nname: {{zh: 赛道{t}, en: Track {t}}}\ntopics:\n");
        for p in 1..=8 {
            let _ = writeln!(y, "  - {{id: topic-{p}, number: {p}}}");
            std::fs::write(
                dir.join(format!("topic-{p}.zh.md")),
                format!("---\ntitle: \"赛题{t}-{p}：数据要素赋能\"\n---\n{}\n", zh_para(t * 100 + p)),
            )
            .unwrap();
            std::fs::write(
                dir.join(format!("topic-{p}.en.md")),
                format!("---\ntitle: \"Topic {t}-{p}: data at work\"\n---\n{}\n", en_para(t * 100 + p)),
            )
            .unwrap();
        }
        std::fs::write(dir.join("track.yaml"), y).unwrap();
    }
    for i in 0..notices {
        let date = format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        for (lang, title, para) in [
            ("zh", format!("关于第{i}号事项的通知"), zh_para as fn(usize) -> String),
            ("en", format!("Notice number {i}"), en_para),
        ] {
            let mut b = String::new();
            let _ = writeln!(
                b,
                "---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"{}\"\n---\n",
                if lang == "zh" { "通知摘要" } else { "Summary of the notice" }
            );
            for s in 0..3 {
                let _ = writeln!(b, "## {} {s}\n\n{}\n", if lang == "zh" { "第部分" } else { "Part" }, para(i + s));
            }
            let _ = writeln!(
                b,
                "- {}\n- [tracks](../../tracks/)\n- item three\n",
                para(i).chars().take(40).collect::<String>()
            );
            let _ = writeln!(b, "| a | b | c |\n|---|---|---|\n| {i} | {} | x |\n| y | z | w |\n", i * 7);
            if code {
                b.push_str("```yaml\n");
                for l in 0..18 {
                    let _ = writeln!(b, "field_{l}: {{name: value-{i}-{l}, count: {l}, enabled: true}}  # comment {l}");
                }
                b.push_str("```\n\n");
            }
            while b.len() < 3400 {
                let _ = writeln!(b, "{}\n", para(b.len() + i));
            }
            std::fs::write(content.join(format!("notices/n{i:05}.{lang}.md")), b).unwrap();
        }
    }
    println!("wrote {} notices per language to {}", notices, out.display());
}

fn zh_para(seed: usize) -> String {
    const W: &[&str] = &[
        "数据要素",
        "赋能",
        "高质量发展",
        "应用场景",
        "公共数据",
        "流通交易",
        "安全合规",
        "创新",
        "产业",
        "治理",
    ];
    (0..40).map(|k| W[(seed * 7 + k * 3) % W.len()]).collect::<Vec<_>>().join("") + "。"
}

fn en_para(seed: usize) -> String {
    const W: &[&str] = &[
        "data",
        "elements",
        "multiply",
        "value",
        "across",
        "industries",
        "with",
        "secure",
        "open",
        "use",
    ];
    (0..50).map(|k| W[(seed * 7 + k * 3) % W.len()]).collect::<Vec<_>>().join(" ") + "."
}
