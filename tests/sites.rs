//! The sites in this repository: the example and the real provinces.
//! Built from the repository itself, as `podium build` does.

mod common;

use common::*;
use podium::build::BuiltSite;
use podium::model::When;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Instants across the competition: before, during registration, in each
/// publicity window, after.
const NOWS: &[&str] = &[
    "2025-05-01T10:00:00+08:00",
    "2025-06-10T10:00:00+08:00",
    "2025-08-15T10:00:00+08:00",
    "2025-08-25T12:00:00+08:00",
    "2025-12-01T10:00:00+08:00",
];

fn built_at(now: &str) -> Vec<BuiltSite> {
    build(&repo(), now)
}

fn get<'a>(built: &'a [BuiltSite], id: &str) -> &'a BuiltSite {
    built
        .iter()
        .find(|b| b.site.id == id)
        .unwrap_or_else(|| panic!("site {id} was not built"))
}

fn html(b: &BuiltSite, path: &str) -> String {
    String::from_utf8_lossy(b.output.files.get(path).unwrap_or_else(|| panic!("{}: no {path}", b.site.id))).into_owned()
}

#[test]
fn every_site_builds_without_a_warning_and_every_link_resolves() {
    for now in NOWS {
        let built = built_at(now); // panics on any diagnostic, warnings included
        let ids: Vec<&str> = built.iter().map(|b| b.site.id.as_str()).collect();
        assert_eq!(ids, ["example", "heilongjiang", "liaoning"]);
        for b in &built {
            let broken = broken_links(&b.output.files, &b.site.base_path());
            assert!(broken.is_empty(), "{} at {now}:\n{}", b.site.id, broken.join("\n"));
        }
    }
}

#[test]
fn the_example_exercises_every_feature() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    let b = get(&built, "example");
    let s = &b.site;
    assert!(s.example);
    // every page says it is an example
    for (p, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert!(
            String::from_utf8_lossy(bytes).contains("class=\"example-banner\""),
            "{p} is not marked as an example"
        );
    }
    // a winners list with entries, open now
    let winners = s
        .publicity
        .iter()
        .find(|p| p.kind == podium::model::PublicityKind::Winners && !p.entries.is_empty())
        .expect("a winners list");
    assert!(matches!(
        b.schedule.list(winners),
        Some(podium::base::time::SpanStatus::Open { .. })
    ));
    // exact and approximate stages
    assert!(s.stages.iter().any(|st| matches!(st.when, When::Exact(_))));
    assert!(s.stages.iter().any(|st| matches!(st.when, When::Approx(_))));
    // a notice with an attachment and highlighted code
    let n = s
        .notices
        .iter()
        .find(|n| !n.attachments.is_empty())
        .expect("a notice with an attachment");
    let page = html(b, &format!("notices/{}/index.html", n.slug));
    assert!(page.contains("class=\"hl-"), "the notice's code block is not highlighted");
    assert!(b.output.files.contains_key(&format!("files/{}", n.attachments[0])));
    // a track with groups
    assert!(s.tracks.iter().any(|t| !t.groups.is_empty()));
    // a topic without its English translation falls back visibly
    let (t, tp) = s
        .tracks
        .iter()
        .flat_map(|t| t.topics.iter().map(move |tp| (t, tp)))
        .find(|(_, tp)| !tp.text.by_lang.contains_key("en"))
        .expect("a topic without English");
    assert!(html(b, &format!("en/tracks/{}/{}/index.html", t.id, tp.id)).contains("fallback-note"));
    // a scheduled and a draft notice stay out
    assert!(s.notices.iter().any(|n| n.publish_at.is_some_and(|p| p > b.schedule.now)));
    assert!(s.notices.iter().any(|n| n.draft));
}

fn topic_counts(b: &BuiltSite) -> Vec<usize> {
    b.site.tracks.iter().map(|t| t.topics.len()).collect()
}

