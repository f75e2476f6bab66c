//! `outrig host run --all`: sessions are found with the API's list filters (running, new,
//! and a sweep of the rest), and a stream is held only while a session works or just did.
//! The emulator's request journal counts the host's streams and which are still open.

mod common;

use outrig_api::objects::CreateSession;
use outrig_api::SendEvent;
use outrig_emulator::requests::Filter;
use std::process::Child;
use std::time::Duration;

/// Kills the host when the test ends, however it ends.
struct Host(Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Setup {
    _work: tempfile::TempDir,
    world: common::Webhooked,
    config: std::path::PathBuf,
    journal: std::path::PathBuf,
}

async fn setup() -> Setup {
    let work = tempfile::tempdir().unwrap();
    let config = common::hostile_config(work.path());
    let world = common::emulator_with_webhooks(&[], false, &config).await;
    Setup {
        journal: work.path().join("journal.sqlite"),
        _work: work,
        world,
        config,
    }
}

impl Setup {
    async fn session(&self) -> String {
        let create = serde_json::from_value::<CreateSession>(serde_json::json!({
            "agent": self.world.agent_id, "environment_id": self.world.environment_id
        }))
        .unwrap();
        self.world.client.create_session(&create).await.unwrap().id
    }

    async fn call(&self, session: &str) {
        self.world
            .client
            .send_events(session, vec![SendEvent::user_text("call ok {}")])
            .await
            .unwrap();
    }

    async fn answered(&self, session: &str, calls: usize) {
        common::eventually(&format!("{calls} results in {session}"), async || {
            (common::results(&self.world.client, session).await.len() == calls).then_some(())
        })
        .await;
    }

    /// Stream connections opened so far, and how many of them are still open.
    fn streams(&self) -> (usize, usize) {
        let streams = self
            .world
            .emulator
            .admin
            .as_ref()
            .unwrap()
            .log
            .matching(&Filter {
                route: Some("sessions.events.stream".into()),
                ..Default::default()
            });
        let open = streams.iter().filter(|s| s.is_open()).count();
        (streams.len(), open)
    }

    /// Waits until streams were opened and all of them are closed again.
    async fn no_stream_open(&self) {
        common::eventually("every stream closed", async || {
            let (opened, open) = self.streams();
            (opened > 0 && open == 0).then_some(())
        })
        .await;
    }

    fn host(&self, poll_ms: u64, sweep_ms: u64) -> Host {
        let discovery = [
            format!("--poll-ms={poll_ms}"),
            format!("--sweep-ms={sweep_ms}"),
            "--keep-idle-ms=300".to_string(),
        ];
        Host(common::run_all_host(
            &self.config,
            &self.journal,
            &self.world.agent_id,
            &self.world.emulator.base_url(),
            &discovery,
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_new_and_resumed_sessions_are_answered_and_idle_ones_hold_no_stream() {
    let setup = setup().await;
    let waiting = setup.session().await;
    setup.call(&waiting).await;
    for _ in 0..5 {
        setup.session().await; // idle, never used
    }
    let _host = setup.host(100, 1_000);
    setup.answered(&waiting, 1).await;
    let new = setup.session().await;
    setup.call(&new).await;
    setup.answered(&new, 1).await;
    setup.no_stream_open().await;

    // Sessions that ran a turn since they were opened are looked at once more; after that,
    // while nothing changes, sweeps list the sessions but open none of them (it never
    // settles if every sweep opens every idle session).
    let mut opened = setup.streams().0;
    common::eventually("sweeps stop opening idle sessions", async || {
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        let now = setup.streams().0;
        let settled = now == opened;
        opened = now;
        settled.then_some(())
    })
    .await;

    // A session whose stream was closed gets a new turn: it is found and answered again.
    setup.call(&waiting).await;
    setup.answered(&waiting, 2).await;
    setup.no_stream_open().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_became_pending_between_polls_is_found_by_the_sweep() {
    let setup = setup().await;
    let session = setup.session().await;
    // Every listing is a sweep: nothing is found by the running or new-session polls.
    let _host = setup.host(200, 1);
    setup.no_stream_open().await;
    setup.call(&session).await;
    setup.answered(&session, 1).await;
}
