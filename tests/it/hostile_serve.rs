//! `plansite serve` against clients that misbehave, through the real
//! binary: one that pipelines requests and never reads does not stall the
//! others; closed event streams give their descriptors back; running out
//! of descriptors does not stop the server; a huge request line is refused
//! without being held in memory; a non-ASCII base URL redirects; a foreign
//! `Host` (DNS rebinding) is refused; methods other than GET and HEAD get
//! 405.
//!
//! Every socket read and write has a deadline (a hang guard, generous
//! enough for a loaded machine, that the unfixed server fails by blocking
//! forever), and all traffic stays on 127.0.0.1.

use std::fs;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `serve` process, stopped when dropped.
struct Server(Child);

impl Server {
    fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Whether the process is still running (it must never stop by itself).
    fn running(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// `serve` of `root` on `port`, with at most `files` open descriptors.
fn start(root: &Path, port: u16, files: u32, extra: &[&str]) -> Server {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {files}; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("plansite"))
        .args([
            "serve",
            "--as-of",
            "2025-03-10",
            "--port",
            &port.to_string(),
        ])
        .args(extra)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    Server(child)
}

/// Sends `request` as is and reads the whole answer (the server closes
/// the connection after it); None if the connection fails or the answer
/// does not come within the hang guard.
fn exchange(port: u16, request: &[u8]) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    Some(answer)
}

/// An answer's status, headers (lowercased names) and body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

fn parse(answer: &[u8]) -> Option<Answer> {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(Answer {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    })
}

/// `method path` with the given `Host`.
fn ask(port: u16, method: &str, path: &str, host: &str) -> Option<Answer> {
    let request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    parse(&exchange(port, request.as_bytes())?)
}

fn get(port: u16, path: &str) -> Option<Answer> {
    ask(port, "GET", path, &format!("127.0.0.1:{port}"))
}

/// Polls until `check` holds, for at most a minute (a hang guard, not a
/// speed limit).
fn until(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for: {what}");
}

/// A plan with many tasks: its page is large (hundreds of KB), so that
/// answers to a client that does not read fill every socket buffer.
fn big_plan() -> String {
    let mut text = String::from("# Big Plan\n\n## Week 1: Start\n\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "- [ ] task number {i} with a few words to make the page long\n"
        ));
    }
    text
}

/// A site with one small plan, and `site.toml` holding `toml`.
fn site(toml: &str) -> tempfile::TempDir {
    let dir = super::site_with(&[(
        "small.md",
        "# Small Plan\n\n## Week 1: Start\n\n- [x] one\n- [ ] two\n",
    )]);
    fs::write(dir.path().join("site.toml"), toml).expect("site.toml");
    dir
}

/// A value from `/proc/PID/status`, in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a figure")
}

