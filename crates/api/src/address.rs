//! Which IP addresses a sandboxed guest may never reach unless the operator allows private
//! addresses: everything the IANA special-purpose registries mark as not globally
//! reachable, and IPv6 forms that carry such an IPv4 address inside them. One rule for
//! every egress path (a plugin's `wasi:http` and sockets, the self-hosted sandbox's proxy).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is not a public unicast address: loopback, private, shared, link-local,
/// documentation, benchmarking, multicast, reserved, or an IPv6 address that embeds such
/// an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0 // "this network" (RFC 791), including 0.0.0.0
        || a == 10 // private (RFC 1918)
        || a == 100 && (64..128).contains(&b) // shared address space (RFC 6598)
        || a == 127 // loopback
        || a == 169 && b == 254 // link-local
        || a == 172 && (16..32).contains(&b) // private
        || a == 192 && b == 0 && c == 0 // IETF protocol assignments (RFC 6890)
        || a == 192 && b == 0 && c == 2 // TEST-NET-1
        || a == 192 && b == 88 && c == 99 // 6to4 relay anycast (deprecated)
        || a == 192 && b == 168 // private
        || a == 198 && (18..20).contains(&b) // benchmarking (RFC 2544)
        || a == 198 && b == 51 && c == 100 // TEST-NET-2
        || a == 203 && b == 0 && c == 113 // TEST-NET-3
        || a >= 224 // multicast, reserved (240/4) and broadcast
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    match s {
        // ::/96: unspecified, loopback and the deprecated IPv4-compatible form; never a
        // public destination, whatever IPv4 address it carries.
        [0, 0, 0, 0, 0, 0, _, _] => true,
        // ::ffff:a.b.c.d, IPv4-mapped: what a dual-stack socket means by a.b.c.d.
        [0, 0, 0, 0, 0, 0xffff, h, l] => is_private_v4(embedded(h, l)),
        // 64:ff9b::/96, NAT64 well-known prefix: the translator reaches a.b.c.d.
        [0x64, 0xff9b, 0, 0, 0, 0, h, l] => is_private_v4(embedded(h, l)),
        // 64:ff9b:1::/48, NAT64 local use: translated inside the operator's network.
        [0x64, 0xff9b, 1, ..] => true,
        // 100::/64, discard-only.
        [0x100, 0, 0, 0, ..] => true,
        // 2001::/23, IETF protocol assignments, Teredo (2001::/32) among them, whose
        // server and (inverted) client IPv4 addresses are both embedded.
        [0x2001, second, ..] if second < 0x200 => true,
        // 2001:db8::/32 and 3fff::/20, documentation.
        [0x2001, 0xdb8, ..] => true,
        [first, ..] if first & 0xfff0 == 0x3ff0 => true,
        // 2002::/16, 6to4: the tunnel's IPv4 endpoint is in the next 32 bits.
        [0x2002, h, l, ..] => is_private_v4(embedded(h, l)),
        // 5f00::/16, SRv6 segment identifiers.
        [0x5f00, ..] => true,
        // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local (deprecated),
        // ff00::/8 multicast.
        [first, ..] => {
            first & 0xfe00 == 0xfc00
                || first & 0xffc0 == 0xfe80
                || first & 0xffc0 == 0xfec0
                || first >= 0xff00
        }
    }
}
