//! Embedded PostgreSQL: when no `DATABASE_URL` is configured, `helios serve` owns a private
//! cluster under `<data_dir>/pg` (`data/` cluster, `run/` socket dir, `postgres.log`), run from
//! the machine's PostgreSQL binaries, reachable only through a unix socket (no TCP listener).
//! This module finds the binaries, runs initdb, recovers from a previous helios killed with
//! `-9` (`<data_dir>/helios.pid` + orphaned postmaster), starts/waits/stops the postmaster and
//! creates the `helios` database. As root, the server runs as the `postgres` (or `nobody`) user.

use anyhow::{anyhow, bail, Context, Result};
use nix::errno::Errno;
use nix::sys::signal::{kill, Signal, Signal::*};
use nix::unistd::{chown, geteuid, Pid, User};
use sha2::{Digest, Sha256};
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use tokio::time::sleep;
use tracing::{info, warn};

const PORT: &str = "5432";
/// No TCP listener; socket only for the server's OS user; log to stderr (= `postgres.log`).
const SERVER_FLAGS: &str = "-c listen_addresses= -c unix_socket_permissions=0700 -c logging_collector=off";
const INITDB_FLAGS: &str = "-U helios --auth=trust -E UTF8 --locale=C.UTF-8";
const TIMEOUT: Duration = Duration::from_secs(30);
const MISSING: &str = "PostgreSQL server binaries (initdb, postgres) were not found: install the \
     `postgresql` package (apt-get install postgresql) or set DATABASE_URL";

/// Directory holding the PostgreSQL server binaries (`initdb`, `postgres`, `pg_ctl`, ...).
#[derive(Debug, Clone)]
pub struct PgBinaries {
    pub bin_dir: PathBuf,
}

impl PgBinaries {
    /// `<bin_dir>/<name>` if it exists there, else the bare name (looked up on PATH).
    pub fn tool(&self, name: &str) -> PathBuf {
        let p = self.bin_dir.join(name);
        if is_executable(&p) {
            p
        } else {
            PathBuf::from(name)
        }
    }
}

/// Locates the server binaries: `pg_config --bindir`, then PATH, then the highest
/// `/usr/lib/postgresql/*/bin`.
pub fn find_binaries() -> Result<PgBinaries> {
    let mut dirs = Vec::new();
    let mut pg_config = std::process::Command::new("pg_config");
    let out = pg_config.arg("--bindir").output();
    if let Some(out) = out.ok().filter(|o| o.status.success()) {
        dirs.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    dirs.extend(std::env::split_paths(&path));
    let mut versioned = Vec::new();
    let entries = fs::read_dir("/usr/lib/postgresql").into_iter().flatten();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let version: Result<Vec<u32>, _> = name.split('.').map(str::parse).collect();
        if let Ok(v) = version {
            versioned.push((v, entry.path().join("bin")));
        }
    }
    versioned.sort_by(|a, b| b.0.cmp(&a.0)); // highest version first
    find_binaries_in(dirs.into_iter().chain(versioned.into_iter().map(|v| v.1)))
}

fn find_binaries_in(dirs: impl IntoIterator<Item = PathBuf>) -> Result<PgBinaries> {
    dirs.into_iter()
        .find(|d| is_executable(&d.join("initdb")) && is_executable(&d.join("postgres")))
        .map(|bin_dir| PgBinaries { bin_dir })
        .ok_or_else(|| anyhow!(MISSING))
}

fn is_executable(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0)
}

/// A running embedded postmaster (child process of helios).
pub struct EmbeddedPostgres {
    child: Option<Child>,
    socket_dir: PathBuf,
    pid_file: PathBuf,
}

impl EmbeddedPostgres {
    /// Finds binaries, initialises the cluster if needed, recovers from a previous crash,
    /// starts postgres and waits until it accepts connections.
    pub async fn start(data_dir: &Path) -> Result<EmbeddedPostgres> {
        let bins = find_binaries()?;
        fs::create_dir_all(data_dir).with_context(|| format!("cannot create data dir {}", data_dir.display()))?;
        let data_dir = data_dir.canonicalize()?;
        let pid_file = data_dir.join("helios.pid");
        claim_pid_file(&pid_file, &data_dir)?;
        let result = Self::start_inner(&bins, &data_dir, pid_file.clone()).await;
        if result.is_err() {
            let _ = fs::remove_file(&pid_file);
        }
        result
    }

