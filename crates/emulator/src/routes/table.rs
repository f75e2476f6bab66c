//! The emulator's endpoints, mounted from the route table (`outrig_api::routes::ROUTES`):
//! each route's name picks its handler here, and its path and required beta come from the
//! table, so the emulator cannot serve a path or demand a beta the clients do not use.

use crate::app::{require_any_beta, AppState};
use crate::routes::{
    agents, deployments, dreams, environments, events, extras, memory, org_webhooks, sessions,
    skills, threads, tunnels, vaults, work,
};
use axum::middleware;
use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;
use outrig_api::routes::{Route, ROUTES};
use std::collections::BTreeMap;

/// The handler of the endpoint named `name` (`None`: the emulator has none).
fn handler(name: &str) -> Option<MethodRouter<AppState>> {
    Some(match name {
        "agents.archive" => post(agents::archive),
        "agents.create" => post(agents::create),
        "agents.list" => get(agents::list),
        "agents.retrieve" => get(agents::retrieve),
        "agents.update" => post(agents::update),
        "agents.versions.list" => get(agents::versions),
        "deployment_runs.list" => get(deployments::list_runs),
        "deployment_runs.retrieve" => get(deployments::retrieve_run),
        "deployments.archive" => post(deployments::archive),
        "deployments.create" => post(deployments::create),
        "deployments.list" => get(deployments::list),
        "deployments.pause" => post(deployments::pause),
        "deployments.retrieve" => get(deployments::retrieve),
        "deployments.run" => post(deployments::run),
        "deployments.unpause" => post(deployments::unpause),
        "deployments.update" => post(deployments::update),
        "dreams.archive" => post(dreams::archive),
        "dreams.cancel" => post(dreams::cancel),
        "dreams.create" => post(dreams::create),
        "dreams.list" => get(dreams::list),
        "dreams.retrieve" => get(dreams::retrieve),
        "environments.archive" => post(environments::archive),
        "environments.create" => post(environments::create),
        "environments.delete" => delete(environments::delete),
        "environments.list" => get(environments::list),
        "environments.retrieve" => get(environments::retrieve),
        "environments.update" => post(environments::update),
        "environments.work.ack" => post(work::ack),
        "environments.work.heartbeat" => post(work::heartbeat),
        "environments.work.list" => get(work::list),
        "environments.work.poll" => get(work::poll),
        "environments.work.retrieve" => get(work::retrieve),
        "environments.work.stats" => get(work::stats),
        "environments.work.stop" => post(work::stop),
        "environments.work.update" => post(work::update),
        "files.delete" => delete(extras::delete_file),
        "files.download" => get(extras::file_content),
        "files.list" => get(extras::list_files),
        "files.retrieve_metadata" => get(extras::get_file),
        "files.upload" => post(extras::upload_file),
        "memory_stores.archive" => post(memory::archive_store),
        "memory_stores.create" => post(memory::create_store),
        "memory_stores.delete" => delete(memory::delete_store),
        "memory_stores.list" => get(memory::list_stores),
        "memory_stores.memories.create" => post(memory::create_memory),
        "memory_stores.memories.delete" => delete(memory::delete_memory),
        "memory_stores.memories.list" => get(memory::list_memories),
        "memory_stores.memories.retrieve" => get(memory::retrieve_memory),
        "memory_stores.memories.update" => post(memory::update_memory),
        "memory_stores.memory_versions.list" => get(memory::list_versions),
        "memory_stores.memory_versions.redact" => post(memory::redact_version),
        "memory_stores.memory_versions.retrieve" => get(memory::retrieve_version),
        "memory_stores.retrieve" => get(memory::retrieve_store),
        "memory_stores.update" => post(memory::update_store),
        "organization.webhooks.create" => post(org_webhooks::create),
        "organization.webhooks.delete" => delete(org_webhooks::delete),
        "organization.webhooks.list" => get(org_webhooks::list),
        "organization.webhooks.regenerate_signing_secret" => {
            post(org_webhooks::regenerate_signing_secret)
        }
        "organization.webhooks.retrieve" => get(org_webhooks::retrieve),
        "organization.webhooks.update" => post(org_webhooks::update),
        "sessions.archive" => post(sessions::archive),
        "sessions.create" => post(sessions::create),
        "sessions.delete" => delete(sessions::delete),
        "sessions.events.list" => get(events::list),
        "sessions.events.send" => post(events::send),
        "sessions.events.stream" => get(events::stream),
        "sessions.list" => get(sessions::list),
        "sessions.resources.add" => post(extras::add_resource),
        "sessions.resources.delete" => delete(extras::delete_resource),
        "sessions.resources.list" => get(extras::list_resources),
        "sessions.resources.retrieve" => get(extras::get_resource),
        "sessions.resources.update" => post(extras::update_resource),
        "sessions.retrieve" => get(sessions::retrieve),
        "sessions.threads.archive" => post(threads::archive_thread),
        "sessions.threads.events.list" => get(threads::thread_events),
        "sessions.threads.events.stream" => get(threads::thread_stream),
        "sessions.threads.list" => get(threads::list_threads),
        "sessions.threads.retrieve" => get(threads::get_thread),
        "sessions.update" => post(sessions::update),
        "skills.create" => post(skills::create),
        "skills.delete" => delete(skills::delete),
        "skills.list" => get(skills::list),
        "skills.retrieve" => get(skills::retrieve),
        "skills.versions.create" => post(skills::create_version),
        "skills.versions.delete" => delete(skills::delete_version),
        "skills.versions.download" => get(skills::download_version),
        "skills.versions.list" => get(skills::list_versions),
        "skills.versions.retrieve" => get(skills::retrieve_version),
        "tunnels.archive" => post(tunnels::archive),
        "tunnels.certificates.archive" => post(tunnels::archive_certificate),
        "tunnels.certificates.create" => post(tunnels::create_certificate),
        "tunnels.certificates.list" => get(tunnels::list_certificates),
        "tunnels.certificates.retrieve" => get(tunnels::retrieve_certificate),
        "tunnels.create" => post(tunnels::create),
        "tunnels.list" => get(tunnels::list),
        "tunnels.retrieve" => get(tunnels::retrieve),
        "tunnels.reveal_token" => post(tunnels::reveal_token),
        "tunnels.rotate_token" => post(tunnels::rotate_token),
        "vaults.archive" => post(vaults::archive),
        "vaults.create" => post(vaults::create),
        "vaults.credentials.archive" => post(vaults::archive_credential),
        "vaults.credentials.create" => post(vaults::create_credential),
        "vaults.credentials.delete" => delete(vaults::delete_credential),
        "vaults.credentials.list" => get(vaults::list_credentials),
        "vaults.credentials.mcp_oauth_validate" => post(vaults::validate_credential),
        "vaults.credentials.retrieve" => get(vaults::retrieve_credential),
        "vaults.credentials.update" => post(vaults::update_credential),
        "vaults.delete" => delete(vaults::delete),
        "vaults.list" => get(vaults::list),
        "vaults.retrieve" => get(vaults::retrieve),
        "vaults.update" => post(vaults::update),
        _ => return None,
    })
}

