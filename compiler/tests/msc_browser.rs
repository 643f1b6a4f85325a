//! The HTML sequence charts (`avmc run --msc FILE.html`) in a real browser.
//!
//! Takes the ping-pong, bank and nqueens examples; runs each with `avmc run --msc` and
//! opens the page in headless Chromium (Debian's `chromium`, installed by
//! `scripts/install-ci-tools`). The page's own script writes a summary of what it drew into
//! the DOM (`#avm-msc-summary`); the test reads it with `--dump-dom` and checks the lanes, the
//! arrows drawn, the transaction boxes, that the page's script raised no error and that
//! Chromium logged no console error. A screenshot of each chart is kept under
//! `target/tmp/msc-browser/`. Every Chromium run is bounded in time and killed by its pid.
//! Also checks, without a browser, that the page fetches nothing (no network, no CDN).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a Chromium run may take.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("msc-browser");
    std::fs::create_dir_all(&dir).expect("artifact directory");
    dir
}

/// Runs an example with `--msc OUT.html`; returns the page's path.
fn chart(example: &str) -> PathBuf {
    let page = artifacts().join(format!("{example}.html"));
    let status = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .arg("run")
        .arg(repo().join(format!("examples/{example}/main.avm")))
        .arg("--msc")
        .arg(&page)
        .stdout(Stdio::null())
        .status()
        .expect("avmc runs");
    assert!(status.success(), "avmc run --msc {example} failed");
    page
}

/// Runs Chromium headless with `args` and a fresh profile; (stdout, stderr). Killed by pid
/// after [`BROWSER_TIMEOUT`].
fn chromium(name: &str, args: &[String]) -> (String, String) {
    let profile = artifacts().join(format!("profile-{name}"));
    let _ = std::fs::remove_dir_all(&profile);
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts (install it with scripts/install-ci-tools)");
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("chromium status").is_some() {
            break;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took longer than {BROWSER_TIMEOUT:?} on {name}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let stdout = reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    (stdout, stderr)
}

/// The page's summary of what it drew, read from the DOM Chromium dumped.
fn summary(page: &Path, name: &str) -> serde_json::Value {
    let url = format!("file://{}", page.display());
    let (dom, log) = chromium(name, &["--dump-dom".into(), url.clone()]);
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "{name}: console errors: {console_errors:?}"
    );
    let start = dom
        .find("<pre id=\"avm-msc-summary\">")
        .unwrap_or_else(|| panic!("{name}: no summary in the DOM:\n{dom}"));
    let rest = &dom[start + "<pre id=\"avm-msc-summary\">".len()..];
    let json = &rest[..rest.find("</pre>").expect("summary closes")];
    let json = json.replace("&quot;", "\"").replace("&amp;", "&");
    let value: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: summary {json}: {e}"));
    assert_eq!(
        value["js_errors"],
        serde_json::json!([]),
        "{name}: script errors"
    );
    let shot = artifacts().join(format!("{name}.png"));
    chromium(
        &format!("{name}-shot"),
        &[
            "--window-size=1100,900".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    assert!(shot.is_file(), "{name}: no screenshot");
    value
}

fn lanes(v: &serde_json::Value) -> Vec<String> {
    v["lanes"]
        .as_array()
        .expect("lanes")
        .iter()
        .map(|l| l.as_str().unwrap_or_default().to_string())
        .collect()
}

fn num(v: &serde_json::Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn ping_pong_chart_in_chromium() {
    let v = summary(&chart("ping_pong"), "ping_pong");
    let lanes = lanes(&v);
    assert_eq!(lanes.len(), 3, "{lanes:?}");
    assert_eq!(lanes[0], "main");
    assert!(lanes.iter().any(|l| l.starts_with("Ping#")), "{lanes:?}");
    assert!(lanes.iter().any(|l| l.starts_with("Pong#")), "{lanes:?}");
    assert_eq!(num(&v, "rendered_lane_heads"), 3);
    // 1000-message rally plus the short ones: every call has its reply.
    assert!(num(&v, "calls") > 1000);
    assert_eq!(num(&v, "calls"), num(&v, "returns"));
    // The long rally is collapsed, so the page has far fewer rows than events.
    assert!(num(&v, "collapsed_groups") >= 1);
    assert!(num(&v, "display_rows") * 10 < num(&v, "steps"));
    assert!(num(&v, "rendered_arrows") >= 20);
    assert_eq!(num(&v, "tx_committed"), 1);
}

#[test]
fn bank_chart_in_chromium() {
    let v = summary(&chart("bank"), "bank");
    let lanes = lanes(&v);
    assert_eq!(lanes[0], "main");
    assert_eq!(
        lanes.iter().filter(|l| l.starts_with("Account#")).count(),
        3,
        "{lanes:?}"
    );
    assert_eq!(num(&v, "creates"), 3);
    assert_eq!(num(&v, "calls"), num(&v, "returns"));
    assert!(num(&v, "tx_committed") >= 1);
    assert!(
        num(&v, "tx_aborted") >= 1,
        "the bank example aborts transfers"
    );
    assert!(num(&v, "rendered_arrows") >= 20);
}

#[test]
fn nqueens_chart_in_chromium() {
    let v = summary(&chart("nqueens"), "nqueens");
    assert_eq!(lanes(&v), vec!["main".to_string()]);
    // The search: failed FD steps inside transactions that abort, and the ones that commit.
    assert!(num(&v, "failures") >= 1);
    assert!(num(&v, "tx_aborted") >= 1);
    assert!(num(&v, "tx_committed") >= 1);
    assert!(num(&v, "rendered_notes") >= 10);
}

#[test]
fn chart_page_is_self_contained() {
    let page = std::fs::read_to_string(chart("bank")).expect("page");
    for needle in [
        "<script src",
        "<link",
        "@import",
        "https://",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!page.contains(needle), "the page refers to {needle}");
    }
    // The only URL is the SVG namespace name, which is never fetched.
    assert_eq!(
        page.matches("http://").count(),
        page.matches("http://www.w3.org/2000/svg").count()
    );
}

#[test]
fn cfg_page_in_chromium() {
    let page = artifacts().join("cfg_nqueens.html");
    let out = Command::new(env!("CARGO_BIN_EXE_avmc"))
        .arg("compile")
        .arg(repo().join("examples/nqueens/main.avm"))
        .args(["--emit", "cfg-html"])
        .output()
        .expect("avmc runs");
    assert!(out.status.success());
    std::fs::write(&page, &out.stdout).expect("page written");
    let url = format!("file://{}", page.display());
    let (dom, log) = chromium("cfg", &["--dump-dom".into(), url.clone()]);
    assert!(!log.contains("Uncaught"), "{log}");
    assert!(dom.matches("<svg").count() >= 2, "one drawing per function");
    assert!(dom.contains("class=\"block\"") && dom.contains("class=\"edge\""));
    let shot = artifacts().join("cfg_nqueens.png");
    chromium(
        "cfg-shot",
        &[
            "--window-size=1000,900".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    assert!(shot.is_file());
}
