//! The claim rules, the same for every store: a call is won once; a live lease is never
//! taken over (not even by its holder); an expired one is, as running or with its recorded
//! result; a settled call is nobody's. Run on SQLite (two connections to one file) and on a
//! real `redis-server` started on loopback (installed by scripts/setup.sh).

use outrig_api::content::ContentBlock;
mod common;

use outrig_host::claims::{Claim, Claims};
use std::time::Duration;

fn the_rules_hold(claims: &Claims, other: &Claims, call: &str) {
    let lease = Duration::from_millis(200);
    let expired = || std::thread::sleep(Duration::from_millis(300));
    assert_eq!(claims.claim("s", call, "a", lease).unwrap(), Claim::Won);
    assert_eq!(other.claim("s", call, "b", lease).unwrap(), Claim::Lost);
    assert_eq!(
        claims.claim("s", call, "a", lease).unwrap(),
        Claim::Lost,
        "even for its holder"
    );
    assert!(claims.renew(call, "a", lease).unwrap());
    assert!(claims.sessions_with_expired_claims().unwrap().is_empty());
    expired();
    assert_eq!(claims.sessions_with_expired_claims().unwrap(), ["s"]);
    assert_eq!(
        other.claim("s", call, "b", lease).unwrap(),
        Claim::TakenOverRunning
    );
    assert!(
        !claims.renew(call, "a", lease).unwrap(),
        "a's lease is gone"
    );
    other
        .finished(call, &[ContentBlock::text("done")], true)
        .unwrap();
    expired();
    assert_eq!(
        claims.claim("s", call, "a", lease).unwrap(),
        Claim::TakenOverFinished {
            content: vec![ContentBlock::text("done")],
            is_error: true
        }
    );
    claims.settled(call).unwrap();
    assert_eq!(other.claim("s", call, "b", lease).unwrap(), Claim::Lost);
    assert!(claims.sessions_with_expired_claims().unwrap().is_empty());
}

#[test]
fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("claims.sqlite").display());
    the_rules_hold(
        &Claims::open_url(&url).unwrap(),
        &Claims::open_url(&url).unwrap(),
        "c1",
    );
}

#[test]
fn redis() {
    let redis = common::Redis::start();
    the_rules_hold(
        &Claims::open_url(&redis.url).unwrap(),
        &Claims::open_url(&redis.url).unwrap(),
        "c1",
    );
}

#[test]
fn an_unknown_store_is_refused_with_the_schemes_it_knows() {
    let error = Claims::open_url("postgres://localhost/claims")
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("sqlite:PATH") && error.contains("redis://"),
        "{error}"
    );
}