#[test]
fn a_client_that_pipelines_and_never_reads_does_not_stall_the_others() {
    let dir = site("");
    fs::write(dir.path().join("content/big.md"), big_plan()).expect("plan");
    let port = free_port();
    let _server = start(dir.path(), port, 1024, &[]);
    until("the big page answers", || {
        get(port, "/plans/big/index.html").is_some_and(|a| a.status == 200)
    });
    let size = get(port, "/plans/big/index.html")
        .expect("the big page")
        .body
        .len();
    assert!(size > 200_000, "the page is large: {size} bytes");

    // 200 requests for it in one write, and the answers never read: 200
    // pages are far more than the socket buffers hold.
    let mut hog = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    hog.set_write_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let one = format!("GET /plans/big/index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    hog.write_all(one.repeat(200).as_bytes())
        .expect("the requests are sent");
    // Let the server start answering the hog before the other client asks.
    std::thread::sleep(Duration::from_millis(500));

    // Another client still gets its page (within the 30 s hang guard of
    // `exchange`; the unfixed server never answers it).
    let other = get(port, "/").expect("another client gets an answer");
    assert_eq!(other.status, 200);
    assert!(other.body.contains("Small Plan"));
    drop(hog);
}

/// Opens the event stream and reads until its first event (or the hang
/// guard); true if the event came.
fn one_event(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let request = format!("GET /__plansite/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut seen = Vec::new();
    let mut buf = [0u8; 512];
    while !String::from_utf8_lossy(&seen).contains("data: ") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    true
}

#[test]
fn closed_event_streams_give_their_descriptors_back() {
    let dir = site("");
    let port = free_port();
    // 128 descriptors: 300 streams held open would run out.
    let mut server = start(dir.path(), port, 128, &[]);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    let mut events = 0;
    for _ in 0..300 {
        // Each stream is opened, gets its event, and is closed by the
        // client (as a tab that reloads or closes does).
        if one_event(port) {
            events += 1;
        }
    }
    assert!(server.running(), "the server must not stop");
    until("the server still answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    assert!(server.running(), "the server must not stop");
    assert_eq!(events, 300, "every stream got its event");
}

#[test]
fn running_out_of_descriptors_does_not_stop_the_server() {
    let dir = site("");
    let port = free_port();
    let mut server = start(dir.path(), port, 64, &[]);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    // More idle connections than the server has descriptors: accepting
    // fails with EMFILE while they are open.
    let held: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    until("the server answers again", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    assert!(server.running(), "the server must not stop");
}

#[test]
fn a_huge_request_line_is_refused_and_not_held_in_memory() {
    let dir = site("");
    let port = free_port();
    let server = start(dir.path(), port, 1024, &[]);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    let before = status_kb(server.pid(), "VmHWM:");

    // A 64 MB request line, sent while another thread reads the answer.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut reader = stream.try_clone().expect("clone");
    let answer = std::thread::spawn(move || {
        let mut answer = Vec::new();
        let _ = reader.read_to_end(&mut answer);
        answer
    });
    let total = 64 << 20;
    let chunk = vec![b'a'; 64 << 10];
    let mut sent = 0;
    if stream.write_all(b"GET /").is_ok() {
        while sent < total && stream.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
    }
    let grown_kb = status_kb(server.pid(), "VmHWM:").saturating_sub(before);
    let _ = stream.shutdown(Shutdown::Write);
    let answer = answer.join().expect("reader");

    assert!(
        sent < total,
        "the server closes the connection instead of reading all {total} bytes"
    );
    if let Some(a) = parse(&answer) {
        assert!(
            (400..500).contains(&a.status),
            "a client error: {}",
            a.status
        );
    }
    assert!(
        grown_kb < 16 << 10,
        "the server's peak memory grew by {grown_kb} kB"
    );
}

#[test]
fn a_non_ascii_base_url_redirects_to_its_encoded_path() {
    let dir = site("base_url = \"https://x.io/café/\"\n");
    let port = free_port();
    let _server = start(dir.path(), port, 1024, &[]);
    until("the server answers", || {
        get(port, "/nothing").is_some_and(|a| a.status == 404)
    });
    // The redirect from the root (the unfixed server panicked making it).
    let root = get(port, "/").expect("an answer for /");
    assert_eq!(root.status, 302);
    assert!(
        root.head.contains("\r\nlocation: /caf%c3%a9/"),
        "{}",
        root.head
    );
    until("the dashboard answers at the encoded path", || {
        get(port, "/caf%C3%A9/").is_some_and(|a| a.status == 200 && a.body.contains("Small Plan"))
    });
    // A folder without its slash redirects too, encoded.
    let folder = get(port, "/caf%C3%A9/plans/small").expect("an answer");
    assert_eq!(folder.status, 301);
    assert!(
        folder
            .head
            .contains("\r\nlocation: /caf%c3%a9/plans/small/"),
        "{}",
        folder.head
    );
}

#[test]
fn only_loopback_host_names_are_served() {
    let dir = site("");
    let port = free_port();
    let _server = start(dir.path(), port, 1024, &["--drafts"]);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("app.localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("127.1.2.3:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_string(),
    ] {
        let a = ask(port, "GET", "/", &host).expect("an answer");
        assert_eq!(a.status, 200, "Host: {host}");
    }
    // What a DNS-rebinding page sends: its own name.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost.evil.example".to_string(),
        "127.0.0.1.evil.example".to_string(),
        "10.0.0.1".to_string(),
    ] {
        for path in ["/", "/plans/small/index.html", "/__plansite/events"] {
            let a = ask(port, "GET", path, &host).expect("an answer");
            assert_eq!(a.status, 403, "Host: {host} {path}");
            assert!(!a.body.contains("Small Plan"), "Host: {host} {path}");
            assert!(!a.body.is_empty(), "a short text says why");
        }
    }
}

#[test]
fn the_interface_named_is_an_accepted_host() {
    let dir = site("");
    let port = free_port();
    let _server = start(dir.path(), port, 1024, &["--interface", "127.0.0.2"]);
    let ask2 = |host: &str| {
        let mut stream = TcpStream::connect(("127.0.0.2", port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).ok()?;
        parse(&answer)
    };
    until("the dashboard answers", || {
        ask2(&format!("127.0.0.2:{port}")).is_some_and(|a| a.status == 200)
    });
    assert_eq!(ask2("evil.example").map(|a| a.status), Some(403));
}

#[test]
fn methods_other_than_get_and_head_get_405() {
    let dir = site("");
    let port = free_port();
    let _server = start(dir.path(), port, 1024, &[]);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|a| a.status == 200)
    });
    let host = format!("127.0.0.1:{port}");
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let a = ask(port, method, "/", &host).expect("an answer");
        assert_eq!(a.status, 405, "{method}");
        assert!(
            a.head.contains("\r\nallow: get, head"),
            "{method}: {}",
            a.head
        );
    }
    // HEAD: the headers of GET, no body.
    let head = ask(port, "HEAD", "/", &host).expect("an answer");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "no body: {}", head.body.len());
    assert!(head.head.contains("content-length: "));
}
