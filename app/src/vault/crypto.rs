//! Envelope encryption of vault secrets.
//!
//! Every secret gets its own random 256-bit data key. The value is encrypted with
//! the data key (AES-256-GCM, random 96-bit nonce) and the data key is wrapped with
//! the master key (AES-256-GCM again). Both use `helios-vault:v1:<record id>:<field>`
//! as associated data, so a ciphertext copied onto another record or field fails to
//! open. Each stored secret names the master key that wrapped it (`key_id`), which
//! lets the master key rotate by re-wrapping data keys only.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::{bail, Context};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

const NONCE_LEN: usize = 12;

/// Why a secret could not be opened. Neither variant carries secret material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the secret was sealed with master key {0}, which is not loaded")]
    UnknownKey(String),
    #[error("the secret does not decrypt: wrong key, record or field, or altered data")]
    Tampered,
}

/// A 256-bit master key and its id (the first 8 bytes of its SHA-256, in hex).
#[derive(Clone)]
pub struct MasterKey {
    id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey").field("id", &self.id).field("key", &"[redacted]").finish()
    }
}

impl MasterKey {
    pub fn from_bytes(key: [u8; 32]) -> MasterKey {
        let id = hex::encode(&Sha256::digest(key)[..8]);
        MasterKey { id, key }
    }

    pub fn generate() -> MasterKey {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        MasterKey::from_bytes(key)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Reads a key file's contents: 64 hex digits (surrounding whitespace ignored)
    /// or exactly 32 raw bytes.
    pub fn parse(contents: &[u8]) -> Result<MasterKey, String> {
        if let Ok(text) = std::str::from_utf8(contents) {
            let t = text.trim();
            if t.len() == 64 {
                let bytes =
                    hex::decode(t).map_err(|_| "the key file holds 64 characters that are not hex".to_string())?;
                let mut key = [0u8; 32];
                key.copy_from_slice(&bytes);
                return Ok(MasterKey::from_bytes(key));
            }
        }
        if contents.len() == 32 {
            let mut key = [0u8; 32];
            key.copy_from_slice(contents);
            return Ok(MasterKey::from_bytes(key));
        }
        Err("a vault key file holds 64 hex digits (or 32 raw bytes)".into())
    }

    /// What a key file created by Helios contains.
    pub fn file_contents(&self) -> String {
        format!("{}\n", hex::encode(self.key))
    }

    /// Loads an existing key file.
    pub fn load(path: &Path) -> anyhow::Result<MasterKey> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read the vault key file {}", path.display()))?;
        warn_if_readable_by_others(path);
        MasterKey::parse(&bytes).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))
    }

    /// Loads the key file, creating it (mode 0600, parent directories too) with a
    /// fresh random key when it does not exist.
    pub fn load_or_create(path: &Path) -> anyhow::Result<MasterKey> {
        if path.exists() {
            return MasterKey::load(path);
        }
        let key = MasterKey::generate();
        key.write_new(path)?;
        tracing::info!(path = %path.display(), key_id = key.id(), "created a new vault master key; back it up: without it no secret can be read");
        Ok(key)
    }

    /// Writes the key to a new file with mode 0600; refuses to overwrite.
    pub fn write_new(&self, path: &Path) -> anyhow::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("cannot create the vault key file {}", path.display()))?;
        f.write_all(self.file_contents().as_bytes())?;
        f.sync_all()?;
        Ok(())
    }

    /// Replaces `path` with this key atomically (temporary file, then rename).
    pub fn replace_file(&self, path: &Path) -> anyhow::Result<()> {
        let tmp = path.with_extension(format!("new-{}", self.id));
        let _ = std::fs::remove_file(&tmp);
        self.write_new(&tmp)?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.key))
    }
}

fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "the vault key file is readable by group or others; chmod 600 it");
        }
    }
}

/// The associated data binding a ciphertext to its record and field.
pub fn aad(record: uuid::Uuid, field: &str) -> Vec<u8> {
    format!("helios-vault:v1:{record}:{field}").into_bytes()
}

