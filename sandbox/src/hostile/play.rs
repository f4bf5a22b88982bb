//! Playing one script entry on a connection: a whole answer, or one of
//! the ways an answer goes wrong on a real network.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::http;
use super::script::{Answer, Entry};

/// The pause between the partial body of a reset and the reset itself, so
/// that the client has read the head and the bytes sent before it.
const BEFORE_RESET: Duration = Duration::from_millis(50);

/// What `{self}` and `{other}` stand for in a run's answers.
pub struct Places {
    /// `http://127.0.0.1:P/RUN`, the run's base URL.
    pub this: String,
    /// `http://127.0.0.1:Q/RUN`, the other origin's URL for the run.
    pub other: String,
}

impl Places {
    fn fill(&self, text: &str) -> String {
        text.replace("{other}", &self.other)
            .replace("{self}", &self.this)
    }

    /// The answer's headers and body with the places filled in.
    fn answer(&self, answer: &Answer) -> (Vec<(String, String)>, Vec<u8>) {
        let headers = answer
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), self.fill(value)))
            .collect();
        (headers, self.fill(&answer.body).into_bytes())
    }
}

/// Plays `entry`; false when it ended the connection (or the connection
/// failed), true when the connection may carry the next request. `close`
/// is true when the client asked to close after this request.
pub async fn play(stream: &mut TcpStream, entry: &Entry, places: &Places, close: bool) -> bool {
    match entry {
        Entry::Respond(answer) => {
            let (headers, body) = places.answer(answer);
            http::answer(stream, answer.status, &headers, &body, close)
                .await
                .is_ok()
        }
        // Dropping the stream closes it without a byte of answer.
        Entry::Drop => false,
        Entry::Reset {
            answer,
            declared_length,
            send_bytes,
        } => {
            let (headers, mut body) = places.answer(answer);
            if body.is_empty() {
                body = b"{\"data\": \"".to_vec();
            }
            body.resize(body.len().max(*send_bytes), b'x');
            body.truncate(*send_bytes);
            let mut bytes = http::head(answer.status, &headers, *declared_length, true);
            bytes.extend_from_slice(&body);
            if stream.write_all(&bytes).await.is_ok() && stream.flush().await.is_ok() {
                tokio::time::sleep(BEFORE_RESET).await;
            }
            // Closing with no linger sends a reset (RST), not an orderly end.
            let _ = stream.set_zero_linger();
            false
        }
        Entry::Drip { answer, interval } => {
            let (headers, body) = places.answer(answer);
            let head = http::head(answer.status, &headers, body.len() as u64, true);
            if stream.write_all(&head).await.is_err() {
                return false;
            }
            for byte in body {
                tokio::time::sleep(*interval).await;
                if stream.write_all(&[byte]).await.is_err() || stream.flush().await.is_err() {
                    break;
                }
            }
            false
        }
    }
}

/// How an entry is named in the log.
pub fn describe(entry: &Entry) -> String {
    match entry {
        Entry::Respond(answer) => answer.status.to_string(),
        Entry::Drop => "drop".to_owned(),
        Entry::Reset { send_bytes, .. } => format!("reset after {send_bytes} body bytes"),
        Entry::Drip { interval, .. } => format!("drip a byte every {interval:?}"),
    }
}
