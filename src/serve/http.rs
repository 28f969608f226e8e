//! The HTTP side of `serve`: one request per connection, answered by a
//! fixed pool of worker threads, so that a client that misbehaves holds
//! one worker for a bounded time and never the others:
//! - a request head (request line and headers) is read up to 16 KiB and 64
//!   headers, each read waiting at most 10 s and the whole head 20 s;
//!   beyond that the client gets 414, 431 or 408 and the connection closes;
//! - an answer is written with a 10 s timeout on each write and 60 s in
//!   all, then the connection closes (`Connection: close`);
//! - only GET and HEAD are answered (others: 405 with `Allow`), and only
//!   for a `Host` that names this machine's loopback (`localhost`,
//!   `*.localhost`, 127.0.0.0/8, `[::1]`, any port) or the address
//!   listened on, any IP address when that is 0.0.0.0 or `::` (others:
//!   403; none or two: 400), so a page on another site that rebinds its
//!   name to 127.0.0.1 cannot read what is served;
//! - a failure to accept a connection (out of descriptors) is retried
//!   after a pause that grows to a second, and never stops the server.
//!
//! Parsing is `httparse`'s; the rest is what a local preview needs and
//! nothing more.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Worker threads answering requests.
const WORKERS: usize = 8;
/// Accepted connections waiting for a worker; past that, accepting waits.
const QUEUE: usize = 64;
/// The longest request head (request line and headers) read.
const HEAD_LIMIT: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
/// How long one read of the request head may wait, and the whole head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
const HEAD_DEADLINE: Duration = Duration::from_secs(20);
/// How long one write of an answer may wait, and the whole answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_DEADLINE: Duration = Duration::from_secs(60);
/// After an error answer, what is still read (and dropped) from a client
/// that keeps sending, so it gets the answer rather than a reset.
const LINGER_BYTES: usize = 1 << 20;
const LINGER_TIME: Duration = Duration::from_secs(2);

/// A request that passed the checks: GET or HEAD, from an allowed host.
pub struct Request {
    /// The request target as sent: `/path?query`.
    pub target: String,
    /// HEAD: the answer's headers only.
    pub head_only: bool,
}

/// An answer with its whole body.
pub struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A short plain-text answer.
    pub fn text(status: u16, text: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into_bytes(),
        )
    }

    /// A redirect to `location`, which must be a valid URL path (encoded).
    pub fn redirect(status: u16, location: String) -> Self {
        Self::text(status, "moved").with_header("Location", location)
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// What a site answers to a request.
pub enum Reply {
    Response(Response),
    /// A server-sent event stream: the worker writes the head, then hands
    /// the connection to `Site::keep`.
    Events,
}

/// What is served.
pub trait Site: Send + Sync + 'static {
    fn answer(&self, request: &Request) -> Reply;
    /// Keeps an event stream open (its head is written).
    fn keep(&self, stream: TcpStream);
    /// Called when a connection cannot be accepted: a chance to let go of
    /// connections that are closed.
    fn short_of_descriptors(&self);
}

/// Which `Host` values are served.
pub struct Hosts {
    /// The address listened on, lowercase and without brackets.
    interface: String,
    /// Listening on every address: any IP address names this server.
    any_address: bool,
}

impl Hosts {
    pub fn new(interface: &str) -> Self {
        let interface = interface
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        let any_address = interface
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified());
        Hosts {
            interface,
            any_address,
        }
    }

    /// Whether a `Host` header value (name and optional port) is served.
    pub fn allows(&self, value: &str) -> bool {
        let Some(name) = host_name(value.trim()) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name.parse::<IpAddr>() {
            if ip.is_loopback() || self.any_address {
                return true;
            }
        }
        !name.is_empty() && name == self.interface
    }
}