#[test]
fn provinces_have_the_seeds_tracks_and_topics() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    let hlj = get(&built, "heilongjiang");
    assert_eq!(topic_counts(hlj), [6, 10, 7, 7, 6, 4, 8, 10, 3, 3, 13, 4]);
    assert_eq!(topic_counts(hlj).iter().sum::<usize>(), 81);
    let ln = get(&built, "liaoning");
    assert_eq!(topic_counts(ln), [6, 8, 7, 4, 8, 5, 3, 3, 13, 24]);
    assert_eq!(topic_counts(ln).iter().sum::<usize>(), 81);
    // Liaoning's comprehensive track: five groups, numbered within each.
    let comp = ln.site.tracks.last().unwrap();
    assert_eq!(comp.groups.len(), 5);
    let per_group: Vec<usize> = comp
        .groups
        .iter()
        .map(|g| comp.topics.iter().filter(|t| t.group.as_deref() == Some(&g.id)).count())
        .collect();
    assert_eq!(per_group, [7, 6, 5, 4, 2]);
    for g in &comp.groups {
        let numbers: Vec<u32> = comp
            .topics
            .iter()
            .filter(|t| t.group.as_deref() == Some(&g.id))
            .map(|t| t.number)
            .collect();
        assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
    }
    // Every Liaoning track names its guiding unit.
    assert!(ln.site.tracks.iter().all(|t| t.guiding_unit.is_some()));
    // Heilongjiang's criteria: a three-level table.
    let c = hlj.site.criteria.as_ref().expect("criteria");
    assert_eq!(c.items.len(), 3);
    assert!(c.items.iter().all(|i| i.children.iter().all(|j| !j.children.is_empty())));
}

#[test]
fn liaoning_timeline_matches_the_notice() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    let ln = get(&built, "liaoning");
    let spans: Vec<(String, String)> = ln
        .site
        .stages
        .iter()
        .map(|s| match &s.when {
            When::Exact(sp) => (sp.start.to_string(), sp.end.to_string()),
            When::Approx(_) => panic!("Liaoning's stages all have dates"),
        })
        .collect();
    let want = [
        ("2025-06-03", "2025-07-18"),
        ("2025-07-19", "2025-07-27"),
        ("2025-07-28", "2025-08-11"),
        ("2025-08-12", "2025-08-18"),
        ("2025-08-21", "2025-08-21"),
        ("2025-08-22", "2025-08-28"),
        ("2025-08-29", "2025-08-29"),
    ];
    assert_eq!(spans, want.map(|(a, b)| (a.to_string(), b.to_string())));
    // The two publicity stages are 7-day windows ending on the seed's dates.
    let publicity: Vec<_> = ln
        .site
        .stages
        .iter()
        .filter(|s| s.kind == podium::model::StageKind::Publicity)
        .collect();
    assert_eq!(publicity.len(), 2);
    for (s, end) in publicity.iter().zip(["2025-08-18", "2025-08-28"]) {
        let When::Exact(sp) = &s.when else { unreachable!() };
        assert_eq!(sp.days(), 7);
        assert_eq!(
            podium::base::time::DaySpan::window(sp.start, ln.site.publicity_days)
                .end
                .to_string(),
            end
        );
    }
    // Awards: 综合赛道 1/2/4/5, others 1/1/3/3; 28 national places.
    let a = ln.site.awards.as_ref().unwrap();
    for t in &ln.site.tracks {
        let want = if t.id == "comprehensive" {
            vec![1, 2, 4, 5]
        } else {
            vec![1, 1, 3, 3]
        };
        assert_eq!(a.counts[&t.id], want, "{}", t.id);
    }
    assert_eq!(a.national_final.as_ref().map(|n| n.0), Some(28));
}

#[test]
fn heilongjiang_schedule_stays_approximate() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    let hlj = get(&built, "heilongjiang");
    assert!(!hlj.site.stages.is_empty());
    assert!(
        hlj.site.stages.iter().all(|s| matches!(s.when, When::Approx(_))),
        "no invented dates"
    );
    let counts = &hlj.site.awards.as_ref().unwrap().counts;
    assert!(counts.values().all(|c| c == &vec![1, 1, 1, 3]));
}

#[test]
fn provinces_publish_no_results_and_nothing_falls_back() {
    for now in NOWS {
        let built = built_at(now);
        for id in ["heilongjiang", "liaoning"] {
            let b = get(&built, id);
            assert!(b.site.publicity.is_empty(), "{id}: no results have been published");
            for (p, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with(".html")) {
                assert!(
                    !String::from_utf8_lossy(bytes).contains("fallback-note"),
                    "{id}: {p} falls back to another language"
                );
            }
        }
    }
}

