//! A plugin's network grant: the `scheme://host:port` origins it may reach, and whether
//! they may be private addresses. The one rule of the native host (which also checks the
//! addresses a name resolves to) and of the edge runner (which sees only the URL).

use crate::address::is_private;
use std::net::IpAddr;

/// One granted origin, lower-cased, with the scheme's default port made explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http`, `https`, …
    pub scheme: String,
    /// A name or an address (an IPv6 address without brackets).
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
}

/// The origins granted to a plugin, and `allow_private`.
#[derive(Debug, Clone, Default)]
pub struct NetworkGrant {
    origins: Vec<Origin>,
    allow_private: bool,
}

/// Why a request is refused, as the host's log says it.
pub const NOT_GRANTED: &str = "it is not in the plugin's network grant";
/// Why a request to a private address is refused.
pub const PRIVATE_REFUSED: &str =
    "it resolves only to loopback, private or link-local addresses (allow_private is off)";

impl NetworkGrant {
    /// Parses `scheme://host:port` entries (the port defaults from `http`/`https`/`ws`/`wss`).
    pub fn parse(network: &[String], allow_private: bool) -> Result<Self, String> {
        let origins = network
            .iter()
            .map(|entry| parse_origin(entry))
            .collect::<Result<_, _>>()?;
        Ok(NetworkGrant {
            origins,
            allow_private,
        })
    }

    /// The granted origins.
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    /// Whether any network access is granted.
    pub fn any(&self) -> bool {
        !self.origins.is_empty()
    }

    /// Whether an HTTP request to `scheme://host:port` is granted (before resolving it).
    pub fn grants_origin(&self, scheme: &str, host: &str, port: u16) -> bool {
        let host = unbracket(host);
        self.origins
            .iter()
            .any(|o| o.scheme == scheme && o.host.eq_ignore_ascii_case(host) && o.port == port)
    }

    /// Whether some origin at `host:port` is granted, whatever its scheme (a `CONNECT`
    /// tunnel does not say which scheme it carries).
    pub fn grants_authority(&self, host: &str, port: u16) -> bool {
        let host = unbracket(host);
        self.origins
            .iter()
            .any(|o| o.host.eq_ignore_ascii_case(host) && o.port == port)
    }

    /// Whether a resolved address may be reached: public, or private with `allow_private`.
    pub fn address_allowed(&self, ip: IpAddr) -> bool {
        self.allow_private || !is_private(ip)
    }

    /// The check where names cannot be resolved (the edge, whose `fetch` resolves them
    /// itself): the origin must be granted, and a host that is an address, or `localhost`,
    /// must be public unless `allow_private`. `Err` holds the reason.
    pub fn check_request(&self, scheme: &str, host: &str, port: u16) -> Result<(), &'static str> {
        if !self.grants_origin(scheme, host, port) {
            return Err(NOT_GRANTED);
        }
        let host = unbracket(host);
        let local = host.eq_ignore_ascii_case("localhost")
            || host.to_ascii_lowercase().ends_with(".localhost");
        let private = local || host.parse::<IpAddr>().is_ok_and(is_private);
        if private && !self.allow_private {
            return Err(PRIVATE_REFUSED);
        }
        Ok(())
    }
}

fn unbracket(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

fn parse_origin(entry: &str) -> Result<Origin, String> {
    let malformed = || format!("network grant `{entry}` must look like scheme://host:port");
    let (scheme, rest) = entry.split_once("://").ok_or_else(malformed)?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && port.parse::<u16>().is_ok() => {
            (host, port.parse().expect("checked"))
        }
        _ => match scheme.as_str() {
            "https" | "wss" => (authority, 443),
            "http" | "ws" => (authority, 80),
            other => {
                return Err(format!(
                    "network grant `{entry}`: give a port for scheme `{other}`"
                ))
            }
        },
    };
    let host = unbracket(host);
    if host.is_empty() {
        return Err(malformed());
    }
    Ok(Origin {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(entries: &[&str], allow_private: bool) -> NetworkGrant {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        NetworkGrant::parse(&entries, allow_private).unwrap()
    }

    #[test]
    fn default_ports_and_case_are_normalised() {
        let g = grant(&["HTTPS://Api.Example.com", "http://[::1]:8080"], false);
        assert!(g.grants_origin("https", "api.example.com", 443));
        assert!(!g.grants_origin("http", "api.example.com", 443));
        assert!(g.grants_origin("http", "[::1]", 8080));
        assert!(g.grants_authority("API.example.com", 443));
    }

    #[test]
    fn malformed_entries_are_refused() {
        for bad in ["example.com", "https://", "ftp://example.com"] {
            assert!(
                NetworkGrant::parse(&[bad.to_string()], false).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_edge_check_refuses_private_literals_without_allow_private() {
        let g = grant(&["http://127.0.0.1:9000", "http://localhost:9000"], false);
        assert_eq!(
            g.check_request("http", "127.0.0.1", 9000),
            Err(PRIVATE_REFUSED)
        );
        assert_eq!(
            g.check_request("http", "localhost", 9000),
            Err(PRIVATE_REFUSED)
        );
        assert_eq!(g.check_request("http", "127.0.0.1", 9001), Err(NOT_GRANTED));
        let g = grant(&["http://127.0.0.1:9000", "https://example.com"], true);
        assert_eq!(g.check_request("http", "127.0.0.1", 9000), Ok(()));
        assert_eq!(g.check_request("https", "example.com", 443), Ok(()));
        assert_eq!(
            g.check_request("https", "example.org", 443),
            Err(NOT_GRANTED)
        );
    }
}