/// The name of a `Host` value without its port: `[::1]:80` is `::1`.
fn host_name(value: &str) -> Option<&str> {
    let is_port = |port: &str| port.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = value.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        return port_ok.then_some(ip);
    }
    match value.rsplit_once(':') {
        Some((name, port)) if is_port(port) => Some(name),
        Some(_) => None,
        None => Some(value),
    }
}

/// Serves `site` on `listener` until the process ends.
pub fn run(listener: TcpListener, site: Arc<impl Site>, hosts: Hosts) -> ! {
    let (sender, receiver) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let receiver = Arc::new(Mutex::new(receiver));
    let hosts = Arc::new(hosts);
    for _ in 0..WORKERS {
        let (receiver, site, hosts) =
            (Arc::clone(&receiver), Arc::clone(&site), Arc::clone(&hosts));
        std::thread::spawn(move || loop {
            let next = match receiver.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            let Ok(stream) = next else { return };
            // A bug in answering one request must not take a worker away.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                serve_connection(stream, &*site, &hosts);
            }));
        });
    }
    let (shortest, longest) = (Duration::from_millis(10), Duration::from_secs(1));
    let mut pause = shortest;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                pause = shortest;
                // The workers never all stop (see above); if they did,
                // the connection is dropped.
                let _ = sender.send(stream);
            }
            Err(e) => {
                if pause == shortest {
                    eprintln!("serve: cannot accept a connection ({e}); trying again");
                }
                site.short_of_descriptors();
                std::thread::sleep(pause);
                pause = (pause * 2).min(longest);
            }
        }
    }
}

/// Why a request head was not read.
enum Unread {
    /// The client went away or sent nothing in time: nothing to answer.
    Gone,
    /// An answer to send before closing.
    Refused(Response),
}

/// A request head that was read.
struct Head {
    method: String,
    target: String,
    host: Option<Result<String, ()>>,
    /// Bytes came after the head (a body or pipelined requests).
    more: bool,
}

fn serve_connection(mut stream: TcpStream, site: &impl Site, hosts: &Hosts) {
    if stream.set_read_timeout(Some(READ_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(Unread::Gone) => return,
        Err(Unread::Refused(response)) => {
            send(&mut stream, &response, false);
            linger(stream);
            return;
        }
    };
    let refused = match &head.host {
        None => Some(Response::text(400, "a Host header is required")),
        Some(Err(())) => Some(Response::text(400, "more than one Host header")),
        Some(Ok(host)) if !hosts.allows(host) => Some(Response::text(
            403,
            "this server answers only to localhost and loopback addresses (Host refused)",
        )),
        Some(Ok(_)) if head.method != "GET" && head.method != "HEAD" => {
            Some(Response::text(405, "only GET and HEAD").with_header("Allow", "GET, HEAD".into()))
        }
        Some(Ok(_)) => None,
    };
    let head_only = head.method == "HEAD";
    if let Some(response) = refused {
        send(&mut stream, &response, head_only);
        linger(stream);
        return;
    }
    let request = Request {
        target: head.target,
        head_only,
    };
    match site.answer(&request) {
        Reply::Response(response) => {
            if send(&mut stream, &response, head_only) && head.more {
                linger(stream);
            }
        }
        Reply::Events => {
            let start = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
            if stream.write_all(start.as_bytes()).is_ok() {
                site.keep(stream);
            }
        }
    }
}

/// Reads one request head, at most `HEAD_LIMIT` bytes.
fn read_head(stream: &mut TcpStream) -> Result<Head, Unread> {
    let started = Instant::now();
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        if started.elapsed() > HEAD_DEADLINE {
            return Err(Unread::Refused(Response::text(
                408,
                "the request took too long",
            )));
        }
        let room = (HEAD_LIMIT - buf.len()).min(chunk.len());
        let read = match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(Unread::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(Unread::Gone),
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..read]);
        let ended = buf[from..].windows(2).any(|w| w == b"\n\n")
            || buf[from..].windows(3).any(|w| w == b"\n\r\n");
        if ended {
            return parse_head(&buf);
        }
        if buf.len() >= HEAD_LIMIT {
            let (status, text) = if buf.contains(&b'\n') {
                (431, "the request headers are too large")
            } else {
                (414, "the request line is too long")
            };
            return Err(Unread::Refused(Response::text(status, text)));
        }
    }
}

