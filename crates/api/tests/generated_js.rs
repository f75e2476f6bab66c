//! The npm package's route table (`crates/wasm/js/routes.js`) and its method types
//! (`routes.d.ts`) are generated from `outrig_api::routes`, and its wire types (`wire.d.ts`)
//! from the serde models, and the plugin contract's default limits (`limits.js`) from
//! `outrig_api::plugin`; this test fails when they are out of date. Regenerate with `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`.

use outrig_api::routes::{Answer, Body, Route, ROUTES};
use std::collections::BTreeMap;
use std::fmt::Write;
use ts_rs::{Config, TypeVisitor, TS};

const HEADER: &str = "Generated from the route table in crates/api/src/routes.rs by\n// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.";

/// `memory_stores` → `memoryStores`.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

fn routes_js() -> String {
    let mut out = format!("// @ts-self-types=\"./routes.d.ts\"\n// {HEADER}\n\n/** [name, method, path, beta, body, answer] of every endpoint. */\nexport const ROUTES = [\n");
    for r in ROUTES {
        let beta = r.beta.map_or("null".to_string(), |b| format!("\"{b}\""));
        let body = match r.body {
            Body::None => "none",
            Body::Json => "json",
            Body::Multipart => "multipart",
        };
        let answer = match r.answer {
            Answer::Json => "json",
            Answer::Page => "page",
            Answer::IdPage => "idpage",
            Answer::Stream => "stream",
            Answer::Binary => "bytes",
        };
        let name: Vec<String> = r.name.split('.').map(camel).collect();
        writeln!(
            out,
            "  [\"{}\", \"{}\", \"{}\", {beta}, \"{body}\", \"{answer}\"],",
            name.join("."),
            r.method,
            r.path
        )
        .unwrap();
    }
    out.push_str("];\n");
    out
}

/// The TypeScript answer type of a route.
fn answer_type(route: &Route) -> String {
    let object = match route.returns {
        "bytes" => return "Promise<Response>".into(),
        "Agent" | "Environment" | "Session" | "SessionThread" | "SessionResource"
        | "SessionEvent" => route.returns.to_string(),
        "StreamSessionEvents" | "StreamSessionThreadEvents" => return "Promise<Response>".into(),
        other if other.starts_with("Delete") => "Deleted".into(),
        other => other.to_string(),
    };
    match route.answer {
        Answer::Page => format!("PagePromise<{object}>"),
        Answer::IdPage => format!("IdPagePromise<{object}>"),
        _ if route.name == "environments.work.poll" => format!("APIPromise<{object} | null>"),
        _ => format!("APIPromise<{object}>"),
    }
}

#[derive(Default)]
struct Tree {
    methods: Vec<String>,
    children: BTreeMap<String, Tree>,
}

fn routes_dts() -> String {
    let mut tree = Tree::default();
    for route in ROUTES {
        let names: Vec<String> = route.name.split('.').map(camel).collect();
        let (method, path) = names.split_last().expect("dotted names");
        let node = path.iter().fold(&mut tree, |node, name| {
            node.children.entry(name.clone()).or_default()
        });
        let mut args: Vec<String> = route
            .params()
            .map(|p| format!("{}: string", camel(p)))
            .collect();
        args.push(match (route.body, route.method) {
            (Body::Multipart, _) => "params: UploadParams".into(),
            (Body::Json, _)
                if [".create", ".send", ".add"]
                    .iter()
                    .any(|v| route.name.ends_with(v)) =>
            {
                "params: Params".into()
            }
            (Body::Json, _) => "params?: Params".into(),
            _ => "query?: Query".into(),
        });
        args.push("options?: RequestOptions".into());
        node.methods.push(format!(
            "/** `{} {}` */\n{method}({}): {};",
            route.method,
            route.path,
            args.join(", "),
            answer_type(route)
        ));
    }
    fn render(tree: &Tree, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        for method in &tree.methods {
            for line in method.lines() {
                writeln!(out, "{pad}{line}").unwrap();
            }
        }
        for (name, child) in &tree.children {
            writeln!(out, "{pad}{name}: {{").unwrap();
            render(child, indent + 2, out);
            writeln!(out, "{pad}}};").unwrap();
        }
    }
    let mut out = format!(
        "// {HEADER}\n\nimport type {{ Agent, Environment, Session, SessionThread, SessionResource, SessionEvent, PagePromise, APIPromise, RequestOptions, Deleted, UploadParams,\n  Vault, Credential, CredentialValidation, SelfHostedWork, SelfHostedWorkHeartbeatResponse, SelfHostedWorkQueueStats, Deployment, DeploymentRun,\n  MemoryStore, Memory, MemoryListItem, MemoryVersion, Dream, Tunnel, TunnelToken, TunnelCertificate, Skill, SkillVersion, FileMetadata, FileResource,\n  SendSessionEvents, ResourceRetrieveResponse, ResourceUpdateResponse,\n  IdPagePromise, OrganizationWebhookEndpoint, NewOrganizationWebhookEndpoint, OrganizationWebhookEndpointSigningSecret }} from \"./outrig.d.ts\";\n\n/** A request body: the fields the endpoint documents. */\nexport type Params = Record<string, unknown>;\n/** Query parameters; arrays are sent as `key[]`. */\nexport type Query = Record<string, string | number | boolean | string[] | undefined>;\n\n/** Every endpoint by resource: path ids first, then the body or query, then options. */\nexport interface Resources {{\n"
    );
    render(&tree, 2, &mut out);
    out.push_str("}\n");
    out
}