    async fn start_inner(bins: &PgBinaries, data_dir: &Path, pid_file: PathBuf) -> Result<Self> {
        let (pg_dir, log_path) = (data_dir.join("pg"), data_dir.join("pg/postgres.log"));
        let pg_data = pg_dir.join("data");
        let run_as = run_as_user(&pg_data)?;
        if let Some(user) = &run_as {
            check_traversable(data_dir, user)?;
        }
        make_private_dir(&pg_dir, run_as.as_ref())?;
        let socket_dir = socket_dir_for(data_dir, &pg_dir);
        make_private_dir(&socket_dir, run_as.as_ref())?;
        let mut log = OpenOptions::new();
        let mut log = log.create(true).append(true).mode(0o600).open(&log_path)?;
        if let Some(u) = &run_as {
            chown(&log_path, Some(u.uid), Some(u.gid))?;
        }
        if !pg_data.join("PG_VERSION").exists() {
            // initdb into a scratch dir and rename, so an interrupted initdb is simply redone.
            let tmp = pg_dir.join("data.init");
            if tmp.exists() {
                fs::remove_dir_all(&tmp)?;
            }
            info!("initialising embedded PostgreSQL cluster in {pg_dir:?}");
            let mut initdb = server_cmd(&bins.tool("initdb"), run_as.as_ref(), &pg_dir);
            initdb.arg("-D").arg(&tmp).args(INITDB_FLAGS.split(' '));
            let out = initdb.output().await.context("cannot run initdb")?;
            log.write_all(&out.stdout)?;
            log.write_all(&out.stderr)?;
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                bail!("initdb failed ({}): {}", out.status, err.trim());
            }
            fs::rename(&tmp, &pg_data)?;
        }
        stop_orphan(&pg_data).await?;

        let mut postgres = server_cmd(&bins.tool("postgres"), run_as.as_ref(), &pg_dir);
        postgres.arg("-D").arg(&pg_data).arg("-k").arg(&socket_dir);
        postgres.args(["-p", PORT]).args(SERVER_FLAGS.split(' '));
        // Own process group: a terminal Ctrl-C reaches helios only, which then calls stop().
        postgres.stdout(log.try_clone()?).stderr(log);
        let child = postgres.process_group(0).spawn().context("cannot start postgres")?;
        let mut pg = EmbeddedPostgres { child: Some(child), socket_dir, pid_file };
        if let Err(e) = pg.wait_ready_and_create_db(bins, &log_path).await {
            let _ = pg.stop().await;
            return Err(e);
        }
        let (pid, sock) = (pg.pid().unwrap_or(0), &pg.socket_dir);
        info!("embedded PostgreSQL started (pid {pid}, socket dir {sock:?})");
        Ok(pg)
    }

    async fn wait_ready_and_create_db(&mut self, bins: &PgBinaries, log: &Path) -> Result<()> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let log_tail = || format!("last lines of {}:\n{}", log.display(), tail(log, 20));
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().transpose()) {
                let status = status?;
                bail!("postgres exited during startup ({status}); {}", log_tail());
            }
            let mut isready = client_cmd(&bins.tool("pg_isready"), &self.socket_dir);
            let ready = isready.args(["-q", "-d", "postgres"]).status();
            let ready = ready.await.context("cannot run pg_isready")?;
            if ready.success() {
                break;
            }
            if Instant::now() > deadline {
                bail!("postgres not ready after 30 s; {}", log_tail());
            }
            sleep(Duration::from_millis(100)).await;
        }
        let mut createdb = client_cmd(&bins.tool("createdb"), &self.socket_dir);
        let out = createdb.arg("helios").output();
        let out = out.await.context("cannot run createdb")?;
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            info!("created database helios");
        } else if !err.contains("already exists") {
            bail!("createdb helios failed: {}", err.trim());
        }
        Ok(())
    }

    /// e.g. `postgres://helios@localhost/helios?host=/abs/sock/dir`.
    pub fn database_url(&self) -> String {
        let mut host = String::new();
        for &b in self.socket_dir.as_os_str().as_bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => host.push(b as char),
                _ => host.push_str(&format!("%{b:02X}")),
            }
        }
        format!("postgres://helios@localhost/helios?host={host}")
    }

    /// Unix socket directory of the running server.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(|c| c.id())
    }

    /// Fast shutdown (SIGINT); after 30 s SIGQUIT, then SIGKILL. Removes `helios.pid`.
    pub async fn stop(mut self) -> Result<()> {
        let mut result = Ok(());
        if let Some(mut child) = self.child.take() {
            if let Some(pid) = child.id() {
                let mut status = None;
                let mut exited = || {
                    status = child.try_wait().ok().flatten();
                    status.is_some()
                };
                result = terminate(pid as i32, &mut exited).await;
                if let Some(status) = status {
                    info!("embedded PostgreSQL stopped (pid {pid}, {status})");
                }
            }
        }
        let _ = fs::remove_file(&self.pid_file);
        result
    }
}