fn parse_head(buf: &[u8]) -> Result<Head, Unread> {
    let bad = |text: &str| Unread::Refused(Response::text(400, text));
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(buf) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Err(bad("an incomplete request")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Unread::Refused(Response::text(
                431,
                "too many request headers",
            )))
        }
        Err(e) => return Err(bad(&format!("a malformed request: {e}"))),
    };
    let mut host = None;
    let mut body = false;
    for header in request.headers.iter() {
        if header.name.eq_ignore_ascii_case("host") {
            host = match (host, std::str::from_utf8(header.value)) {
                (None, Ok(value)) => Some(Ok(value.to_string())),
                _ => Some(Err(())),
            };
        } else if header.name.eq_ignore_ascii_case("content-length")
            || header.name.eq_ignore_ascii_case("transfer-encoding")
        {
            body = true;
        }
    }
    Ok(Head {
        method: request.method.unwrap_or("").to_string(),
        target: request.path.unwrap_or("/").to_string(),
        host,
        more: body || length < buf.len(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Writes `response` (its head only for HEAD), within `WRITE_DEADLINE`.
/// False if it could not be written whole.
fn send(stream: &mut TcpStream, response: &Response, head_only: bool) -> bool {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let body: &[u8] = if head_only { &[] } else { &response.body };
    let started = Instant::now();
    for part in std::iter::once(head.as_bytes()).chain(body.chunks(64 * 1024)) {
        if started.elapsed() > WRITE_DEADLINE || stream.write_all(part).is_err() {
            return false;
        }
    }
    stream.flush().is_ok()
}

/// Closes the connection gently: stops writing, and reads (and drops) a
/// bounded amount of what the client still sends, so that the answer
/// reaches it rather than a reset.
fn linger(mut stream: TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err()
        || stream.set_read_timeout(Some(LINGER_TIME)).is_err()
    {
        return;
    }
    let started = Instant::now();
    let mut dropped = 0;
    let mut chunk = [0u8; 16 * 1024];
    while dropped < LINGER_BYTES && started.elapsed() < LINGER_TIME {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_allowed() {
        let hosts = Hosts::new("127.0.0.1");
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost.:1111",
            "app.localhost",
            "127.0.0.1",
            "127.9.8.7:80",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1",
            "[::2]:80",
            "::1",
            "localhost:x",
            "[::1]x",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn the_interface_is_allowed_and_every_address_when_listening_on_all() {
        let hosts = Hosts::new("192.168.1.5");
        assert!(hosts.allows("192.168.1.5:1111"));
        assert!(!hosts.allows("192.168.1.6:1111"));
        let hosts = Hosts::new("::");
        assert!(hosts.allows("192.168.1.6:1111"));
        assert!(hosts.allows("[fe80::1]:1111"));
        assert!(!hosts.allows("evil.example"));
        let hosts = Hosts::new("[fd00::5]");
        assert!(hosts.allows("[fd00::5]:1111"));
        let hosts = Hosts::new("myhost.lan");
        assert!(hosts.allows("MyHost.lan:1111"));
    }

    #[test]
    fn heads_are_parsed_and_bodies_noticed() {
        let head = parse_head(b"GET /a?b HTTP/1.1\r\nHost: localhost\r\n\r\n").ok();
        let head = head.expect("parsed");
        assert_eq!(head.target, "/a?b");
        assert_eq!(head.host, Some(Ok("localhost".into())));
        assert!(!head.more);
        let head =
            parse_head(b"POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 1\r\n\r\n")
                .ok()
                .expect("parsed");
        assert_eq!(head.host, Some(Err(())));
        assert!(head.more);
    }
}