/// Pages reachable from the home page within `max` clicks.
fn reachable(b: &BuiltSite, home: &str, max: usize) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    let mut queue = VecDeque::from([(home.to_string(), 0)]);
    while let Some((p, d)) = queue.pop_front() {
        if seen.contains_key(&p) {
            continue;
        }
        seen.insert(p.clone(), d);
        if d == max {
            continue;
        }
        let Some(bytes) = b.output.files.get(&p) else { continue };
        let dir = p.rfind('/').map(|i| &p[..=i]).unwrap_or("");
        // the page's own links, without the language switcher and header
        for l in links(&String::from_utf8_lossy(bytes)) {
            if l.contains("://") || l.starts_with("mailto:") || l.starts_with("tel:") || l.starts_with('#') {
                continue;
            }
            let target = l.split('#').next().unwrap();
            let joined = format!("{dir}{target}");
            let mut parts: Vec<&str> = Vec::new();
            for seg in joined.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." => {}
                    s => parts.push(s),
                }
            }
            let mut file = parts.join("/");
            if file.is_empty() || file.ends_with('/') {
                file.push_str("index.html");
            }
            queue.push_back((file, d + 1));
        }
    }
    seen
}

#[test]
fn every_section_is_within_two_clicks_of_home_in_both_languages() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    for id in ["heilongjiang", "liaoning", "example"] {
        let b = get(&built, id);
        for prefix in ["", "en/"] {
            let r = reachable(b, &format!("{prefix}index.html"), 2);
            let mut sections: BTreeSet<String> = ["notices/", "tracks/", "timeline/", "publicity/", "data/"]
                .iter()
                .map(|s| format!("{prefix}{s}index.html"))
                .collect();
            if b.site.awards.is_some() {
                sections.insert(format!("{prefix}awards/index.html"));
            }
            if b.site.criteria.is_some() {
                sections.insert(format!("{prefix}criteria/index.html"));
            }
            for p in &b.site.pages {
                sections.insert(format!("{prefix}{}/index.html", p.slug));
            }
            for n in b.schedule.notices(&b.site) {
                sections.insert(format!("{prefix}notices/{}/index.html", n.slug));
            }
            for t in &b.site.tracks {
                sections.insert(format!("{prefix}tracks/{}/index.html", t.id));
            }
            for s in sections {
                assert!(r.contains_key(&s), "{id}: {s} is not within two clicks of the home page");
            }
        }
    }
}