/// One encrypted secret as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
    /// Nonce (12 bytes) followed by the encrypted data key and its tag (48 bytes).
    pub wrapped_key: Vec<u8>,
    pub key_id: String,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut n);
    n
}

fn encrypt(cipher: &Aes256Gcm, aad: &[u8], plaintext: &[u8]) -> ([u8; NONCE_LEN], Vec<u8>) {
    let nonce = random_nonce();
    let ct = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .expect("AES-GCM encryption of a bounded message cannot fail");
    (nonce, ct)
}

fn decrypt(cipher: &Aes256Gcm, aad: &[u8], nonce: &[u8], ct: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if nonce.len() != NONCE_LEN {
        return Err(CryptoError::Tampered);
    }
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad }).map_err(|_| CryptoError::Tampered)
}

fn wrap(master: &MasterKey, aad: &[u8], data_key: &[u8; 32]) -> Vec<u8> {
    let (nonce, ct) = encrypt(&master.cipher(), aad, data_key);
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    out
}

fn unwrap(master: &MasterKey, aad: &[u8], wrapped: &[u8]) -> Result<[u8; 32], CryptoError> {
    if wrapped.len() != NONCE_LEN + 32 + 16 {
        return Err(CryptoError::Tampered);
    }
    let key = decrypt(&master.cipher(), aad, &wrapped[..NONCE_LEN], &wrapped[NONCE_LEN..])?;
    key.try_into().map_err(|_| CryptoError::Tampered)
}

/// The master keys a process holds: the active one (new secrets) and, during a
/// rotation, the previous one.
#[derive(Debug, Clone)]
pub struct KeyRing {
    active: MasterKey,
    others: Vec<MasterKey>,
}

impl KeyRing {
    pub fn new(active: MasterKey) -> KeyRing {
        KeyRing { active, others: Vec::new() }
    }

    /// Adds a key that may open (but never seals) secrets.
    pub fn with_key(mut self, key: MasterKey) -> KeyRing {
        if key.id != self.active.id && !self.others.iter().any(|k| k.id == key.id) {
            self.others.push(key);
        }
        self
    }

    pub fn active(&self) -> &MasterKey {
        &self.active
    }

    pub fn active_id(&self) -> &str {
        &self.active.id
    }

    fn key(&self, id: &str) -> Result<&MasterKey, CryptoError> {
        std::iter::once(&self.active)
            .chain(self.others.iter())
            .find(|k| k.id == id)
            .ok_or_else(|| CryptoError::UnknownKey(id.to_string()))
    }

    /// Encrypts `plaintext` for `record`/`field` under a fresh data key.
    pub fn seal(&self, record: uuid::Uuid, field: &str, plaintext: &[u8]) -> Sealed {
        let aad = aad(record, field);
        let mut data_key = [0u8; 32];
        OsRng.fill_bytes(&mut data_key);
        let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&data_key));
        let (nonce, ciphertext) = encrypt(&cipher, &aad, plaintext);
        let wrapped_key = wrap(&self.active, &aad, &data_key);
        data_key.fill(0);
        Sealed { nonce: nonce.to_vec(), ciphertext, wrapped_key, key_id: self.active.id.clone() }
    }

    /// Decrypts a sealed secret of `record`/`field`.
    pub fn open(&self, record: uuid::Uuid, field: &str, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        let aad = aad(record, field);
        let mut data_key = unwrap(self.key(&sealed.key_id)?, &aad, &sealed.wrapped_key)?;
        let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&data_key));
        data_key.fill(0);
        decrypt(&cipher, &aad, &sealed.nonce, &sealed.ciphertext)
    }

    /// Re-wraps a data key (held by this ring under `key_id`) with `to`; the value
    /// itself is never decrypted.
    pub fn rewrap(
        &self,
        record: uuid::Uuid,
        field: &str,
        key_id: &str,
        wrapped_key: &[u8],
        to: &MasterKey,
    ) -> Result<Vec<u8>, CryptoError> {
        let aad = aad(record, field);
        let mut data_key = unwrap(self.key(key_id)?, &aad, wrapped_key)?;
        let out = wrap(to, &aad, &data_key);
        data_key.fill(0);
        Ok(out)
    }
}