impl Drop for EmbeddedPostgres {
    /// Best effort when `stop` was never called: ask the postmaster to shut down, don't wait.
    fn drop(&mut self) {
        if let Some(pid) = self.pid() {
            warn!("embedded PostgreSQL dropped without stop(); sending SIGINT to pid {pid}");
            send(pid as i32, SIGINT);
        }
    }
}

/// SIGINT (fast shutdown), then after 30 s SIGQUIT, then after 5 s SIGKILL, until `gone()`.
async fn terminate(pid: i32, mut gone: impl FnMut() -> bool) -> Result<()> {
    let five = Duration::from_secs(5);
    for (sig, limit) in [(SIGINT, TIMEOUT), (SIGQUIT, five), (SIGKILL, five)] {
        if sig != SIGINT {
            warn!("postgres (pid {pid}) still running; sending {sig}");
        }
        send(pid, sig);
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if gone() {
                return Ok(());
            }
            sleep(Duration::from_millis(50)).await;
        }
    }
    bail!("cannot stop postgres (pid {pid})")
}

/// Commands run as the server user (initdb, postgres).
fn server_cmd(prog: &Path, run_as: Option<&User>, cwd: &Path) -> Command {
    let mut cmd = Command::new(prog);
    cmd.current_dir(cwd).stdin(Stdio::null());
    if let Some(u) = run_as {
        cmd.uid(u.uid.as_raw()).gid(u.gid.as_raw());
    }
    cmd
}

/// Client tools run as ourselves (root may enter the server user's 0700 socket dir too).
fn client_cmd(prog: &Path, socket_dir: &Path) -> Command {
    let mut cmd = Command::new(prog);
    cmd.arg("-h").arg(socket_dir);
    cmd.args(["-p", PORT, "-U", "helios"]);
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    cmd.stderr(Stdio::piped());
    cmd
}

/// `None` unless we are root; then the owner of an existing cluster, else `postgres`/`nobody`.
fn run_as_user(pg_data: &Path) -> Result<Option<User>> {
    if !geteuid().is_root() {
        return Ok(None);
    }
    if let Ok(m) = fs::metadata(pg_data.join("PG_VERSION")) {
        if let Some(u) = User::from_uid(m.uid().into())?.filter(|u| !u.uid.is_root()) {
            return Ok(Some(u));
        }
    }
    let user = match User::from_name("postgres")? {
        Some(u) => Some(u),
        None => User::from_name("nobody")?,
    };
    let msg = "helios runs as root but there is no `postgres` or `nobody` user to run PostgreSQL";
    user.map(Some).context(msg)
}

fn check_traversable(dir: &Path, user: &User) -> Result<()> {
    for a in dir.ancestors() {
        let m = fs::metadata(a)?;
        let ok = m.mode() & 0o001 != 0
            || m.uid() == user.uid.as_raw()
            || (m.gid() == user.gid.as_raw() && m.mode() & 0o010 != 0);
        if !ok {
            bail!(
                "helios runs as root, so the embedded PostgreSQL runs as user `{}`, which cannot traverse {} (mode {:o}) to reach the data dir {} (chmod o+x it, or set HELIOS_DATA_DIR to a directory under /var/lib or /tmp, or set DATABASE_URL)",
                user.name, a.display(), m.mode() & 0o7777, dir.display()
            );
        }
    }
    Ok(())
}