#[test]
fn output_is_self_contained() {
    let built = built_at("2025-08-25T12:00:00+08:00");
    for b in &built {
        // Off-site addresses that content and site settings wrote.
        let mut allowed: BTreeSet<String> = BTreeSet::new();
        allowed.extend(b.site.registration_url.clone());
        allowed.insert("https://beian.miit.gov.cn/".to_string());
        for (p, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8_lossy(bytes);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<style"), "{}: {p} has a <style> element", b.site.id);
            assert!(!lower.contains(" style=\""), "{}: {p} has a style attribute", b.site.id);
            for tag in lower.split("<script").skip(1) {
                let open = tag.split('>').next().unwrap_or("");
                assert!(open.contains(" src="), "{}: {p} has an inline script", b.site.id);
            }
            let attrs = lower.split(|c: char| c.is_whitespace()).filter(|w| {
                w.starts_with("on")
                    && w.contains("=\"")
                    && w[2..].split('=').next().is_some_and(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
            });
            assert_eq!(attrs.count(), 0, "{}: {p} has an on…= handler", b.site.id);
            // src= never leaves the site; href= only where content or settings say so.
            for attr in ["src=\"", "href=\""] {
                for part in html.split(attr).skip(1) {
                    let url = part.split('"').next().unwrap_or("");
                    let off_site = url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//");
                    if !off_site || url.starts_with(&b.site.base_url) {
                        continue;
                    }
                    assert!(attr == "href=\"", "{}: {p} loads {url} from elsewhere", b.site.id);
                    let from_content = allowed.contains(url)
                        || url.starts_with("https://beian.mps.gov.cn/")
                        || b.site.notices.iter().any(|n| n.text.by_lang.values().any(|t| t.body.contains(url)))
                        || b.site.pages.iter().any(|pg| pg.text.by_lang.values().any(|d| d.body.contains(url)))
                        || b.site.home.by_lang.values().any(|d| d.body.contains(url));
                    let head_link = html
                        .lines()
                        .any(|l| l.contains(url) && (l.contains("rel=\"alternate\"") || l.contains("rel=\"canonical\"")));
                    assert!(from_content || head_link, "{}: {p} links {url}, which no content wrote", b.site.id);
                }
            }
        }
        for (p, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with(".css")) {
            let css = String::from_utf8_lossy(bytes);
            assert!(
                !css.contains("url(http") && !css.contains("url(//") && !css.contains("@import") && !css.contains("@font-face"),
                "{}: {p} fetches from elsewhere",
                b.site.id
            );
        }
    }
}

#[test]
fn hosted_under_a_sub_path_every_internal_link_stays_inside_it() {
    // The three sites and the fixtures, each under a sub-path of a shared
    // CDN domain, every language.
    let mut walked = 0;
    for root in [repo(), repo().join("tests/fixtures/basic"), repo().join("tests/fixtures/clean")] {
        let mut opts = options(&root, "2025-08-25T12:00:00+08:00");
        opts.base_url = Some("https://cdn.example.gov.cn/sjj/ln/".into());
        let (built, diags) = podium::build::build_all(&opts);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        for b in &built {
            walked += links_stay_under(b, "/sjj/ln/");
        }
    }
    assert!(walked > 3000, "only {walked} links walked");
}

#[test]
fn a_link_that_climbs_above_the_site_fails_check_and_build() {
    let dir = temp_dir("climbs");
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    // From faq/, `../tracks/` is the site's tracks; one `../` more leaves
    // the site under any sub-path, though `tracks/` exists at the root.
    std::fs::write(
        dir.join("content/basic/pages/faq.zh.md"),
        "---\ntitle: 常见问题\nmenu: 1\n---\n见[赛道](../tracks/)和[赛道](../../tracks/)。\n\n## 问题二\n\n答。\n",
    )
    .unwrap();
    let (_, diags) = podium::check::check(&options(&dir, "2025-08-25T12:00:00+08:00"));
    let text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(
        text[0].contains("faq.zh.md:5:24: error: the link `../../tracks/` climbs above the site's root"),
        "{}",
        text[0]
    );
    let (built, diags) = podium::build::build_all(&options(&dir, "2025-08-25T12:00:00+08:00"));
    assert!(built.is_empty() && diags.has_errors(), "build refuses what check calls an error");
    let _ = std::fs::remove_dir_all(dir);
}

/// Walks every internal link of a site built for `prefix`, as served under
/// it; returns how many were walked.
fn links_stay_under(b: &podium::build::BuiltSite, prefix: &str) -> usize {
    let mut walked = 0;
    for (p, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        // The page as served from the CDN.
        let page_url = format!("{prefix}{}", p.trim_end_matches("index.html"));
        let dir = &page_url[..page_url.rfind('/').unwrap() + 1];
        for href in links(&String::from_utf8_lossy(bytes)) {
            if podium::emit::links::is_external(&href) {
                if let Some(rest) = href.strip_prefix("https://cdn.example.gov.cn") {
                    assert!(rest.starts_with(prefix), "{p}: {href} leaves {prefix}");
                }
                continue;
            }
            let path = href.split(['#', '?']).next().unwrap();
            let resolved = if path.is_empty() {
                page_url.clone()
            } else if path.starts_with('/') {
                podium::emit::links::normalize(path).unwrap_or_else(|| panic!("{p}: {href} climbs above the server's root"))
            } else {
                let joined = format!("{dir}{path}");
                let n = podium::emit::links::normalize(joined.trim_start_matches('/'));
                format!("/{}", n.unwrap_or_else(|| panic!("{p}: {href} climbs above the server's root")))
            };
            assert!(
                resolved.starts_with(prefix.trim_end_matches('/')),
                "{p}: {href} → {resolved} leaves {prefix}"
            );
            let inside = resolved.trim_start_matches(prefix.trim_end_matches('/')).trim_start_matches('/');
            let file = if inside.is_empty() || inside.ends_with('/') {
                format!("{inside}index.html")
            } else {
                inside.to_string()
            };
            assert!(b.output.files.contains_key(&file), "{p}: {href} → {file} does not exist");
            walked += 1;
        }
    }
    walked
}

#[test]
fn the_sites_check_clean() {
    let (_, diags) = podium::check::check(&options(&repo(), "2025-08-25T12:00:00+08:00"));
    let text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    // The provinces: nothing at all. The example: only its deliberately
    // untranslated topic.
    assert_eq!(text.len(), 1, "{}", text.join("\n\n"));
    assert!(
        text[0].starts_with("content/example/tracks/agriculture/rural-governance.zh.md")
            || text[0].contains("rural-governance.zh.md:1:1: warning"),
        "{}",
        text[0]
    );
}
