//! Outbound guard: every address a check connects to (a certificate target, an
//! explicitly configured nameserver) must be public or covered by the admin
//! allow-list. Names are resolved once and the checked address is the one used,
//! so a second, different answer cannot slip past (DNS rebinding).
use app::domains::rules::{check_target, Cidr};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Resolves `host` and returns the address to connect to. Every address the
/// name resolves to must pass the guard, else the target is refused.
pub async fn resolve(host: &str, port: u16, allow: &[Cidr], limit: Duration) -> Result<SocketAddr, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        check_target(ip, allow)?;
        return Ok(SocketAddr::new(ip, port));
    }
    let addrs: Vec<SocketAddr> = tokio::time::timeout(limit, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| format!("Resolving {host} timed out after {} s.", limit.as_secs()))?
        .map_err(|e| format!("Cannot resolve {host}: {e}"))?
        .collect();
    let first = *addrs.first().ok_or_else(|| format!("{host} has no addresses."))?;
    for a in &addrs {
        check_target(a.ip(), allow).map_err(|m| format!("{host} resolves to {m}"))?;
    }
    Ok(first)
}
