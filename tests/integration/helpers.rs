//! Shared helpers: paths, the engine on the bundled content, the CLI, and a real server
//! on a random port.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use tsunagu::answer::Engine;
use tsunagu::Paths;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn content_dir() -> PathBuf {
    root().join("content")
}

pub fn fixture_dir() -> PathBuf {
    root().join("tests/fixtures/content")
}

/// The compiled dictionary is shared by every test (built once, then memory-mapped).
pub fn dict_dir() -> PathBuf {
    root().join("index/dictionary")
}

/// The engine over the bundled content, built once per test run.
pub fn engine() -> &'static Engine {
    static E: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &E.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::checkout(dir.path());
        (
            tsunagu::load_engine(&paths).expect("bundled content loads"),
            dir,
        )
    })
    .0
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tsunagu")
}

/// Runs the CLI with `args` against `content`, indexing into a fresh folder.
pub fn cli(content: &Path, args: &[&str]) -> (Output, tempfile::TempDir) {
    let index = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("--content")
        .arg(content)
        .arg("--index")
        .arg(index.path())
        .args(args)
        .env("TSUNAGU_DICT_DIR", dict_dir())
        .output()
        .unwrap();
    (out, index)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Copies a content folder so a test can break it without touching the original.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A running `tsunagu serve` on 127.0.0.1 with an OS-chosen port; killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
    /// The probe listener's base URL, when started with `TSUNAGU_PROBE_ADDR`.
    pub probe: Option<String>,
    _index: tempfile::TempDir,
}

impl Server {
    pub fn start(content: &Path, envs: &[(&str, &str)]) -> Server {
        Server::start_logging(content, envs, Stdio::null())
    }

    /// Like [`Server::start`], with the server's log (stderr) sent to `log`.
    pub fn start_logging(content: &Path, envs: &[(&str, &str)], log: Stdio) -> Server {
        let index = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(bin());
        cmd.arg("--content")
            .arg(content)
            .arg("--index")
            .arg(index.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("TSUNAGU_DICT_DIR", dict_dir())
            .env_remove("TSUNAGU_ADMIN_TOKEN")
            .env_remove("TSUNAGU_CORS_ORIGINS")
            .env_remove("LINE_SAGAMIHARA_CHANNEL_SECRET")
            .env_remove("LINE_SAGAMIHARA_ACCESS_TOKEN")
            .env_remove("LINE_TSURUOKA_CHANNEL_SECRET")
            .env_remove("LINE_TSURUOKA_ACCESS_TOKEN")
            .env_remove("LINE_API_BASE")
            .env_remove("LINE_API_DATA_BASE")
            .stdout(Stdio::piped())
            .stderr(log);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut probe = None;
        let base = loop {
            match lines.next() {
                Some(Ok(l)) if l.starts_with("listening on ") => {
                    break l["listening on ".len()..].trim().to_string()
                }
                Some(Ok(l)) if l.starts_with("probes on ") => {
                    probe = Some(l["probes on ".len()..].trim().to_string());
                }
                Some(Ok(_)) => continue,
                _ => panic!("server exited before listening"),
            }
        };
        Server {
            child,
            base,
            probe,
            _index: index,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn client() -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    }

    /// GET → (status, JSON body).
    pub fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = Self::client().get(self.url(path)).send().unwrap();
        let status = r.status().as_u16();
        let body = r.text().unwrap();
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
        )
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit (after a signal).
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// All phones an answer shows in its top `k` results (contacts and route steps).
pub fn phones_in(answer: &tsunagu::answer::Answer, k: usize) -> Vec<String> {
    answer
        .results
        .iter()
        .take(k)
        .flat_map(|r| {
            r.contacts
                .iter()
                .chain(r.route.iter().flat_map(|s| s.contacts.iter()))
        })
        .filter_map(|c| c.phone.clone())
        .collect()
}

/// The phones of the crisis block, empty when there is none.
pub fn crisis_phones(answer: &tsunagu::answer::Answer) -> Vec<String> {
    answer
        .emergency
        .iter()
        .flat_map(|e| e.contacts.iter().filter_map(|c| c.phone.clone()))
        .collect()
}

/// Everything a resident sees to call: crisis lines, then the top `k` results.
pub fn all_phones(answer: &tsunagu::answer::Answer, k: usize) -> Vec<String> {
    let mut all = crisis_phones(answer);
    all.extend(phones_in(answer, k));
    all
}

/// The bundled content with the fictional municipality of `tests/fixtures/municipality/`
/// beside it, as a city's folder would be dropped in: links to every entry of
/// `content/` and to `kakuu/`, made once per test run.
pub fn content_with_kakuu() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for e in std::fs::read_dir(content_dir()).unwrap().flatten() {
            std::os::unix::fs::symlink(e.path(), dir.path().join(e.file_name())).unwrap();
        }
        std::os::unix::fs::symlink(
            root().join("tests/fixtures/municipality/kakuu"),
            dir.path().join("kakuu"),
        )
        .unwrap();
        dir
    })
    .path()
    .to_path_buf()
}