/// Creates `dir` 0700 owned by the server user; refuses symlinks and foreign owners.
fn make_private_dir(dir: &Path, run_as: Option<&User>) -> Result<()> {
    if let Err(e) = DirBuilder::new().mode(0o700).create(dir) {
        if e.kind() != ErrorKind::AlreadyExists {
            return Err(e).with_context(|| format!("cannot create {}", dir.display()));
        }
    }
    let m = fs::symlink_metadata(dir)?;
    let ours = m.uid() == geteuid().as_raw() || run_as.is_some_and(|u| u.uid.as_raw() == m.uid());
    if !m.is_dir() || !ours {
        bail!("{dir:?} is not a directory owned by us; refusing to use it");
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    if let Some(u) = run_as {
        chown(dir, Some(u.uid), Some(u.gid))?;
    }
    Ok(())
}

/// `<pg_dir>/run`, or `/tmp/helios-pg-<hash>` when the socket path would exceed 107 bytes.
fn socket_dir_for(data_dir: &Path, pg_dir: &Path) -> PathBuf {
    let dir = pg_dir.join("run");
    if dir.join(format!(".s.PGSQL.{PORT}")).as_os_str().len() <= 107 {
        return dir;
    }
    let hash = hex::encode(Sha256::digest(data_dir.as_os_str().as_bytes()));
    PathBuf::from(format!("/tmp/helios-pg-{}", &hash[..12]))
}

/// Fails if a live helios owns `pid_file`; otherwise replaces it with our pid.
fn claim_pid_file(pid_file: &Path, data_dir: &Path) -> Result<()> {
    if let Ok(text) = fs::read_to_string(pid_file) {
        if let Ok(pid) = text.trim().parse::<i32>() {
            if pid as u32 != std::process::id() && is_alive(pid) && is_helios(pid) {
                let dir = data_dir.display();
                bail!("another helios is already running on {dir} (pid {pid})");
            }
        }
        info!("removing stale {}", pid_file.display());
        fs::remove_file(pid_file)?;
    }
    let mut opts = OpenOptions::new();
    let f = opts.write(true).create_new(true).open(pid_file);
    let mut f = f.with_context(|| format!("cannot create {}", pid_file.display()))?;
    writeln!(f, "{}", std::process::id())?;
    Ok(())
}

/// Stops a postmaster left running by a helios that was killed with -9.
async fn stop_orphan(pg_data: &Path) -> Result<()> {
    let lock = pg_data.join("postmaster.pid");
    let text = fs::read_to_string(&lock).unwrap_or_default();
    let first_line = text.lines().next().unwrap_or_default();
    let Ok(pid) = first_line.trim().parse::<i32>() else {
        return Ok(());
    };
    if !is_alive(pid) {
        return Ok(()); // stale lock file of a dead postmaster: postgres handles it
    }
    let comm = proc_file(pid, "comm");
    if !comm.starts_with("postgres") {
        warn!("removing stale {lock:?}: pid {pid} is `{}`", comm.trim());
        return Ok(fs::remove_file(&lock)?);
    }
    if fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd != pg_data) {
        return Ok(()); // a postgres of another cluster reused the pid: let postgres decide
    }
    info!("stopping orphaned postgres (pid {pid}) left by a previous helios");
    terminate(pid, || !is_alive(pid)).await?;
    info!("recovered orphan postgres pid {pid}");
    Ok(())
}

fn send(pid: i32, sig: Signal) {
    if pid > 0 {
        let _ = kill(Pid::from_raw(pid), sig);
    }
}

fn proc_file(pid: i32, name: &str) -> String {
    fs::read_to_string(format!("/proc/{pid}/{name}")).unwrap_or_default()
}

/// Live and not a zombie.
fn is_alive(pid: i32) -> bool {
    if pid <= 0 || !matches!(kill(Pid::from_raw(pid), None), Ok(()) | Err(Errno::EPERM)) {
        return false;
    }
    let stat = proc_file(pid, "stat");
    let state = stat.rsplit_once(") ").map(|(_, rest)| rest);
    !state.is_some_and(|s| s.starts_with('Z'))
}

/// `/proc/<pid>/comm` or the file name of argv[0] starts with "helios".
fn is_helios(pid: i32) -> bool {
    let cmdline = proc_file(pid, "cmdline");
    let argv0 = Path::new(cmdline.split('\0').next().unwrap_or_default());
    let name = argv0.file_name().unwrap_or_default().to_string_lossy();
    proc_file(pid, "comm").starts_with("helios") || name.starts_with("helios")
}

