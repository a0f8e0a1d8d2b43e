//! Who the client is, as far as the connection and the proxies we trust tell.
//!
//! Behind a load balancer every connection comes from the balancer, so the client's own
//! address and scheme travel in `Forwarded` or `X-Forwarded-For`/`X-Forwarded-Proto`. Anyone
//! can send those headers, so they are believed only from a peer named by `--trusted-proxy`,
//! and only as far back as the chain stays within trusted proxies.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address and whether it reached the first proxy over HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    pub https: bool,
}

pub fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = canonical(ip);
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Client {
    let peer = canonical(peer);
    if !is_trusted(peer, trusted) {
        return Client {
            ip: peer,
            https: false,
        };
    }
    let forwarded = forwarded_elements(headers);
    let (hops, proto) = if forwarded.is_empty() {
        let hops = list_values(headers, "x-forwarded-for");
        let proto = list_values(headers, "x-forwarded-proto").pop();
        (hops, proto)
    } else {
        let hops = forwarded
            .iter()
            .filter_map(|element| parameter(element, "for"))
            .collect();
        let proto = forwarded
            .iter()
            .rev()
            .find_map(|element| parameter(element, "proto"));
        (hops, proto)
    };
    // From the nearest hop outwards: the first one we do not trust is the client. A hop we
    // cannot read ends the walk at the last proxy that vouched for it.
    let mut ip = peer;
    for hop in hops.iter().rev() {
        match parse_node(hop) {
            Some(address) => {
                ip = address;
                if !is_trusted(address, trusted) {
                    break;
                }
            }
            None => break,
        }
    }
    Client {
        ip,
        https: proto.is_some_and(|p| p.trim().eq_ignore_ascii_case("https")),
    }
}

/// `::ffff:10.0.0.1` is the IPv4 address 10.0.0.1 (a dual-stack listener reports it so).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Every comma-separated value of every `name` header line, in order.
fn list_values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The elements of `Forwarded` (RFC 7239), one per proxy, in order.
fn forwarded_elements(headers: &HeaderMap) -> Vec<String> {
    list_values(headers, "forwarded")
}

/// The value of `key` in one `Forwarded` element (`for=1.2.3.4;proto=https`), unquoted.
fn parameter(element: &str, key: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:5678` or a bare
/// IPv6 address. `unknown` and obfuscated names are not addresses.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok().map(canonical);
    }
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| n.parse().ok()).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "9.9.9.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = client(ip("203.0.113.7"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(
            c,
            Client {
                ip: ip("203.0.113.7"),
                https: false
            }
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.4"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = client(ip("10.0.0.2"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(
            c,
            Client {
                ip: ip("198.51.100.4"),
                https: true
            }
        );
    }

    #[test]
    fn a_forged_leftmost_address_does_not_count() {
        // The client sent "1.1.1.1" itself; the proxy appended the address it saw.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.4")]);
        let c = client(ip("10.0.0.2"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(c.ip, ip("198.51.100.4"));
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked() {
        let h = headers(&[("x-forwarded-for", "198.51.100.4, 10.0.0.9")]);
        let c = client(ip("10.0.0.2"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(c.ip, ip("198.51.100.4"));
    }

    #[test]
    fn forwarded_is_read_with_ports_quotes_and_ipv6() {
        let h = headers(&[(
            "forwarded",
            "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.9:80",
        )]);
        let c = client(ip("::ffff:10.0.0.2"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(
            c,
            Client {
                ip: ip("2001:db8::7"),
                https: true
            }
        );
    }

    #[test]
    fn an_unreadable_hop_stops_at_the_last_trusted_one() {
        let h = headers(&[("forwarded", "for=unknown")]);
        let c = client(ip("10.0.0.2"), &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(c.ip, ip("10.0.0.2"));
    }
}
