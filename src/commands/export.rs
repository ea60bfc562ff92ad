//! `navigator export contacts` (services: see `export_services`): contacts started in a period, one row per need, as CSV or
//! JSON Lines. De-identified unless `--with-personal-data`, which only users listed in
//! `[privacy] personal_data_readers` may use (others: exit 77). Every export is audited,
//! counts only.

use std::io::Write;
use std::path::Path;

use jiff::Timestamp;

use crate::cli::{ExportArgs, ExportCommand, ExportFormat};
use crate::exit::Failure;
use crate::report::{export_contacts, record_export, ExportCounts, ExportRow};

pub fn run(command: &ExportCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        ExportCommand::Contacts(args) => contacts(args, data_dir),
        ExportCommand::Services(args) => super::export_services::run(args, data_dir),
    }
}

fn contacts(args: &ExportArgs, data_dir: &Path) -> Result<u8, Failure> {
    let period = super::report::period(args.from.as_deref(), args.to.as_deref())?;
    let user = crate::user::name();
    if args.with_personal_data {
        crate::privacy::Access::current()?.require("--with-personal-data")?;
    }
    let mut store = crate::catalogue::open_store(data_dir)?;
    let rows = export_contacts(&store, &period, args.with_personal_data).map_err(Failure::store)?;
    let counts = ExportCounts::of(&rows);
    // Audited before anything leaves: an export cut short is still on record.
    record_export(&mut store, &user, counts, args.with_personal_data, Timestamp::now()).map_err(Failure::store)?;
    tracing::info!(
        contacts = counts.contacts,
        rows = counts.rows,
        personal = args.with_personal_data,
        "export"
    );
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ExportFormat::Json => json_lines(&rows, &mut out),
        ExportFormat::Csv => csv(&rows, args.with_personal_data, &mut out),
    };
    super::report::finish(written)
}

fn json_lines(rows: &[ExportRow], out: &mut impl Write) -> std::io::Result<()> {
    for row in rows {
        writeln!(out, "{}", serde_json::to_string(row).expect("an export row serializes"))?;
    }
    Ok(())
}

fn csv(rows: &[ExportRow], personal: bool, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = ExportRow::CSV_HEADER.to_vec();
    if personal {
        header.extend(ExportRow::CSV_PERSONAL);
    }
    w.write_record(&header)?;
    for row in rows {
        w.write_record(row.csv_record())?;
    }
    w.flush()
}
