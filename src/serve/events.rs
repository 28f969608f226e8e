//! The open tabs' event streams (server-sent events): each gets the build
//! count when it opens and at every rebuild. A stream whose tab went away
//! is dropped when noticed: a closed connection when a stream opens, when
//! connections cannot be accepted and every 15 s while any is open (with
//! a keep-alive comment, written with a 2 s timeout, for those that went
//! without closing); a write that fails at a rebuild. At most 64 are
//! kept: past that the oldest is closed (its tab reconnects by itself).

use std::io::{ErrorKind, Write};
use std::net::TcpStream;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

const MOST: usize = 64;
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Tabs {
    inner: Mutex<Inner>,
    opened: Condvar,
}

#[derive(Default)]
struct Inner {
    open: Vec<TcpStream>,
    /// Changes with every build.
    generation: u64,
}

impl Tabs {
    /// Keeps a new stream (its head written) and sends it the build count.
    pub fn add(&self, mut stream: TcpStream) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.open.retain(open);
        if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
            || send(&mut stream, &format!("data: {}\n\n", inner.generation)).is_err()
        {
            return;
        }
        if inner.open.len() >= MOST {
            inner.open.remove(0);
        }
        inner.open.push(stream);
        self.opened.notify_one();
    }

    /// A new build: every tab is told.
    pub fn rebuilt(&self) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.generation += 1;
        let message = format!("data: {}\n\n", inner.generation);
        inner.open.retain_mut(|tab| send(tab, &message).is_ok());
    }

    /// Drops the streams whose tabs closed them.
    pub fn sweep(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.open.retain(open);
        }
    }

    /// Every `KEEP_ALIVE` while streams are open, writes a comment to each
    /// (dropping those that fail); waits without waking while none is.
    pub fn keep_alive(&self) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        loop {
            let woken = if inner.open.is_empty() {
                self.opened.wait(inner).ok()
            } else {
                self.opened
                    .wait_timeout(inner, KEEP_ALIVE)
                    .ok()
                    .map(|(inner, _)| inner)
            };
            let Some(woken) = woken else { return };
            inner = woken;
            inner
                .open
                .retain_mut(|tab| open(tab) && send(tab, ": ok\n\n").is_ok());
        }
    }
}

fn send(tab: &mut TcpStream, message: &str) -> std::io::Result<()> {
    tab.write_all(message.as_bytes())?;
    tab.flush()
}

/// Whether the client has not closed the connection: it has sent nothing
/// more (or something, which is kept unread), not an end of stream.
fn open(tab: &TcpStream) -> bool {
    if tab.set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0u8; 1];
    let open = match tab.peek(&mut byte) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::WouldBlock,
    };
    tab.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    #[test]
    fn closed_streams_are_dropped_when_the_next_one_opens() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let tabs = Tabs::default();
        let mut clients = Vec::new();
        for _ in 0..3 {
            let client = TcpStream::connect(address).expect("connect");
            let (served, _) = listener.accept().expect("accept");
            tabs.add(served);
            clients.push(client);
        }
        let mut first = clients.remove(0);
        first
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut got = [0u8; 9];
        first.read_exact(&mut got).expect("the build count");
        assert_eq!(&got, b"data: 0\n\n");
        drop(first);
        drop(clients.remove(0));
        // The closes reach the server's side before the next stream opens.
        let count = || tabs.inner.lock().expect("lock").open.len();
        let mut tries = 0;
        while count() > 1 && tries < 300 {
            tabs.sweep();
            std::thread::sleep(Duration::from_millis(10));
            tries += 1;
        }
        assert_eq!(count(), 1, "only the open stream is kept");
    }
}
