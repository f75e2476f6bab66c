//! The claim rules, the same for every store: a call is won once; a live lease is never
//! taken over (not even by its holder); an expired one is, as running or with its recorded
//! result; a settled call is nobody's. Run on SQLite (two connections to one file) and on a
//! real `redis-server` and a real Postgres server started on loopback (both installed by
//! scripts/setup.sh from Debian).

use outrig_api::content::ContentBlock;
mod common;

use outrig_host::claims::{Claim, Claims};
use std::time::Duration;

async fn the_rules_hold(claims: &Claims, other: &Claims, call: &str) {
    let lease = Duration::from_millis(200);
    let expired = || tokio::time::sleep(Duration::from_millis(300));
    assert_eq!(
        claims.claim("s", call, "a", lease).await.unwrap(),
        Claim::Won
    );
    assert_eq!(
        other.claim("s", call, "b", lease).await.unwrap(),
        Claim::Lost
    );
    assert_eq!(
        claims.claim("s", call, "a", lease).await.unwrap(),
        Claim::Lost,
        "even for its holder"
    );
    assert!(claims.renew(call, "a", lease).await.unwrap());
    assert!(claims
        .sessions_with_expired_claims()
        .await
        .unwrap()
        .is_empty());
    expired().await;
    assert_eq!(claims.sessions_with_expired_claims().await.unwrap(), ["s"]);
    assert_eq!(
        other.claim("s", call, "b", lease).await.unwrap(),
        Claim::TakenOverRunning
    );
    assert!(
        !claims.renew(call, "a", lease).await.unwrap(),
        "a's lease is gone"
    );
    other
        .finished(call, &[ContentBlock::text("done")], true)
        .await
        .unwrap();
    expired().await;
    assert_eq!(
        claims.claim("s", call, "a", lease).await.unwrap(),
        Claim::TakenOverFinished {
            content: vec![ContentBlock::text("done")],
            is_error: true
        }
    );
    claims.settled(call).await.unwrap();
    assert_eq!(
        other.claim("s", call, "b", lease).await.unwrap(),
        Claim::Lost
    );
    assert!(claims
        .sessions_with_expired_claims()
        .await
        .unwrap()
        .is_empty());
}

/// Two stores opened on `url`, as two replicas would.
async fn two(url: &str) -> (Claims, Claims) {
    (
        Claims::open_url(url).await.unwrap(),
        Claims::open_url(url).await.unwrap(),
    )
}

#[tokio::test]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two(&format!(
        "sqlite:{}",
        dir.path().join("claims.sqlite").display()
    ))
    .await;
    the_rules_hold(&a, &b, "c1").await;
}

#[tokio::test]
async fn redis() {
    let redis = common::Redis::start();
    let (a, b) = two(&redis.url).await;
    the_rules_hold(&a, &b, "c1").await;
}

#[tokio::test]
async fn postgres() {
    let postgres = common::Postgres::start();
    let (a, b) = two(&postgres.url).await;
    the_rules_hold(&a, &b, "c1").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_many_replicas_racing_for_one_call_exactly_one_wins() {
    let postgres = common::Postgres::start();
    let redis = common::Redis::start();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite:{}", dir.path().join("claims.sqlite").display());
    for url in [sqlite.as_str(), &redis.url, &postgres.url] {
        let mut replicas = Vec::new();
        for _ in 0..8 {
            replicas.push(std::sync::Arc::new(Claims::open_url(url).await.unwrap()));
        }
        let racing = replicas.iter().enumerate().map(|(i, claims)| {
            let claims = claims.clone();
            tokio::spawn(async move {
                claims
                    .claim("s", "race", &format!("r{i}"), Duration::from_secs(30))
                    .await
                    .unwrap()
            })
        });
        let mut won = 0;
        for claim in racing.collect::<Vec<_>>() {
            if claim.await.unwrap() == Claim::Won {
                won += 1;
            }
        }
        assert_eq!(won, 1, "{url}");
    }
}

#[tokio::test]
async fn a_password_in_the_url_never_shows_in_errors() {
    let port = common::free_ports(1)[0];
    for url in [
        format!("postgres://app:hunter2secret@127.0.0.1:{port}/claims"),
        format!("redis://:hunter2secret@127.0.0.1:{port}"),
    ] {
        let error = format!("{:#}", Claims::open_url(&url).await.err().unwrap());
        assert!(error.contains("cannot connect"), "{error}");
        assert!(!error.contains("hunter2secret"), "{error}");
    }
}

#[tokio::test]
async fn an_unknown_store_is_refused_with_the_schemes_it_knows() {
    let error = Claims::open_url("mysql://localhost/claims")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("sqlite:PATH")
            && error.contains("redis://")
            && error.contains("postgres://"),
        "{error}"
    );
}