/// Collects the declaration of every named type reachable from the ones it visits, by name
/// (ts-rs does not visit dependencies in a stable order, so the file is sorted).
struct Declarations {
    config: Config,
    out: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.config);
        if self.out.contains_key(&name) {
            return;
        }
        let doc = T::docs()
            .map(|d| format!("{}\n", d.trim_end()))
            .unwrap_or_default();
        let decl = format!("{doc}export {}", tidy(&T::decl(&self.config)));
        self.out.insert(name, decl);
        T::visit_dependencies(self);
    }
}

/// Puts each field of ts-rs's one-line declarations on a line of its own, after its doc,
/// and drops the spec's presence marks from the docs (`?` and `| null` say the same).
fn tidy(decl: &str) -> String {
    let mut out = decl
        .replace("{ \n/**\n * ", "{\n  /** ")
        .replace(", \n/**\n * ", ",\n  /** ")
        .replace(", /**\n * ", ",\n  /** ")
        .replace("\n * ", "\n   * ")
        .replace("\n */\n", " */\n  ")
        .replace(", }", ",\n}");
    for mark in [" (O,N)", " (R,N)", " (O)", " (R)"] {
        out = out.replace(mark, "");
    }
    out
}

/// The wire types: objects, events, send forms and content blocks, as TypeScript.
fn wire_dts() -> String {
    use outrig_api::{events, objects, resources, send};
    let mut all = Declarations {
        config: Config::new().with_large_int("number"),
        out: BTreeMap::new(),
    };
    all.visit::<events::Event>();
    all.visit::<outrig_api::bedrock::BedrockEvent>();
    all.visit::<outrig_api::bedrock::BedrockSessionError>();
    all.visit::<outrig_api::bedrock::AwsRole>();
    all.visit::<send::SendEvent>();
    all.visit::<objects::Agent>();
    all.visit::<objects::CreateAgent>();
    all.visit::<objects::UpdateAgent>();
    all.visit::<objects::Environment>();
    all.visit::<objects::EnvironmentParams>();
    all.visit::<objects::Session>();
    all.visit::<objects::CreateSession>();
    all.visit::<objects::UpdateSession>();
    all.visit::<objects::SessionResource>();
    all.visit::<objects::SessionThread>();
    all.visit::<objects::FileMetadata>();
    all.visit::<resources::Vault>();
    all.visit::<resources::Credential>();
    all.visit::<resources::WorkItem>();
    all.visit::<resources::Deployment>();
    all.visit::<resources::DeploymentRun>();
    all.visit::<resources::MemoryStore>();
    all.visit::<resources::Memory>();
    all.visit::<resources::MemoryVersion>();
    all.visit::<resources::Dream>();
    all.visit::<resources::Tunnel>();
    all.visit::<resources::Skill>();
    all.visit::<resources::SkillVersion>();
    all.visit::<resources::OrganizationWebhookEndpoint>();
    all.visit::<resources::NewOrganizationWebhookEndpoint>();
    all.visit::<resources::OrganizationWebhookEndpointSigningSecret>();
    format!(
        "// Generated from the serde models of crates/api by\n// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.\n\n{}\n",
        all.out.into_values().collect::<Vec<_>>().join("\n\n")
    )
}

/// The plugin contract's default limits, for `outrig/plugin` (`DEFAULT_LIMITS`).
fn limits_js() -> String {
    let l = outrig_api::plugin::ContractLimits::DEFAULT;
    format!(
        "// Generated from outrig_api::plugin::ContractLimits by\n// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.\n\n\
         /** The plugin contract's default limits (`outrig-host.toml` `[plugin.limits]`), in its names. */\n\
         export const DEFAULT_LIMITS = Object.freeze({{\n  timeout_ms: {},\n  output_bytes: {},\n  output_blocks: {},\n  log_bytes: {},\n  log_lines: {},\n  max_tools: {},\n  max_description_bytes: {},\n  max_schema_bytes: {},\n}});\n",
        l.timeout_ms,
        l.output_bytes,
        l.output_blocks,
        l.log_bytes,
        l.log_lines,
        l.max_tools,
        l.max_description_bytes,
        l.max_schema_bytes
    )
}

#[test]
fn the_npm_generated_files_are_up_to_date() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasm/js");
    for (file, text) in [
        ("routes.js", routes_js()),
        ("routes.d.ts", routes_dts()),
        ("wire.d.ts", wire_dts()),
        ("limits.js", limits_js()),
    ] {
        let path = format!("{dir}/{file}");
        if std::env::var_os("OUTRIG_REGENERATE").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{file} is out of date: run `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`"
        );
    }
}
