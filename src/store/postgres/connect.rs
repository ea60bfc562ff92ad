//! Connecting: the URL parsed once, the password found the way libpq finds it, TLS as
//! `sslmode` asks, keepalives so a dead link is noticed, and a connect timeout so an
//! unreachable server is an answer within seconds rather than minutes.

use std::time::Duration;

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
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
        let text = url.secret();
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
        config.keepalives(true).keepalives_idle(Duration::from_secs(30));
        Ok(Connector {
            url: url.clone(),
            config,
            verify,
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
        if let Some(root) = std::env::var_os("PGSSLROOTCERT").filter(|r| !r.is_empty()) {
            builder
                .set_ca_file(&root)
                .map_err(|e| StoreError::Config(format!("PGSSLROOTCERT: {e}")))?;
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