fn tail(path: &Path, n: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("helios-emb-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn psql(pg: &EmbeddedPostgres, sql: &str) -> String {
        let mut psql = std::process::Command::new(find_binaries().unwrap().tool("psql"));
        psql.args(["-XAt", "-h"]).arg(pg.socket_dir());
        psql.args(["-p", PORT, "-U", "helios", "-d", "helios", "-c", sql]);
        let out = psql.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    #[tokio::test]
    async fn start_query_stop() {
        let dir = test_dir("basic");
        let pg = EmbeddedPostgres::start(&dir).await.unwrap();
        let url = pg.database_url();
        let want = "postgres://helios@localhost/helios?host=/tmp/";
        assert!(url.starts_with(want), "{url}");
        assert_eq!(psql(&pg, "select 1"), "1");
        assert_eq!(psql(&pg, "show listen_addresses"), "");
        assert!(dir.join("helios.pid").exists());
        let pid = pg.pid().unwrap() as i32;
        pg.stop().await.unwrap();
        assert!(!is_alive(pid));
        assert!(!dir.join("pg/data/postmaster.pid").exists());
        assert!(!dir.join("helios.pid").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn recovers_orphan_after_kill_9() {
        let dir = test_dir("orphan");
        let pg = EmbeddedPostgres::start(&dir).await.unwrap();
        psql(&pg, "create table survivor as select 42 as x");
        let orphan = pg.pid().unwrap() as i32;
        std::mem::forget(pg); // helios "killed with -9": neither stop() nor Drop runs
        let mut dead = std::process::Command::new("true").spawn().unwrap();
        dead.wait().unwrap();
        fs::write(dir.join("helios.pid"), format!("{}\n", dead.id())).unwrap();

        let pg = EmbeddedPostgres::start(&dir).await.unwrap();
        assert!(!is_alive(orphan), "orphan postmaster was not stopped");
        assert_eq!(psql(&pg, "select x from survivor"), "42");
        pg.stop().await.unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn refuses_when_another_helios_runs() {
        let dir = test_dir("busy");
        let mut other = std::process::Command::new("bash");
        other.args(["-c", "exec -a helios sleep 9"]);
        let mut other = other.spawn().unwrap();
        sleep(Duration::from_millis(200)).await;
        fs::write(dir.join("helios.pid"), other.id().to_string()).unwrap();
        let err = EmbeddedPostgres::start(&dir).await.err().unwrap();
        let err = err.to_string();
        other.kill().unwrap();
        other.wait().unwrap();
        assert!(err.contains("another helios is already running"), "{err}");
        assert!(!dir.join("pg").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn root_needs_a_traversable_data_dir() {
        if !geteuid().is_root() {
            return; // only root switches to the `postgres` user
        }
        let base = test_dir("private");
        fs::set_permissions(&base, fs::Permissions::from_mode(0o700)).unwrap();
        let err = EmbeddedPostgres::start(&base.join("data")).await.err();
        fs::remove_dir_all(&base).unwrap();
        let err = err.unwrap().to_string();
        assert!(err.contains("cannot traverse"), "{err}");
        assert!(err.contains("HELIOS_DATA_DIR"), "{err}");
    }

    #[test]
    fn missing_binaries_names_the_package() {
        let empty = test_dir("nobin");
        let err = find_binaries_in([empty.clone(), "/nonexistent/bin".into()]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`postgresql` package"), "{msg}");
        assert!(msg.contains("DATABASE_URL") && !msg.contains('\n'), "{msg}");
        fs::remove_dir_all(&empty).unwrap();
    }

    #[tokio::test]
    async fn long_data_dir_uses_tmp_socket() {
        let base = test_dir("long");
        let dir = base.join("a".repeat(60)).join("b".repeat(60));
        let pg = EmbeddedPostgres::start(&dir).await.unwrap();
        let sock = pg.socket_dir().to_path_buf();
        let sock_str = sock.to_string_lossy();
        assert!(sock_str.starts_with("/tmp/helios-pg-"), "{sock:?}");
        assert_eq!(psql(&pg, "select 1"), "1");
        pg.stop().await.unwrap();
        fs::remove_dir_all(&base).unwrap();
        fs::remove_dir_all(&sock).unwrap();
    }
}
