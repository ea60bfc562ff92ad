//! `navigator export services`: the catalogue as HSDS 3.0, JSON Lines (or one array) or a
//! CSV datapackage. Confidential values are left out unless `--with-confidential` by a
//! confidential reader (others: exit 77); such an export is audited. The output is
//! written beside its destination and moved into place when complete, so a reader of
//! PATH sees the old export or the new one, never half of one.

use std::io::{BufWriter, Write};
use std::path::Path;

use navigator_index::export::{hsds_service, CsvPackage, Tally};
use navigator_index::Service;

use crate::catalogue::Catalogue;
use crate::cli::{ExportServicesArgs, ServicesFormat};
use crate::confidential::Reader;
use crate::exit::{Failure, OK};

pub fn run(args: &ExportServicesArgs, data_dir: &Path) -> Result<u8, Failure> {
    let reader = Reader::current()?;
    let user = crate::user::name();
    if args.with_confidential && !reader.sees_confidential() {
        tracing::warn!(user, "confidential export refused");
        return Err(Failure::no_perm(format!(
            "--with-confidential: user {user} may not read confidential records; an administrator can add \
             them to confidential_readers under [privacy] in the system config.toml"
        )));
    }
    let view = if args.with_confidential { reader } else { Reader::PUBLIC };
    let mut catalogue = Catalogue::open(data_dir)?;
    let parent = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| Failure::io(format!("{}: {e}", args.out.display()));
    let mut tally = Tally::default();
    let each = |f: &mut dyn FnMut(&Service) -> std::io::Result<()>| -> Result<(), Failure> {
        let mut failed: Option<std::io::Error> = None;
        catalogue
            .store
            .for_each_service(|s| {
                if failed.is_none() {
                    failed = f(&view.view(&s)).err();
                }
            })
            .map_err(Failure::store)?;
        failed.map_or(Ok(()), |e| Err(io(e)))
    };
    match args.format {
        ServicesFormat::HsdsJson => {
            let tmp = tempfile::NamedTempFile::new_in(parent).map_err(io)?;
            let mut out = BufWriter::new(tmp.as_file());
            let mut first = true;
            if args.array {
                out.write_all(b"[\n").map_err(io)?;
            }
            each(&mut |s| {
                if args.array && !first {
                    out.write_all(b",\n")?;
                }
                first = false;
                serde_json::to_writer(&mut out, &hsds_service(s, &mut tally))?;
                if !args.array {
                    out.write_all(b"\n")?;
                }
                Ok(())
            })?;
            if args.array {
                out.write_all(b"\n]\n").map_err(io)?;
            }
            out.into_inner()
                .map_err(|e| io(e.into_error()))?
                .sync_all()
                .map_err(io)?;
            tmp.persist(&args.out).map_err(|e| io(e.error))?;
        }
        ServicesFormat::HsdsCsv => {
            let tmp = tempfile::Builder::new()
                .prefix(".export-")
                .tempdir_in(parent)
                .map_err(io)?;
            let mut package = CsvPackage::create(tmp.path()).map_err(io)?;
            each(&mut |s| package.add(s, &mut tally))?;
            package.finish().map_err(io)?;
            replace_dir(tmp, &args.out).map_err(io)?;
        }
    }
    if args.with_confidential {
        let now = crate::clock::utc_text(jiff::Timestamp::now());
        let record = format!("services={} confidential=true", tally.services);
        catalogue
            .store
            .write(|tx| tx.audit(&now, &user, "export.services", &record))
            .map_err(Failure::store)?;
    }
    tracing::info!(
        services = tally.services,
        confidential = args.with_confidential,
        "services exported"
    );
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "exported {} services to {}", tally.services, args.out.display());
    for (what, n) in &tally.changed {
        let _ = writeln!(err, "  {what}: {n}");
    }
    Ok(OK)
}

/// Moves the finished folder to `dest`, replacing what was there: the old one is moved
/// aside first and removed only once the new one is in place.
fn replace_dir(tmp: tempfile::TempDir, dest: &Path) -> std::io::Result<()> {
    let staged = tmp.keep();
    if dest.exists() {
        let old = dest.with_extension(format!("old-{}", std::process::id()));
        std::fs::rename(dest, &old)?;
        if let Err(e) = std::fs::rename(&staged, dest) {
            std::fs::rename(&old, dest)?;
            return Err(e);
        }
        if old.is_dir() {
            std::fs::remove_dir_all(&old)?;
        } else {
            std::fs::remove_file(&old)?;
        }
        Ok(())
    } else {
        std::fs::rename(&staged, dest)
    }
}
