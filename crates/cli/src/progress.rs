//! A one-line elapsed-time indicator on stderr for slow steps (plugin compilation).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Shows `label… 1.2 s` while a step runs (only on a terminal); `finish` prints the total.
pub struct Progress {
    label: String,
    started: Instant,
    done: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts showing progress for `label`.
    pub fn start(label: &str) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let ticker = std::io::stderr().is_terminal().then(|| {
            let (done, label) = (done.clone(), label.to_string());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    eprint!("\r{label}… {:.1} s", started.elapsed().as_secs_f64());
                    let _ = std::io::stderr().flush();
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        });
        if ticker.is_none() {
            eprintln!("{label}…");
        }
        Progress {
            label: label.to_string(),
            started,
            done,
            ticker,
        }
    }

    /// Stops the indicator and prints how long the step took.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
            eprint!("\r");
        }
        eprintln!(
            "{}: done in {:.2} s",
            self.label,
            self.started.elapsed().as_secs_f64()
        );
    }
}
