//! Connecting: the URL parsed once, the password found the way libpq finds it, TLS as
//! `sslmode` asks, keepalives so a dead link is noticed, and a connect timeout so an
//! unreachable server is an answer within seconds rather than minutes.

use std::time::Duration;

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::X509;
use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use postgres_openssl::MakeTlsConnector;

use super::pgpass;
use crate::store::location::PgUrl;
use crate::store::StoreError;

/// How certificates are checked, from `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    /// disable, prefer, require: encrypted when asked, the certificate not checked (libpq's
    /// meaning of these modes).
    None,
    /// verify-ca: the certificate must chain to a trusted root.
    Ca,
    /// verify-full: and name the host.
    Full,
}

pub struct Connector {
    pub url: PgUrl,
    config: Config,
    verify: Verify,
    /// The trusted roots for verify-ca and verify-full: `sslrootcert` in the URL, else
    /// `PGSSLROOTCERT`, else `~/.postgresql/root.crt` when it exists (libpq's order), else
    /// the system's certificate store.
    root: Option<std::path::PathBuf>,
}

/// `text` without its `name=value` query parameter, and the value (percent-decoded).
fn take_param(text: &str, name: &str) -> (String, Option<String>) {
    let Some(q) = text.find('?') else {
        return (text.to_string(), None);
    };
    let (base, query) = (&text[..q], &text[q + 1..]);
    let mut value = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some((k, v)) if k == name => {
                value = Some(percent_decode(v));
                false
            }
            _ => true,
        })
        .collect();
    let text = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (text, value)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Connects once to `url`, for tools that need a plain client (the import lock, the
/// catalogue watcher).
pub fn connect(url: &PgUrl) -> Result<Client, StoreError> {
    Connector::new(url)?.connect()
}

fn bad_url(url: &PgUrl, why: impl std::fmt::Display) -> StoreError {
    StoreError::Config(format!("database = \"{url}\": {why}"))
}

impl Connector {
    pub fn new(url: &PgUrl) -> Result<Connector, StoreError> {
        // The driver knows disable, prefer and require; the verifying modes are require
        // with a certificate check on top.
        // libpq's sslrootcert is not the driver's: taken out, and used for the check below.
        let (text, root) = take_param(url.secret(), "sslrootcert");
        let root = root
            .or_else(|| std::env::var("PGSSLROOTCERT").ok())
            .filter(|r| !r.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| {
                let home = std::env::var_os("HOME")?;
                let default = std::path::Path::new(&home).join(".postgresql/root.crt");
                default.exists().then_some(default)
            });
        let (verify, text) = if text.contains("sslmode=verify-full") {
            (Verify::Full, text.replace("sslmode=verify-full", "sslmode=require"))
        } else if text.contains("sslmode=verify-ca") {
            (Verify::Ca, text.replace("sslmode=verify-ca", "sslmode=require"))
        } else {
            (Verify::None, text.to_string())
        };
        let mut config: Config = text.parse().map_err(|e: postgres::Error| bad_url(url, e))?;
        if config.get_hosts().is_empty() {
            config.host("localhost");
        }
        if config.get_user().is_none() {
            config.user(&crate::user::name());
        }
        if config.get_password().is_none() {
            let host = match &config.get_hosts()[0] {
                Host::Tcp(h) => h.clone(),
                Host::Unix(p) => p.display().to_string(),
            };
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let user = config.get_user().unwrap_or_default().to_string();
            let database = config.get_dbname().unwrap_or(&user).to_string();
            let want = pgpass::Want {
                host: &host,
                port,
                database: &database,
                user: &user,
            };
            if let Some(password) = pgpass::lookup(&want) {
                config.password(password);
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("navigator");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        // A link that dies without a word (a cut cable, a VPN dropping) is noticed within
        // half a minute instead of the kernel's quarter of an hour: keepalives while
        // waiting for an answer, and a limit on data sent but never acknowledged.
        if !text.contains("keepalives") {
            config
                .keepalives(true)
                .keepalives_idle(Duration::from_secs(10))
                .keepalives_interval(Duration::from_secs(5))
                .keepalives_retries(3);
        }
        if !text.contains("tcp_user_timeout") {
            config.tcp_user_timeout(Duration::from_secs(30));
        }
        Ok(Connector {
            url: url.clone(),
            config,
            verify,
            root,
        })
    }

    pub fn connect(&self) -> Result<Client, StoreError> {
        let target = self.url.to_string();
        let result = match self.config.get_ssl_mode() {
            SslMode::Disable => self.config.connect(NoTls),
            _ => self.config.connect(self.tls()?),
        };
        result.map_err(|e| super::pg_error(&target, &e))
    }

    fn tls(&self) -> Result<MakeTlsConnector, StoreError> {
        let mut builder =
            SslConnector::builder(SslMethod::tls_client()).map_err(|e| StoreError::Config(format!("TLS: {e}")))?;
        if let Some(root) = self.root.as_ref().filter(|_| self.verify != Verify::None) {
            // The named roots only, as libpq trusts them: not the system's store besides.
            let bad =
                |e: &dyn std::fmt::Display| StoreError::Config(format!("root certificate {}: {e}", root.display()));
            let pem = std::fs::read(root).map_err(|e| bad(&e))?;
            let mut store = X509StoreBuilder::new().map_err(|e| bad(&e))?;
            for cert in X509::stack_from_pem(&pem).map_err(|e| bad(&e))? {
                store.add_cert(cert).map_err(|e| bad(&e))?;
            }
            builder.set_cert_store(store.build());
        }
        if self.verify == Verify::None {
            builder.set_verify(SslVerifyMode::NONE);
        }
        let mut connector = MakeTlsConnector::new(builder.build());
        let full = self.verify == Verify::Full;
        connector.set_callback(move |config, _| {
            config.set_verify_hostname(full);
            Ok(())
        });
        Ok(connector)
    }
}
