//! A competition's whole life, read as a participant without JavaScript
//! reads it: what the home page and the results page say at each state —
//! before registration, registration open, a publicity window with and
//! without its list on the site, between stages, after the last stage, a
//! year later — in both languages. (The same pages with a script and a
//! later clock: `tests/conformance/search.mjs`.)

mod common;

use common::*;
use podium::build::BuiltSite;

/// The visible text of a page's `<main>`, tags dropped, spaces folded.
fn said(b: &BuiltSite, page: &str) -> String {
    let html = String::from_utf8_lossy(&b.output.files[page]).to_string();
    let main = &html[html.find("<main").unwrap_or(0)..html.find("</main>").unwrap_or(html.len())];
    // The out-of-date note is hidden until a script shows it.
    let main = match (main.find("data-stale"), main.find("</p>")) {
        (Some(a), Some(b)) if a < b => &main[b..],
        _ => main,
    };
    let mut text = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn site_at(now: &str, id: &str) -> BuiltSite {
    build(&repo(), now).into_iter().find(|b| b.site.id == id).unwrap()
}

fn says(b: &BuiltSite, page: &str, all: &[&str]) {
    let text = said(b, page);
    for s in all {
        assert!(text.contains(s), "{} {page} at {}: no {s:?} in\n{text}", b.site.id, b.schedule.now);
    }
}

fn never(b: &BuiltSite, page: &str, none: &[&str]) {
    let text = said(b, page);
    for s in none {
        assert!(!text.contains(s), "{} {page} at {}: {s:?} in\n{text}", b.site.id, b.schedule.now);
    }
}

#[test]
fn before_registration_the_site_says_when_it_opens_and_has_no_button() {
    let ln = site_at("2025-05-01T09:00:00+08:00", "liaoning");
    says(
        &ln,
        "index.html",
        &[
            "报名将于2025年6月3日开始",
            "（33天后）",
            "当前不在任何赛程阶段内。",
            "下一阶段： 启动报名",
        ],
    );
    never(&ln, "index.html", &["在线报名"]);
    says(
        &ln,
        "en/index.html",
        &["Registration opens on 3 June 2025 (in 33 days)", "Next stage: Registration"],
    );
    never(&ln, "en/index.html", &["Register online"]);
    says(
        &ln,
        "publicity/index.html",
        &["决赛公示 ：名单将于2025年8月22日—2025年8月28日在此公示。"],
    );
}

#[test]
fn while_registration_is_open_the_button_and_the_days_left() {
    let ln = site_at("2025-06-15T12:00:00+08:00", "liaoning");
    says(
        &ln,
        "index.html",
        &["在线报名", "报名截止日期：2025年7月18日", "报名还剩34天", "当前阶段 启动报名"],
    );
    says(
        &ln,
        "en/index.html",
        &["Register online", "Registration closes on 18 July 2025", "34 days left to register"],
    );
    let last = site_at("2025-07-18T20:00:00+08:00", "liaoning");
    says(&last, "index.html", &["今天是报名最后一天"]);
    says(&last, "en/index.html", &["Last day to register"]);
}

#[test]
fn a_publicity_window_with_its_list_and_without_one() {
    // Liaoning publishes its lists elsewhere: the window, and that it is
    // not on this site, in one sentence.
    let ln = site_at("2025-08-15T12:00:00+08:00", "liaoning");
    says(
        &ln,
        "publicity/index.html",
        &["初赛公示 ：公示期为2025年8月12日—2025年8月18日，正在进行；本网站未发布此名单。 公示中，还剩4天"],
    );
    never(&ln, "publicity/index.html", &["预计", "尚未发布公示名单"]);
    says(
        &ln,
        "en/publicity/index.html",
        &["The public comment period, 12 August 2025 – 18 August 2025, is under way; the list is not published on this site."],
    );
    says(
        &ln,
        "index.html",
        &[
            "报名已于2025年7月18日截止。",
            "当前阶段 初赛公示",
            "进行中，还剩4天",
            "下一阶段： 决赛评审 2025年8月21日 6天后开始",
        ],
    );
    never(&ln, "index.html", &["在线报名"]);
    // The example publishes its finalists: the list, and no sentence for it.
    let ex = site_at("2025-08-15T12:00:00+08:00", "example");
    says(&ex, "publicity/index.html", &["示例省分赛决赛入围项目公示", "公示中，还剩4天"]);
    never(&ex, "publicity/index.html", &["初赛公示 ："]);
    // A finalists list has no award column.
    let finalists = said(&ex, "publicity/finalists-2025/index.html");
    assert!(!finalists.contains("奖项"), "{finalists}");
}

#[test]
fn after_the_last_stage_and_a_year_later_the_competition_has_ended() {
    for now in ["2025-11-01T12:00:00+08:00", "2026-12-03T12:00:00+08:00"] {
        let built = build(&repo(), now);
        for b in &built {
            says(b, "index.html", &["本届赛事各阶段均已结束。", "查看公示结果"]);
            says(
                b,
                "en/index.html",
                &["All stages of this competition have ended.", "See the results"],
            );
            never(
                b,
                "index.html",
                &["在线报名", "具体日期待定", "当前不在任何赛程阶段内", "尚未公布各阶段的具体日期"],
            );
            never(b, "en/index.html", &["Register online", "to be announced"]);
            never(b, "timeline/index.html", &["具体日期待定", "未开始", "进行中"]);
            never(b, "publicity/index.html", &["预计", "进行中", "在此公示"]);
        }
        let hl = built.iter().find(|b| b.site.id == "heilongjiang").unwrap();
        says(hl, "timeline/index.html", &["决赛 拟于2025年9月底举办 已结束"]);
        says(hl, "publicity/index.html", &["获奖作品公示 ：决赛后公示，公示期为7天：已结束。"]);
    }
}

#[test]
fn a_site_with_only_approximate_stages_reads_right_from_start_to_end() {
    let dir = temp_dir("approx-only");
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    std::fs::write(
        dir.join("content/basic/timeline.yaml"),
        "stages:\n  - {id: open, kind: registration, name: {zh: 报名, en: Registration}, approx: {zh: 5月上旬开始, en: early May}, starts_by: 2025-05-10}\n  - {id: final, kind: final, name: {zh: 决赛, en: Final}, approx: {zh: 拟于9月举办, en: planned for September}, ends_by: 2025-09-30}\n",
    )
    .unwrap();
    let _ = std::fs::remove_file(dir.join("content/basic/publicity/winners.yaml"));
    let at = |now| build(&dir, now).remove(0);
    let before = at("2025-04-01T12:00:00+08:00");
    says(
        &before,
        "index.html",
        &["本赛事尚未公布各阶段的具体日期", "下一阶段： 报名 5月上旬开始 具体日期待定"],
    );
    let begun = at("2025-06-01T12:00:00+08:00");
    says(
        &begun,
        "index.html",
        &["当前阶段 报名 5月上旬开始 已开始（具体日期未公布）", "下一阶段： 决赛 拟于9月举办"],
    );
    let after = at("2026-12-03T12:00:00+08:00");
    says(&after, "index.html", &["本届赛事各阶段均已结束。"]);
    says(&after, "en/index.html", &["All stages of this competition have ended."]);
    says(&after, "en/timeline/index.html", &["Final planned for September Finished"]);
    never(&after, "en/timeline/index.html", &["to be announced"]);
    assert_eq!(after.schedule.next_change, None);
    let _ = std::fs::remove_dir_all(dir);
}
