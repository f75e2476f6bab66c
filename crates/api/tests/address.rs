//! The address classification as a table: every special-purpose form refused, public
//! addresses (including public IPv4 embedded in IPv6 forms) allowed.

use outrig_api::address::is_private;
use std::net::IpAddr;

#[test]
fn special_purpose_addresses_are_private() {
    for text in [
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "127.0.0.1",
        "127.255.255.255",
        "169.254.169.254",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.8",
        "192.0.2.1",
        "192.88.99.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.255",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        // IPv6 of its own.
        "::",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "100::1",
        "2001:db8::1",
        "3fff::1",
        "3fff:fff::1",
        "5f00::1",
        // IPv4 inside IPv6: mapped, compatible (any), NAT64, 6to4, Teredo, local NAT64.
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "::10.0.0.1",
        "::8.8.8.8",
        "64:ff9b::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::192.168.0.1",
        "64:ff9b:1::8.8.8.8",
        "2002:7f00:1::",
        "2002:0a00:0001::1",
        "2002:c0a8:0101::",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001::1",
        "2001:1ff::1",
    ] {
        let ip: IpAddr = text.parse().unwrap();
        assert!(is_private(ip), "{text} must be refused");
    }
}

#[test]
fn public_addresses_are_not_private() {
    for text in [
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "100.63.255.255",
        "100.128.0.1",
        "172.15.0.1",
        "172.32.0.1",
        "192.0.1.1",
        "192.169.0.1",
        "198.17.0.1",
        "198.20.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::8.8.8.8",
        "2002:0808:0808::1",
        "2001:200::1",
        "2001:4860:4860::8888",
    ] {
        let ip: IpAddr = text.parse().unwrap();
        assert!(!is_private(ip), "{text} is public");
    }
}