/// Loads the active key file, creating it on first run.
pub fn load_key_file(path: &Path) -> anyhow::Result<KeyRing> {
    if path.is_dir() {
        bail!("the vault key file {} is a directory", path.display());
    }
    Ok(KeyRing::new(MasterKey::load_or_create(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_a_fresh_data_key_and_nonce_per_seal() {
        let ring = KeyRing::new(MasterKey::generate());
        let id = uuid::Uuid::new_v4();
        let a = ring.seal(id, "password", b"correct horse");
        let b = ring.seal(id, "password", b"correct horse");
        assert_ne!(a.ciphertext, b.ciphertext);
        assert_ne!(a.wrapped_key, b.wrapped_key);
        assert_eq!(a.key_id, ring.active_id());
        assert_eq!(a.wrapped_key.len(), 60);
        assert_eq!(ring.open(id, "password", &a).unwrap(), b"correct horse");
        assert!(!a.ciphertext.windows(5).any(|w| w == b"horse"));
    }

    #[test]
    fn another_record_field_key_or_altered_byte_fails() {
        let ring = KeyRing::new(MasterKey::generate());
        let id = uuid::Uuid::new_v4();
        let s = ring.seal(id, "password", b"secret");
        assert_eq!(ring.open(uuid::Uuid::new_v4(), "password", &s), Err(CryptoError::Tampered));
        assert_eq!(ring.open(id, "totp_seed", &s), Err(CryptoError::Tampered));
        let other = KeyRing::new(MasterKey::generate());
        assert!(matches!(other.open(id, "password", &s), Err(CryptoError::UnknownKey(_))));
        let mut forged = s.clone();
        forged.key_id = other.active_id().to_string();
        assert_eq!(other.open(id, "password", &forged), Err(CryptoError::Tampered));
        for i in 0..s.ciphertext.len() {
            let mut t = s.clone();
            t.ciphertext[i] ^= 1;
            assert_eq!(ring.open(id, "password", &t), Err(CryptoError::Tampered));
        }
        let mut t = s.clone();
        t.wrapped_key[20] ^= 1;
        assert_eq!(ring.open(id, "password", &t), Err(CryptoError::Tampered));
    }

    #[test]
    fn rewrap_moves_a_secret_to_a_new_master_key_without_touching_the_value() {
        let old = MasterKey::generate();
        let new = MasterKey::generate();
        let ring = KeyRing::new(old.clone());
        let id = uuid::Uuid::new_v4();
        let s = ring.seal(id, "license_key", b"AAAA-BBBB");
        let wrapped = ring.rewrap(id, "license_key", &s.key_id, &s.wrapped_key, &new).unwrap();
        let moved = Sealed { wrapped_key: wrapped, key_id: new.id().to_string(), ..s.clone() };
        assert_eq!(KeyRing::new(new).open(id, "license_key", &moved).unwrap(), b"AAAA-BBBB");
        assert!(matches!(
            KeyRing::new(MasterKey::generate()).open(id, "license_key", &s),
            Err(CryptoError::UnknownKey(_))
        ));
    }

    #[test]
    fn key_files_are_hex_created_0600_and_ids_are_stable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("helios-vault-key-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("sub/vault.key");
        let k1 = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let k2 = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(k1.id(), k2.id());
        assert_eq!(k1.id().len(), 16);
        assert!(MasterKey::parse(b"too short").is_err());
        assert_eq!(MasterKey::parse(&[7u8; 32]).unwrap().id(), MasterKey::from_bytes([7u8; 32]).id());
        assert!(!format!("{k1:?}").contains(&k1.file_contents().trim()[..16]));
        std::fs::remove_dir_all(dir).ok();
    }
}
