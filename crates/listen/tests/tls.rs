//! The listener over TLS through real sockets: a client trusting the test certificate is
//! answered over HTTPS; a plain-HTTP client, and one that never finishes its handshake, are
//! closed and counted; bad PEM files are refused naming the file.

use axum::routing::get;
use axum::Router;
use outrig_listen::{serve, Limits, Stats, Tls};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A self-signed certificate for `localhost` and 127.0.0.1, written as PEM files.
struct TestCertificate {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
    pem: String,
}

fn certificate() -> TestCertificate {
    let issued =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let pem = issued.cert.pem();
    std::fs::write(&cert, &pem).unwrap();
    std::fs::write(&key, issued.signing_key.serialize_pem()).unwrap();
    TestCertificate {
        _dir: dir,
        cert,
        key,
        pem,
    }
}

async fn start(tls: Tls) -> (u16, Arc<Stats>) {
    let router = Router::new().route("/", get(|| async { "ok over tls" }));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let stats = Arc::new(Stats::default());
    let limits = Limits {
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let served = stats.clone();
    tokio::spawn(async move {
        serve(
            listener,
            router,
            limits,
            Some(tls),
            served,
            std::future::pending(),
        )
        .await
    });
    (port, stats)
}

#[tokio::test]
async fn https_is_answered_and_plain_http_is_not() {
    let certificate = certificate();
    let tls = Tls::from_pem_files(&certificate.cert, &certificate.key).unwrap();
    let (port, stats) = start(tls).await;
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(certificate.pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    for host in ["localhost", "127.0.0.1"] {
        let response = client
            .get(format!("https://{host}:{port}/"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.text().await.unwrap(), "ok over tls");
    }
    // A client that does not trust the certificate gives up; the server counts it.
    let untrusting = reqwest::Client::new();
    assert!(untrusting
        .get(format!("https://localhost:{port}/"))
        .send()
        .await
        .is_err());
    // Plain HTTP on the TLS port is not a handshake: closed, counted.
    let mut plain = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer).await;
    assert!(!String::from_utf8_lossy(&answer).contains("ok over tls"));
    // A client that connects and says nothing is closed at the head timeout.
    let mut silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut buf = [0u8; 16];
    let closed = tokio::time::timeout(Duration::from_secs(30), silent.read(&mut buf)).await;
    assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "{closed:?}");
    let failed = stats.tls_handshakes_failed.load(Ordering::Relaxed);
    assert!(failed >= 3, "{failed} failed handshakes counted");
    assert!(stats
        .render()
        .contains("outrig_listener_tls_handshakes_failed_total"));
}

#[test]
fn bad_pem_files_are_refused_naming_the_file() {
    let certificate = certificate();
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not pem").unwrap();
    let refused = |cert: &PathBuf, key: &PathBuf| match Tls::from_pem_files(cert, key) {
        Ok(_) => panic!("accepted"),
        Err(error) => error.to_string(),
    };
    assert!(refused(&garbage, &certificate.key).starts_with(&format!("{}:", garbage.display())));
    assert!(refused(&certificate.cert, &garbage).starts_with(&format!("{}:", garbage.display())));
    let other = self::certificate();
    let mismatch = refused(&certificate.cert, &other.key);
    assert!(
        mismatch.contains("does not fit the certificate"),
        "{mismatch}"
    );
    let secret = std::fs::read_to_string(&other.key).unwrap();
    assert!(!mismatch.contains(secret.lines().nth(1).unwrap()));
}