/// Every endpoint of the route table, each behind the betas it accepts; the names of the
/// table's routes that have no handler are the error (a start-up check).
pub fn endpoints() -> Result<Router<AppState>, Vec<&'static str>> {
    let mut by_path: BTreeMap<&str, MethodRouter<AppState>> = BTreeMap::new();
    let mut missing = Vec::new();
    for route in ROUTES.iter().copied() {
        let Some(handler) = handler(route.name) else {
            missing.push(route.name);
            continue;
        };
        let handler = guarded(route, handler);
        let merged = match by_path.remove(route.path) {
            Some(others) => others.merge(handler),
            None => handler,
        };
        by_path.insert(route.path, merged);
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(by_path
        .into_iter()
        .fold(Router::new(), |router, (path, methods)| {
            router.route(path, methods)
        }))
}

/// `handler` answering 400 unless the request names a beta `route` accepts.
fn guarded(route: &'static Route, handler: MethodRouter<AppState>) -> MethodRouter<AppState> {
    let betas = route.betas_accepted();
    if betas.is_empty() {
        return handler;
    }
    handler.route_layer(middleware::from_fn(move |request, next| {
        require_any_beta(betas, request, next)
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_of_the_table_has_a_handler() {
        assert_eq!(super::endpoints().err(), None);
    }
}
