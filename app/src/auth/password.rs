//! Password hashing with argon2id (OWASP parameters) and password rules.
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Minimum length follows NIST SP 800-63B; an upper bound keeps hashing cheap.
pub fn check_strength(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < 10 {
        return Err("Use at least 10 characters.".into());
    }
    if n > 256 {
        return Err("Use at most 256 characters.".into());
    }
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Verifies against a stored hash; a missing or unparsable hash never matches.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    // Hash anyway when the account has no password, so timing does not reveal it.
    let stored = stored.unwrap_or(DUMMY_HASH);
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    hasher().verify_password(password.as_bytes(), &parsed).is_ok() && stored != DUMMY_HASH
}

/// Runs `verify` off the async runtime (argon2 takes tens of milliseconds).
pub async fn verify_async(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, stored.as_deref())).await.unwrap_or(false)
}

pub async fn hash_async(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q3h3X0NwMG5WQm1tT2p0dEJ0Z2h3cHFmb2FkS2RnZ2o";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some("garbage")));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough!").is_ok());
    }
}
