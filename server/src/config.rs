//! Server configuration: defaults < `helios.toml` < environment < command-line flags.
use anyhow::{bail, Context};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The optional configuration file; every key may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub addr: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<LogFormat>,
    pub public_url: Option<String>,
    pub site_root: Option<PathBuf>,
    pub metrics_token: Option<String>,
    pub attachments_dir: Option<PathBuf>,
    pub vault_key_file: Option<PathBuf>,
}

/// Values given by flags or environment (clap fills both).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// Address to listen on [env: HELIOS_ADDR] [default: 127.0.0.1:3000]
    #[arg(long, env = "HELIOS_ADDR", global = true, hide_env = true)]
    pub addr: Option<String>,
    /// Directory for the embedded database and local files [env: HELIOS_DATA_DIR] [default: ./data]
    #[arg(long, env = "HELIOS_DATA_DIR", global = true, hide_env = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL; when unset an embedded cluster in the data dir is used [env: DATABASE_URL]
    #[arg(long, env = "DATABASE_URL", global = true, hide_env = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Log format [env: HELIOS_LOG_FORMAT]
    #[arg(long, env = "HELIOS_LOG_FORMAT", global = true, hide_env = true)]
    pub log_format: Option<LogFormat>,
    /// Public URL, e.g. https://help.example.com (https turns on Secure cookies) [env: HELIOS_PUBLIC_URL]
    #[arg(long, env = "HELIOS_PUBLIC_URL", global = true, hide_env = true)]
    pub public_url: Option<String>,
    /// Directory of the built site (pkg/, assets) [env: HELIOS_SITE_ROOT]
    #[arg(long, env = "HELIOS_SITE_ROOT", global = true, hide_env = true)]
    pub site_root: Option<PathBuf>,
    /// Bearer token that allows /metrics from non-loopback addresses [env: HELIOS_METRICS_TOKEN]
    #[arg(long, env = "HELIOS_METRICS_TOKEN", global = true, hide_env = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Directory where attachments are stored [env: HELIOS_ATTACHMENTS_DIR] [default: <data dir>/attachments]
    #[arg(long, env = "HELIOS_ATTACHMENTS_DIR", global = true, hide_env = true)]
    pub attachments_dir: Option<PathBuf>,
    /// Vault master key file, created (mode 0600) on first run [env: HELIOS_VAULT_KEY_FILE] [default: <data dir>/vault.key]
    #[arg(long, env = "HELIOS_VAULT_KEY_FILE", global = true, hide_env = true)]
    pub vault_key_file: Option<PathBuf>,
    /// Configuration file [env: HELIOS_CONFIG] [default: ./helios.toml if present]
    #[arg(long, env = "HELIOS_CONFIG", global = true, hide_env = true)]
    pub config: Option<PathBuf>,
}

/// The resolved configuration. `Debug` hides the database URL (it may hold a password).
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub log_format: LogFormat,
    pub public_url: Option<String>,
    pub site_root: PathBuf,
    pub metrics_token: Option<String>,
    /// Where attachment files are kept (an object store over a local directory).
    pub attachments_dir: PathBuf,
    /// The vault master key file.
    pub vault_key_file: PathBuf,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "[redacted]"))
            .field("log_format", &self.log_format)
            .field("public_url", &self.public_url)
            .field("site_root", &self.site_root)
            .field("attachments_dir", &self.attachments_dir)
            .field("vault_key_file", &self.vault_key_file)
            .finish()
    }
}

impl Config {
    pub fn load(o: &Overrides) -> anyhow::Result<Config> {
        let file = match &o.config {
            Some(p) => read_file(p)?,
            None if Path::new("helios.toml").exists() => read_file(Path::new("helios.toml"))?,
            None => FileConfig::default(),
        };
        let addr_text = o.addr.clone().or(file.addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_text
            .parse()
            .with_context(|| format!("HELIOS_ADDR: '{addr_text}' is not an address like 127.0.0.1:3000"))?;
        let public_url = o.public_url.clone().or(file.public_url);
        if let Some(u) = &public_url {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                bail!("HELIOS_PUBLIC_URL: '{u}' must start with http:// or https://");
            }
        }
        let database_url = o.database_url.clone().or(file.database_url).filter(|s| !s.trim().is_empty());
        if let Some(u) = &database_url {
            if !(u.starts_with("postgres://") || u.starts_with("postgresql://")) {
                bail!("DATABASE_URL must start with postgres:// or postgresql://");
            }
        }
        let data_dir = o.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let attachments_dir =
            o.attachments_dir.clone().or(file.attachments_dir).unwrap_or_else(|| data_dir.join("attachments"));
        let vault_key_file =
            o.vault_key_file.clone().or(file.vault_key_file).unwrap_or_else(|| data_dir.join("vault.key"));
        Ok(Config {
            addr,
            vault_key_file,
            data_dir,
            attachments_dir,
            database_url,
            log_format: o.log_format.or(file.log_format).unwrap_or(LogFormat::Pretty),
            public_url,
            site_root: o.site_root.clone().or(file.site_root).unwrap_or_else(default_site_root),
            metrics_token: o.metrics_token.clone().or(file.metrics_token).filter(|t| !t.is_empty()),
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

fn read_file(p: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not valid Helios configuration", p.display()))
}

/// `LEPTOS_SITE_ROOT` (set by cargo-leptos), else `./target/site` when present, else the
/// site this binary was built with, so a release binary runs from any directory.
fn default_site_root() -> PathBuf {
    if let Ok(root) = std::env::var("LEPTOS_SITE_ROOT") {
        return PathBuf::from(root);
    }
    let local = PathBuf::from("target/site");
    if local.join("pkg").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_environment_win_over_the_file_and_defaults_fill_the_rest() {
        let dir = std::env::temp_dir().join(format!("helios-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("h.toml");
        std::fs::write(&file, "addr = \"127.0.0.1:4000\"\ndata_dir = \"/srv/helios\"\n").unwrap();
        let o = Overrides { config: Some(file.clone()), addr: Some("127.0.0.1:5000".into()), ..Default::default() };
        let c = Config::load(&o).unwrap();
        assert_eq!(c.addr.port(), 5000);
        assert_eq!(c.data_dir, PathBuf::from("/srv/helios"));
        assert_eq!(c.attachments_dir, PathBuf::from("/srv/helios/attachments"));
        assert_eq!(c.vault_key_file, PathBuf::from("/srv/helios/vault.key"));
        assert_eq!(c.log_format, LogFormat::Pretty);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_values_are_refused_with_the_setting_named() {
        let o = Overrides { addr: Some("localhost".into()), ..Default::default() };
        assert!(format!("{:#}", Config::load(&o).unwrap_err()).contains("HELIOS_ADDR"));
        let o = Overrides { database_url: Some("mysql://x".into()), ..Default::default() };
        assert!(format!("{:#}", Config::load(&o).unwrap_err()).contains("DATABASE_URL"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = std::env::temp_dir().join(format!("helios-cfg2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("h.toml");
        std::fs::write(&file, "adress = \"x\"\n").unwrap();
        let o = Overrides { config: Some(file), ..Default::default() };
        assert!(format!("{:#}", Config::load(&o).unwrap_err()).contains("not valid"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn the_database_url_never_appears_in_debug_output() {
        let o = Overrides { database_url: Some("postgres://u:secret@h/db".into()), ..Default::default() };
        assert!(!format!("{:?}", Config::load(&o).unwrap()).contains("secret"));
    }
}
